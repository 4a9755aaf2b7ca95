"""The team pulse: its statements, opening, answering, and every anonymity rule as the pulse uses it (k: four
answers show nothing, five show; close before show; results frozen whoever leaves or joins, with a second team
overlapping; no query string narrows anything; comments only in rounds that reached k)."""

from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from feedback import engine
from feedback.models import FeedbackSettings, PulseRhythm, PulseRound, PulseSchedule, Respondent, Round
from feedback.pulse import demo, selectors, services
from feedback.pulse.statements import CONVERSATION_STARTERS, SCALE, SCALE_LABELS, STATEMENTS
from teams.models import Membership
from teams.services import member_end
from tests.conftest import client_for, make_person
from tests.feedback.pulse_world import SCORES, add, answer, close, open_pulse, pulse_world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def results_url(world) -> str:
    return f"/feedback/pulse/team/{world.team.pk}/"


def page(client, url: str) -> str:
    """The page's HTML with entities turned back into characters (so "team's" reads as written)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return html_lib.unescape(response.content.decode())


# Parts of a page that differ on every request.
PER_REQUEST = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')


def shows_results(html: str) -> bool:
    return 'class="plain pulse-spreads"' in html


# --- The words


def test_seven_statements_one_per_dimension_three_reverse_scored():
    assert len(STATEMENTS) == 7 and len({s.key for s in STATEMENTS}) == 7
    assert {s.key for s in STATEMENTS if s.reverse} == {"mistakes", "difference", "help"}
    assert SCALE == 7 and set(SCALE_LABELS) == {1, 4, 7}
    assert all(1 <= len(CONVERSATION_STARTERS[s.key]) <= 2 for s in STATEMENTS)


# --- Opening


def test_a_lead_opens_a_round_asking_the_current_members_only(world, alpha):
    pulse = open_pulse(alpha, world.team, world.lead, days=5)
    with tenant_context(alpha):
        asked = set(Respondent.objects.filter(round=pulse.round).values_list("user_id", flat=True))
        round_ = Round.objects.get(pk=pulse.round_id)
    assert asked == {person.pk for person in world.larch}  # not the past member, not the admin
    assert round_.k == 5 and round_.scale == 7 and len(round_.statements) == 7
    assert timedelta(days=4, hours=23) < round_.closes_at - round_.opened_at <= timedelta(days=5)
    assert [s["reverse"] for s in round_.statements] == [s.reverse for s in STATEMENTS]


def test_an_admin_opens_one_and_a_member_cannot(world, alpha):
    with tenant_context(alpha), pytest.raises(services.PulseError, match="leads"):
        services.pulse_open(team=world.team, by=world.members[1], days_open=7)
    response = client_for(alpha, world.members[1]).post(f"/feedback/pulse/team/{world.team.pk}/open/",
                                                        {"days_open": "7"})
    assert response.status_code == 404
    response = client_for(alpha, world.admin).post(f"/feedback/pulse/team/{world.team.pk}/open/", {"days_open": "7"})
    assert response.status_code == 302
    with tenant_context(alpha):
        assert PulseRound.objects.filter(team=world.team).count() == 1


def test_a_second_round_while_one_is_open_is_refused_clearly(world, alpha):
    open_pulse(alpha, world.team, world.lead)
    response = client_for(alpha, world.lead).post(f"/feedback/pulse/team/{world.team.pk}/open/", {"days_open": "7"})
    assert response.status_code == 200
    assert "already has a pulse open" in response.content.decode()
    with tenant_context(alpha):
        assert PulseRound.objects.filter(team=world.team).count() == 1


def test_a_team_smaller_than_k_cannot_open_a_round(world, alpha):
    with tenant_context(alpha):
        for membership in Membership.objects.filter(team=world.team, user__in=world.members[3:], ends_on=None):
            member_end(membership=membership, on=timezone.localdate() - timedelta(days=1))
    response = client_for(alpha, world.lead).post(f"/feedback/pulse/team/{world.team.pk}/open/", {"days_open": "7"})
    html = response.content.decode()
    assert response.status_code == 200 and "has 4 current members" in html and "at least 5" in html
    with tenant_context(alpha):
        assert not PulseRound.objects.filter(team=world.team).exists()


def test_a_raised_k_is_fixed_into_rounds_opened_after_it(world, alpha):
    with tenant_context(alpha):
        engine.feedback_settings_update(pulse_k=6, three_sixty_k=3)
    pulse = open_pulse(alpha, world.team, world.lead)
    assert pulse.round.k == 6
    answer(alpha, pulse, world.larch[:5])
    close(alpha, pulse)
    assert engine.results_of(pulse.round) is None  # five answers are not enough at k = 6


# --- k, and close before show


def test_four_answers_show_nothing_and_five_show(world, alpha):
    four = open_pulse(alpha, world.team, world.lead)
    answer(alpha, four, world.larch[:4], comments={0: f"{world.marker} four"})
    close(alpha, four)
    member = client_for(alpha, world.members[2])
    html = page(member, results_url(world))
    assert "Not enough people answered to keep everyone anonymous" in html
    assert not shows_results(html) and world.marker not in html

    five = open_pulse(alpha, world.team, world.lead)
    answer(alpha, five, world.larch[:5], comments={0: f"{world.marker} five"})
    close(alpha, five)
    html = page(member, results_url(world))
    assert shows_results(html)
    assert f"{world.marker} five" in html and f"{world.marker} four" not in html
    # The earlier round stays "not enough" in the trend table, with no figure.
    assert html.count("Not enough answers to keep everyone anonymous") == 1


def test_nothing_shows_while_a_round_is_open_however_many_answered(world, alpha):
    pulse = open_pulse(alpha, world.team, world.lead)
    answer(alpha, pulse, world.larch, comments={0: f"{world.marker} open"})
    html = page(client_for(alpha, world.lead), results_url(world))
    assert "6 of 6 people have answered so far" in html and "It closes on" in html
    assert not shows_results(html) and world.marker not in html and "pulse-trend" not in html
    with tenant_context(alpha):
        assert engine.results_of(Round.objects.get(pk=pulse.round_id)) is None


def test_an_early_close_by_the_lead_freezes_and_shows(world, alpha):
    pulse = open_pulse(alpha, world.team, world.lead)
    answer(alpha, pulse, world.larch[:5])
    response = client_for(alpha, world.lead).post(f"/feedback/pulse/team/{world.team.pk}/close/")
    assert response.status_code == 302
    with tenant_context(alpha):
        round_ = Round.objects.get(pk=pulse.round_id)
    assert round_.closed_at is not None and engine.results_visible(round_)
    assert client_for(alpha, world.members[0]).post(f"/feedback/pulse/team/{world.team.pk}/close/").status_code == 404


# --- Frozen results, overlapping teams, no narrowing


def test_results_are_frozen_whoever_leaves_or_joins_and_an_overlapping_team_changes_nothing(world, alpha):
    larch = open_pulse(alpha, world.team, world.lead)
    night = open_pulse(alpha, world.night, None)
    answer(alpha, larch, world.larch[:5], comments={0: "Larch comment"})
    answer(alpha, night, world.night_members, scores=SCORES["calm"])
    close(alpha, larch)
    close(alpha, night)
    member = client_for(alpha, world.members[4])  # stays in the team
    before = page(member, results_url(world))
    with tenant_context(alpha):
        frozen = Round.objects.get(pk=larch.round_id).results
        # Cass (in both teams) and two others leave Larch House; two newcomers join.
        for membership in Membership.objects.filter(team=world.team, user__in=world.members[:3], ends_on=None):
            member_end(membership=membership, on=timezone.localdate())
    for name in ("Hal Newcomer", "Ivy Newcomer"):
        add(alpha, world.team, make_person(alpha, ["leader"], name=name))
    with tenant_context(alpha):
        assert Round.objects.get(pk=larch.round_id).results == frozen
    after = page(member, results_url(world))
    assert PER_REQUEST.sub("", after) == PER_REQUEST.sub("", before)


def test_no_query_string_narrows_the_results(world, alpha):
    pulse = open_pulse(alpha, world.team, world.lead)
    answer(alpha, pulse, world.larch, comments={0: "one", 1: "two"})
    close(alpha, pulse)
    lead = client_for(alpha, world.lead)
    plain = page(lead, results_url(world))
    for query in (f"?user={world.members[0].pk}", "?statement=mistakes", "?point=1", "?since=2020-01-01",
                  f"?round={pulse.round_id}", "?role=leader&team=2", "?k=1"):
        assert PER_REQUEST.sub("", page(lead, results_url(world) + query)) == PER_REQUEST.sub("", plain), query


def test_comments_appear_only_in_rounds_that_reached_k_in_the_stored_random_order(world, alpha):
    below = open_pulse(alpha, world.team, world.lead)
    answer(alpha, below, world.larch[:4], comments={i: f"{world.marker}-below-{i}" for i in range(4)})
    close(alpha, below)
    with tenant_context(alpha):
        assert "comments" not in Round.objects.get(pk=below.round_id).results
    reached = open_pulse(alpha, world.team, world.lead)
    answer(alpha, reached, world.larch, comments={i: f"{world.marker}-reached-{i}" for i in range(6)})
    close(alpha, reached)
    html = page(client_for(alpha, world.members[4]), results_url(world))
    assert f"{world.marker}-below" not in html
    with tenant_context(alpha):
        stored = Round.objects.get(pk=reached.round_id).results["comments"]
    shown = re.findall(rf"{world.marker}-reached-\d", html)
    assert shown == stored and sorted(shown) == [f"{world.marker}-reached-{i}" for i in range(6)]


# --- Answering


def test_answering_once_then_a_clear_page_and_never_a_second_answer(world, alpha):
    pulse = open_pulse(alpha, world.team, world.lead)
    client = client_for(alpha, world.members[1])
    url = f"/feedback/pulse/{pulse.round_id}/"
    html = page(client, url)
    assert html.count("<fieldset") == 7 and html.count('type="radio"') == 49
    assert "not your manager's report card" in html and "at least 5 people have answered" in html
    data = {f"s_{s.key}": "5" for s in STATEMENTS} | {"comment": "Good week"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200 and "Your answer is in" in again.content.decode()
    assert "Your answer is in" in page(client, url)
    with tenant_context(alpha):
        round_ = Round.objects.get(pk=pulse.round_id)
        assert round_.answer_count == 1 and round_.answers.count() == 1
        assert Respondent.objects.get(round=pulse.round, user=world.members[1]).answered


def test_a_missing_answer_is_a_clear_error_and_writes_nothing(world, alpha):
    pulse = open_pulse(alpha, world.team, world.lead)
    client = client_for(alpha, world.members[1])
    data = {f"s_{s.key}": "5" for s in STATEMENTS[:6]} | {f"s_{STATEMENTS[6].key}": "8"}
    response = client.post(f"/feedback/pulse/{pulse.round_id}/", data)
    assert response.status_code == 200 and "Choose a number for this one." in response.content.decode()
    with tenant_context(alpha):
        assert Round.objects.get(pk=pulse.round_id).answer_count == 0


def test_a_closed_round_a_stranger_and_a_missing_round(world, alpha):
    pulse = open_pulse(alpha, world.team, world.lead)
    url = f"/feedback/pulse/{pulse.round_id}/"
    assert client_for(alpha, world.admin).get(url).status_code == 404  # not asked: not in the team
    assert client_for(alpha, world.night_members[1]).get(url).status_code == 404
    assert client_for(alpha, world.past_member).get(url).status_code == 404
    assert client_for(alpha, world.members[1]).get("/feedback/pulse/999999/").status_code == 404
    anonymous = client_for(alpha).get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    close(alpha, pulse)
    client = client_for(alpha, world.members[1])
    assert "This pulse has closed" in page(client, url)
    response = client.post(url, {f"s_{s.key}": "4" for s in STATEMENTS})
    assert response.status_code == 200 and "This pulse has closed" in response.content.decode()


def test_a_comment_naming_someone_is_held_back_until_the_writer_decides(world, alpha):
    pulse = open_pulse(alpha, world.team, world.lead)
    client = client_for(alpha, world.members[1])
    url = f"/feedback/pulse/{pulse.round_id}/"
    data = {f"s_{s.key}": "3" for s in STATEMENTS} | {"comment": "I wish lena listened more"}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "seems to name Lena Lead" in html and "Send it as it is" in html
    assert 'value="3" checked' in html or 'checked value="3"' in html or html.count("checked") >= 7
    with tenant_context(alpha):
        assert Round.objects.get(pk=pulse.round_id).answer_count == 0
    assert client.post(url, data | {"send_anyway": "1"}).status_code == 302
    with tenant_context(alpha):
        assert Round.objects.get(pk=pulse.round_id).answer_count == 1


def test_an_edited_comment_without_a_name_goes_at_once(world, alpha):
    pulse = open_pulse(alpha, world.team, world.lead)
    data = {f"s_{s.key}": "6" for s in STATEMENTS} | {"comment": "Handovers could be calmer"}
    assert client_for(alpha, world.members[2]).post(f"/feedback/pulse/{pulse.round_id}/", data).status_code == 302


# --- Home and the team's results


def test_the_home_page_asks_members_who_have_not_answered(world, alpha):
    pulse = open_pulse(alpha, world.team, world.lead)
    member = client_for(alpha, world.members[1])
    html = page(member, "/")
    assert "Your team's pulse is open" in html and f"/feedback/pulse/{pulse.round_id}/" in html
    assert "two minutes" in html
    answer(alpha, pulse, [world.members[1]])
    assert f"/feedback/pulse/{pulse.round_id}/" not in page(member, "/")
    assert f"/feedback/pulse/{pulse.round_id}/" not in page(client_for(alpha, world.admin), "/")


def test_results_show_spread_trend_starters_and_the_module(world, alpha):
    for _ in range(3):
        pulse = open_pulse(alpha, world.team, world.lead)
        answer(alpha, pulse, world.larch)
        close(alpha, pulse)
    html = page(client_for(alpha, world.members[3]), results_url(world))
    assert html.count('class="pulse-bar"') == 7  # a spread for every statement, not only a mean
    assert "How many chose each point" in html
    assert 'class="pulse-trend"' in html and html.count('class="pulse-dot"') == 3
    assert "<table" in html and html.count('<th scope="row">') == 3  # the trend's text alternative
    assert "not a performance measure" in html and "not your manager's report card" in html
    assert "For your next team meeting" in html
    with tenant_context(alpha):
        overview = selectors.team_pulse(world.team)
    assert 2 <= len(overview.starters) <= 3
    weakest = sorted(overview.spreads, key=lambda s: (s.favourable, s.key))[: len(overview.starters)]
    assert {s["key"] for s in overview.starters} == {s.key for s in weakest}
    for starter in overview.starters:
        assert starter["question"] in html
    assert 'href="/learn/psychological-safety/"' in html  # the module, by its slug


def test_the_team_page_section_shows_the_pulse_to_members_and_admins(world, alpha):
    from teams.sections import team_sections

    pulse = open_pulse(alpha, world.team, world.lead)
    answer(alpha, pulse, world.larch)
    close(alpha, pulse)
    with tenant_context(alpha):
        for viewer in (world.lead, world.members[4], world.admin):
            [section] = [s for s in team_sections(world.team, viewer) if s.key == "feedback.pulse"]
            assert section.context["pulse"].latest is not None
        for viewer in (world.mentor, world.past_member, world.night_members[1]):
            assert not [s for s in team_sections(world.team, viewer) if s.key == "feedback.pulse"]


# --- The rhythm and the beat (in-process; tests/feedback/test_pulse_tasks.py runs it on a real worker)


def test_a_rhythm_opens_due_rounds_and_moves_on(world, alpha):
    today = timezone.localdate()
    with tenant_context(alpha):
        services.pulse_schedule_set(team=world.team, by=world.lead, rhythm=PulseRhythm.MONTHLY, days_open=5)
        assert services.schedules_open_due() == (1, 0)
        schedule = PulseSchedule.objects.get(team=world.team)
        assert schedule.next_opens_on > today and (schedule.next_opens_on - today).days <= 31
        assert services.schedules_open_due() == (0, 0)  # not due again until next month
        PulseSchedule.objects.filter(pk=schedule.pk).update(next_opens_on=today)
        assert services.schedules_open_due() == (0, 1)  # still open: this one is skipped, and the date moves on
        assert PulseSchedule.objects.get(pk=schedule.pk).next_opens_on > today
        assert PulseRound.objects.filter(team=world.team).count() == 1
        with pytest.raises(services.PulseError):
            services.pulse_schedule_set(team=world.team, by=world.members[1], rhythm="monthly", days_open=5)


def test_next_opening_keeps_the_day_and_skips_missed_ones():
    from datetime import date

    assert services.next_opening(date(2026, 1, 31), "monthly", date(2026, 1, 31)) == date(2026, 2, 28)
    assert services.next_opening(date(2026, 1, 15), "quarterly", date(2026, 1, 15)) == date(2026, 4, 15)
    assert services.next_opening(date(2026, 1, 10), "monthly", date(2026, 5, 20)) == date(2026, 6, 10)


def test_the_rhythm_page_saves_and_refuses_a_past_date(world, alpha):
    lead = client_for(alpha, world.lead)
    url = f"/feedback/pulse/team/{world.team.pk}/rhythm/"
    assert lead.get(url).status_code == 200
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    response = lead.post(url, {"rhythm": "quarterly", "days_open": "7", "next_opens_on": past})
    assert response.status_code == 200 and "Choose today or a day to come" in response.content.decode()
    soon = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert lead.post(url, {"rhythm": "quarterly", "days_open": "7", "next_opens_on": soon}).status_code == 302
    with tenant_context(alpha):
        assert PulseSchedule.objects.get(team=world.team).rhythm == "quarterly"
    assert client_for(alpha, world.members[1]).get(url).status_code == 404


# --- Admins


def test_admins_see_participation_in_name_order_and_links_only_where_k_was_reached(world, alpha):
    with tenant_context(alpha):
        from teams.services import team_create

        team_create(name="Ash Court", description="")
    reached = open_pulse(alpha, world.team, world.lead)
    answer(alpha, reached, world.larch)
    close(alpha, reached)
    below = open_pulse(alpha, world.night, None)
    answer(alpha, below, world.night_members[:2])
    close(alpha, below)
    html = page(client_for(alpha, world.admin), "/manage/feedback/")
    assert html.index("Ash Court") < html.index("Larch House") < html.index("Night team")
    assert f"/feedback/pulse/team/{world.team.pk}/" in html
    assert f"/feedback/pulse/team/{world.night.pk}/" not in html
    assert "not a performance measure" in html and "never ranked" in html
    for word in ("rank</", "score</", "league"):
        assert word not in html.lower()
    assert client_for(alpha, world.lead).get("/manage/feedback/").status_code == 404


def test_admins_raise_k_and_lowering_it_is_a_clear_form_error(world, alpha):
    admin = client_for(alpha, world.admin)
    assert admin.post("/manage/feedback/", {"pulse_k": "7", "three_sixty_k": "4"}).status_code == 302
    with tenant_context(alpha):
        settings = FeedbackSettings.objects.get()
        assert (settings.pulse_k, settings.three_sixty_k) == (7, 4)
    response = admin.post("/manage/feedback/", {"pulse_k": "4", "three_sixty_k": "4"})
    assert response.status_code == 200 and "at least 5 answers to keep everyone anonymous" in response.content.decode()
    with tenant_context(alpha):
        assert FeedbackSettings.objects.get().pulse_k == 7


# --- The demo


def test_the_demo_team_gets_a_year_of_gently_improving_pulses_once(world, alpha, monkeypatch):
    monkeypatch.setattr(demo, "_demo_team", lambda: world.team)
    people = {"admin": world.admin, "leader": world.lead, "mentor": world.mentor}
    with tenant_context(alpha):
        demo.seed(people=people)
        demo.seed(people=people)
        pulses = list(PulseRound.objects.filter(team=world.team).select_related("round")
                      .order_by("round__opened_at"))
        overview = selectors.team_pulse(world.team)
        assert PulseSchedule.objects.get(team=world.team).rhythm == "monthly"
    assert len(pulses) == 12 and all(p.round.closed_at < timezone.now() for p in pulses)
    reached = [s.overall for s in overview.trend if s.reached]
    assert len(reached) == 11  # one summer month had too few answers
    assert reached[-1] > reached[0] and max(reached) - min(reached) < 2.5
    assert overview.latest is not None and overview.comments
    gaps = [(b.round.opened_at - a.round.opened_at).days for a, b in zip(pulses, pulses[1:], strict=False)]
    assert all(25 <= gap <= 35 for gap in gaps)


def test_the_demo_organisation_has_a_year_of_larch_house_pulses_its_members_can_read(alpha):
    from people.models import MentorPairing
    from teams.demo import DEMO_TEAM_NAME
    from teams.models import Team
    from tenants.demo_seeding import demo_seed

    people = {
        "admin": make_person(alpha, ["admin", "leader"], name="Priya Admin"),
        "leader": make_person(alpha, ["leader"], name="Sam Leader"),
        "mentor": make_person(alpha, ["mentor"], name="Morgan Mentor"),
    }
    with tenant_context(alpha):
        MentorPairing.objects.create(leader=people["leader"], mentor=people["mentor"],
                                     starts_on=timezone.localdate() - timedelta(days=42))
    demo_seed(organisation=alpha, people=people)
    demo_seed(organisation=alpha, people=people)
    with tenant_context(alpha):
        team = Team.objects.get(name=DEMO_TEAM_NAME)
        assert PulseRound.objects.filter(team=team).count() == 12
        assert PulseRound.objects.exclude(team=team).count() == 0  # no competing team, no other team's pulses
    html = page(client_for(alpha, people["leader"]), f"/feedback/pulse/team/{team.pk}/")
    assert shows_results(html) and html.count('class="pulse-dot"') == 11
    assert "Not enough answers to keep everyone anonymous" in html


def test_opening_the_pulse_pages_writes_nothing(world, alpha):
    """A GET never writes (tests/test_get_never_writes.py): not the answer page a link scanner opens from the email,
    not the results, not the admin's page (which reads k without making the settings row)."""
    from django.db import connection

    def writes() -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
                " WHERE schemaname = %s", [alpha.schema_name],
            )
            return {t: n for t, n in cursor.fetchall() if t not in ("usersessions_usersession", "django_session")}

    reached = open_pulse(alpha, world.team, world.lead)
    answer(alpha, reached, world.larch)
    close(alpha, reached)
    current = open_pulse(alpha, world.team, world.lead)
    visits = {
        world.members[1]: ["/", f"/feedback/pulse/{current.round_id}/", f"/feedback/pulse/{reached.round_id}/",
                           results_url(world)],
        world.lead: [results_url(world), f"/feedback/pulse/team/{world.team.pk}/rhythm/"],
        world.admin: ["/manage/feedback/", results_url(world)],
    }
    clients = {person: client_for(alpha, person) for person in visits}
    for client in clients.values():
        client.get("/")  # sign-in bookkeeping first
    connection.set_schema_to_public()
    before = writes()
    for person, urls in visits.items():
        for url in urls:
            assert clients[person].get(url).status_code == 200, url
    connection.set_schema_to_public()
    assert writes() == before
    with tenant_context(alpha):
        assert not FeedbackSettings.objects.exists()
