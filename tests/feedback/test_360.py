"""The four-behaviour 360: asking, answering (as a colleague and by a single-use link), k, close before show,
results beside the self-check, sharing with a mentor, the home section."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from courses.models import Behaviour
from feedback.models import Respondent, Round, ThreeSixty, ThreeSixtyShare
from feedback.threesixty import selectors, services
from feedback.threesixty.statements import behaviour_modules, statements_for_360
from tests.conftest import client_for, make_person
from tests.feedback.threesixty_world import (
    answer,
    ask,
    build_world,
    close,
    link_for,
    pair,
    self_checks,
    statement_count,
)

pytestmark = pytest.mark.django_db


def _post_answer(client, url: str, value: int = 4, comment: str = "", **extra):
    data = {f"s{n}": str(value) for n in range(1, statement_count() + 1)}
    return client.post(url, {**data, "comment": comment, **extra})


def test_the_statements_are_the_four_behaviours_self_checks_about_someone_else(alpha):
    assert statement_count() == len(scores_of(alpha))
    with tenant_context(alpha):
        modules = behaviour_modules()
        statements = statements_for_360()
    assert [m.behaviour for m in modules] == Behaviour.values
    assert {s.group for s in statements} == set(Behaviour.values)
    for item in modules:
        # One statement about the leader for each statement of the self-check.
        assert len(item.pairs) == len(item.module.self_check["statements"])
    assert statements[0].text.startswith("When I bring them a problem")


def test_asking_needs_at_least_k_people_and_writes_nothing_otherwise(alpha):
    leader = make_person(alpha, ["leader"])
    colleagues = [make_person(alpha, ["leader"]) for _ in range(2)]
    client = client_for(alpha, leader)
    response = client.post("/feedback/360/new/", {"colleagues": [c.pk for c in colleagues], "emails": "",
                                                   "days_open": "14"})
    assert response.status_code == 200
    assert "Ask at least 3 people" in response.content.decode()
    # Asking yourself (by id or by your own address) does not count.
    response = client.post("/feedback/360/new/", {"colleagues": [c.pk for c in colleagues] + [leader.pk],
                                                   "emails": leader.email, "days_open": "14"})
    assert response.status_code == 200
    with tenant_context(alpha):
        assert not Round.objects.exists() and not Respondent.objects.exists()
    response = client.post("/feedback/360/new/", {"colleagues": [c.pk for c in colleagues],
                                                   "emails": "Fern@Example.org\nfern@example.org", "days_open": "10"})
    assert response.status_code == 302
    with tenant_context(alpha):
        three_sixty = ThreeSixty.objects.get(leader=leader)
        round_ = three_sixty.round
        assert round_.k == 3 and round_.scale == 5 and round_.instrument == "360"
        assert round_.closes_at - round_.opened_at == timedelta(days=10)
        external = Respondent.objects.get(round=round_, user__isnull=True)
        assert external.email == "Fern@Example.org" and external.token_hash and external.expires_at == round_.closes_at
        assert Respondent.objects.filter(round=round_).count() == 3
    assert response["Location"] == f"/feedback/360/{three_sixty.pk}/"
    # One open 360 at a time.
    assert client.get("/feedback/360/new/")["Location"] == f"/feedback/360/{three_sixty.pk}/"


def test_only_leaders_ask(alpha):
    mentor = make_person(alpha, ["mentor"])
    assert client_for(alpha, mentor).get("/feedback/360/new/").status_code == 404


def test_two_answers_show_nothing_and_three_show_after_close(alpha):
    leader = make_person(alpha, ["leader"])
    raters = [make_person(alpha, ["leader"]) for _ in range(4)]
    client = client_for(alpha, leader)
    two = ask(alpha, leader, raters)
    answer(alpha, two, raters[0], 4, "SECRETTWO one")
    answer(alpha, two, raters[1], 2, "SECRETTWO two")
    two = close(alpha, two)
    page = client.get(f"/feedback/360/{two.pk}/").content.decode()
    assert "not enough answers" in page.lower() and "SECRETTWO" not in page
    assert "Others" not in page and "Each statement" not in page
    with tenant_context(alpha):
        assert selectors.results_for(ThreeSixty.objects.get(pk=two.pk)) is None

    three = ask(alpha, leader, raters)
    for n, rater in enumerate(raters[:3]):
        answer(alpha, three, rater, 3 + n % 3, f"SECRETTHREE {n}")
    # Close before show: three answers, still open, nothing.
    page = client.get(f"/feedback/360/{three.pk}/").content.decode()
    assert "SECRETTHREE" not in page and "3 answered so far" not in page  # (the stat shows the number on its own)
    assert ">3<" in page and "Each statement" not in page
    three = close(alpha, three)
    page = client.get(f"/feedback/360/{three.pk}/").content.decode()
    assert all(f"SECRETTHREE {n}" in page for n in range(3))
    assert "3 people answered" in page and "Each statement" in page


def test_results_sit_beside_the_leaders_own_self_check_and_name_the_biggest_difference(alpha):
    leader = make_person(alpha, ["leader"])
    raters = [make_person(alpha, ["leader"]) for _ in range(3)]
    self_checks(alpha, leader, 2)
    three_sixty = ask(alpha, leader, raters)
    for rater in raters:
        answer(alpha, three_sixty, rater, 4)
    three_sixty = close(alpha, three_sixty)
    with tenant_context(alpha):
        results = selectors.results_for(ThreeSixty.objects.select_related("round", "leader").get(pk=three_sixty.pk))
    assert [row.behaviour for row in results.rows] == Behaviour.values
    assert all(row.others == 4 and row.own == 2 for row in results.rows)
    assert results.difference.others_see_more
    page = client_for(alpha, leader).get(f"/feedback/360/{three_sixty.pk}/").content.decode()
    assert "Others see more attending in you than you do" in page
    assert "Reflect on this in your journal" in page
    assert "<svg" in page and "<table" in page  # the picture, and the table as its text alternative


def test_no_self_check_invites_one(alpha):
    leader = make_person(alpha, ["leader"])
    raters = [make_person(alpha, ["leader"]) for _ in range(3)]
    three_sixty = ask(alpha, leader, raters)
    for rater in raters:
        answer(alpha, three_sixty, rater, 4)
    three_sixty = close(alpha, three_sixty)
    page = client_for(alpha, leader).get(f"/feedback/360/{three_sixty.pk}/").content.decode()
    assert "take the self-check for" in page and "no self-check yet" in page


def test_a_colleague_answers_in_the_app_once(alpha):
    leader = make_person(alpha, ["leader"], name="Sam Leader")
    raters = [make_person(alpha, ["leader"]) for _ in range(3)]
    three_sixty = ask(alpha, leader, raters)
    client = client_for(alpha, raters[0])
    home = client.get("/").content.decode()
    assert "Sam asked for your feedback" in home
    page = client.get(f"/feedback/360/{three_sixty.pk}/answer/").content.decode()
    assert "will <strong>not</strong> see who said what" in page
    assert _post_answer(client, f"/feedback/360/{three_sixty.pk}/answer/", 4)["Location"].endswith("/answer/")
    again = client.get(f"/feedback/360/{three_sixty.pk}/answer/").content.decode()
    assert "You have answered" in again
    _post_answer(client, f"/feedback/360/{three_sixty.pk}/answer/", 1)
    with tenant_context(alpha):
        assert Round.objects.get(pk=three_sixty.round_id).answer_count == 1
    assert "asked for your feedback" not in client.get("/").content.decode()


def test_an_incomplete_answer_is_refused_with_a_clear_message(alpha):
    leader = make_person(alpha, ["leader"])
    raters = [make_person(alpha, ["leader"]) for _ in range(3)]
    three_sixty = ask(alpha, leader, raters)
    client = client_for(alpha, raters[0])
    response = client.post(f"/feedback/360/{three_sixty.pk}/answer/", {"s1": "4", "comment": "Kind"})
    assert response.status_code == 200 and "Choose an answer for every statement" in response.content.decode()
    with tenant_context(alpha):
        assert Round.objects.get(pk=three_sixty.round_id).answer_count == 0


def test_a_comment_naming_someone_is_warned_about_once_and_the_writer_decides(alpha):
    leader = make_person(alpha, ["leader"])
    raters = [make_person(alpha, ["leader"]) for _ in range(3)]
    make_person(alpha, ["leader"], name="Priyanka Shah")
    three_sixty = ask(alpha, leader, raters)
    client = client_for(alpha, raters[0])
    url = f"/feedback/360/{three_sixty.pk}/answer/"
    response = _post_answer(client, url, 4, "Better than priyanka at handovers")
    page = response.content.decode()
    assert response.status_code == 200 and "seems to name Priyanka Shah" in page
    with tenant_context(alpha):
        assert Round.objects.get(pk=three_sixty.round_id).answer_count == 0
    # Sent again as it is: the writer decided.
    response = _post_answer(client, url, 4, "Better than priyanka at handovers",
                            checked_comment="Better than priyanka at handovers")
    assert response.status_code == 302
    with tenant_context(alpha):
        assert Round.objects.get(pk=three_sixty.round_id).answer_count == 1


def test_an_external_link_works_once_without_an_account_and_then_says_calmly_it_no_longer_works(alpha):
    leader = make_person(alpha, ["leader"], name="Sam Leader")
    raters = [make_person(alpha, ["leader"]) for _ in range(2)]
    three_sixty = ask(alpha, leader, raters, ["fern@example.org"])
    token = link_for(alpha, three_sixty, "fern@example.org")
    visitor = client_for(alpha)
    page = visitor.get(f"/feedback/360/r/{token}/")
    assert page.status_code == 200 and "Feedback for Sam Leader" in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]
    visitor.get(f"/feedback/360/r/{token}/")  # opening it twice (a link scanner, then the person) is fine
    response = _post_answer(visitor, f"/feedback/360/r/{token}/", 5, "Warm and steady")
    assert response.status_code == 302 and response["Location"] == "/feedback/360/thanks/"
    used = visitor.get(f"/feedback/360/r/{token}/")
    unknown = visitor.get("/feedback/360/r/not-a-real-link-at-all/")
    again = _post_answer(visitor, f"/feedback/360/r/{token}/", 1)
    with tenant_context(alpha):
        assert Round.objects.get(pk=three_sixty.round_id).answer_count == 1
        assert Respondent.objects.get(email="fern@example.org").token_hash is None
    # Expired: a second external rater whose link has run out.
    with tenant_context(alpha):
        Respondent.objects.create(round_id=three_sixty.round_id, email="gp@example.org", token_hash="x" * 64,
                                  expires_at=timezone.now() + timedelta(days=1))
    late = link_for(alpha, three_sixty, "gp@example.org")
    with tenant_context(alpha):
        Respondent.objects.filter(email="gp@example.org").update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = visitor.get(f"/feedback/360/r/{late}/")
    bodies = {r.content.decode().replace(r.wsgi_request.path, "") for r in (used, unknown, again, expired)}
    assert {r.status_code for r in (used, unknown, again, expired)} == {404}
    assert len(bodies) == 1 and "This link no longer works" in bodies.pop()


def test_a_link_stops_working_when_the_360_closes(alpha):
    leader = make_person(alpha, ["leader"])
    raters = [make_person(alpha, ["leader"]) for _ in range(2)]
    three_sixty = ask(alpha, leader, raters, ["fern@example.org"])
    token = link_for(alpha, three_sixty, "fern@example.org")
    close(alpha, three_sixty)
    assert client_for(alpha).get(f"/feedback/360/r/{token}/").status_code == 404
    with tenant_context(alpha):
        assert not engine_renew(three_sixty, "fern@example.org")


def scores_of(alpha) -> list[int]:
    with tenant_context(alpha):
        return [4] * len(statements_for_360())


def engine_renew(three_sixty, email) -> bool:
    from feedback import engine
    from people.tokens import token_new

    respondent = Respondent.objects.get(round_id=three_sixty.round_id, email=email)
    return engine.respondent_link_renew(respondent=respondent, token=token_new()[0])


def test_the_leader_closes_early_and_nobody_can_answer_after(alpha):
    leader = make_person(alpha, ["leader"])
    raters = [make_person(alpha, ["leader"]) for _ in range(3)]
    three_sixty = ask(alpha, leader, raters)
    for rater in raters:
        answer(alpha, three_sixty, rater, 4)
    assert client_for(alpha, raters[0]).post(f"/feedback/360/{three_sixty.pk}/close/").status_code == 404
    response = client_for(alpha, leader).post(f"/feedback/360/{three_sixty.pk}/close/")
    assert response.status_code == 302
    with tenant_context(alpha):
        assert Round.objects.get(pk=three_sixty.round_id).closed_at is not None


def test_sharing_the_summary_with_a_current_mentor_and_stopping(alpha, beta):
    world = build_world(alpha, beta)
    pk = world.three_sixty.pk
    leader, mentor = client_for(alpha, world.leader), client_for(alpha, world.mentor_shared)
    page = mentor.get(f"/feedback/360/{pk}/summary/").content.decode()
    assert world.marker in page
    # The mentor sees what others said, never the leader's own self-check ratings.
    assert "Your self-check" not in page and "no self-check yet" not in page
    assert "Lee Leader's 360" in mentor.get("/feedback/360/").content.decode()
    assert mentor.get(f"/feedback/360/{pk}/").status_code == 404  # only the summary page
    assert leader.post(f"/feedback/360/{pk}/unshare/{world.mentor_shared.pk}/").status_code == 302
    assert mentor.get(f"/feedback/360/{pk}/summary/").status_code == 404
    # Sharing with someone who is not a current mentor does nothing.
    leader.post(f"/feedback/360/{pk}/share/", {"mentors": [world.other_member.pk]})
    with tenant_context(alpha):
        assert not ThreeSixtyShare.objects.filter(mentor=world.other_member).exists()
    assert leader.post(f"/feedback/360/{pk}/share/", {"mentors": [world.mentor_shared.pk]}).status_code == 302
    assert world.marker in mentor.get(f"/feedback/360/{pk}/summary/").content.decode()


def test_an_open_360_cannot_be_shared(alpha):
    leader, mentor = make_person(alpha, ["leader"]), make_person(alpha, ["mentor"])
    pair(alpha, leader, mentor)
    raters = [make_person(alpha, ["leader"]) for _ in range(3)]
    three_sixty = ask(alpha, leader, raters)
    with tenant_context(alpha), pytest.raises(services.ThreeSixtyError):
        services.three_sixty_share(three_sixty=three_sixty, leader=leader, mentor=mentor)
    assert client_for(alpha, leader).get(f"/feedback/360/{three_sixty.pk}/share/").status_code == 404


def test_the_home_section_tells_the_leader_their_results_are_ready(alpha):
    leader = make_person(alpha, ["leader"])
    raters = [make_person(alpha, ["leader"]) for _ in range(3)]
    three_sixty = ask(alpha, leader, raters)
    for rater in raters:
        answer(alpha, three_sixty, rater, 4)
    close(alpha, three_sixty)
    home = client_for(alpha, leader).get("/").content.decode()
    assert "Your 360 has closed" in home and "Read what people said" in home


def test_reflect_on_this_opens_a_journal_entry_about_the_360_for_the_leader_alone(alpha, beta):
    world = build_world(alpha, beta)
    pk = world.three_sixty.pk
    leader = client_for(alpha, world.leader)
    page = leader.get(f"/feedback/360/{pk}/").content.decode()
    link = f"/journal/new/?about=feedback.360.attending%3A{pk}"
    assert link in page  # others (all 4s and 5s and 3s) see more attending than Lee's 3s: the same for all four
    form = leader.get(link.replace("%3A", ":")).content.decode()
    assert "Your 360 of" in form and "see your attending differently" in form
    # Anyone else asking for the same link gets a plain new entry: no label, nothing said.
    for other in (world.mentor_shared, world.rater):
        assert "Your 360 of" not in client_for(alpha, other).get(link.replace("%3A", ":")).content.decode()


def test_the_navigation_leads_to_360_feedback_through_growing_and_marks_it(alpha, beta):
    from tests.people.test_navigation import _current

    world = build_world(alpha, beta)
    client = client_for(alpha, world.leader)
    assert 'href="/feedback/360/"' in client.get("/growing/").content.decode()
    assert _current(client.get("/feedback/360/").content.decode()) == [("true", "Growing")]
    assert _current(client.get(f"/feedback/360/{world.three_sixty.pk}/").content.decode()) == [("true", "Growing")]


def test_the_demo_leader_gets_a_finished_360_beside_their_self_checks_once(alpha):
    from feedback.threesixty import demo
    from people.models import User

    people = {"admin": make_person(alpha, ["admin", "leader"]), "leader": make_person(alpha, ["leader"]),
              "mentor": make_person(alpha, ["mentor"])}
    pair(alpha, people["leader"], people["mentor"])
    with tenant_context(alpha):
        for username in ("amira", "femi"):
            User.objects.filter(pk=make_person(alpha, ["leader"]).pk).update(username=username)
        demo.seed(people=people)
        demo.seed(people=people)
        [three_sixty] = ThreeSixty.objects.filter(leader=people["leader"]).select_related("round", "leader")
        round_ = three_sixty.round
        assert round_.closed_at is not None and round_.closed_at < timezone.now() - timedelta(days=10)
        assert round_.results["reached"] and round_.results["answers"] >= 3
        assert Respondent.objects.filter(round=round_, user__isnull=True, email__endswith="@example.org").count() == 2
        results = selectors.results_for(three_sixty)
        assert all(row.own is not None for row in results.rows)
        assert results.difference is not None and results.comments
    page = client_for(alpha, people["mentor"]).get(f"/feedback/360/{three_sixty.pk}/summary/")
    assert page.status_code == 200


def test_a_link_from_one_organisation_means_nothing_in_another(alpha, beta):
    leader = make_person(alpha, ["leader"])
    raters = [make_person(alpha, ["leader"]) for _ in range(2)]
    three_sixty = ask(alpha, leader, raters, ["fern@example.org"])
    token = link_for(alpha, three_sixty, "fern@example.org")
    at_beta = client_for(beta).get(f"/feedback/360/r/{token}/")
    assert at_beta.status_code == 404 and "This link no longer works" in at_beta.content.decode()
    assert client_for(alpha).get(f"/feedback/360/r/{token}/").status_code == 200
