"""Growth: the profile and suggestions to it (a strength suggestion lands in the one list, in teams), stretch
opportunities (who may offer, answer, mark done, the team they count under), "reflect on this", the home and team
sections, the admins' counts that never name anyone, GET never writing, and query counts held as data grows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from reflections.about import about_for
from supervision.growth_sections import growth_home_section, growth_team_section
from supervision.models import GrowthSuggestion, StretchOpportunity
from supervision.selectors import growth as selectors
from supervision.services import growth
from teams.models import StrengthProfile
from teams.selectors import access_team_by_id
from teams.services import member_add, team_create
from tests.conftest import client_for, make_person
from tests.supervision.growth_world import build_world
from tests.test_get_never_writes import _writes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alpha, beta):
    return build_world(alpha, beta)


def test_a_supervisor_suggests_and_the_person_adds_or_declines(world, alpha):
    with tenant_context(alpha):
        hope = growth.suggestion_make(person=world.person, by=world.supervisor, area="hope", text=" Lead  a project ")
        pick = growth.suggestion_make(person=world.person, by=world.supervisor, area="strength", strength="teaching")
        words = growth.suggestion_make(person=world.person, by=world.supervisor, area="strength",
                                       text="Patient with new starters")
        edge = growth.suggestion_make(person=world.person, by=world.supervisor, area="edge", text="Delegating")
        for suggestion in (hope, pick, words):
            growth.suggestion_answer(suggestion=suggestion, person=world.person, accept=True)
        growth.suggestion_answer(suggestion=edge, person=world.person, accept=False)
        profile = selectors.growth_profile_of(world.person)
        strengths = StrengthProfile.objects.get(user=world.person)
        assert profile.hope_lines[-1] == "Lead a project"
        assert "Delegating" not in profile.growth_edges
        assert strengths.picks == ["ideas", "calm", "teaching"]  # the one list, in teams
        assert strengths.own_words.endswith("Patient with new starters")
        assert strengths.shown_to_team is False  # still as the person chose
        assert GrowthSuggestion.objects.get(pk=edge.pk).status == "declined"
        with pytest.raises(growth.GrowthError):
            growth.suggestion_answer(suggestion=edge, person=world.person, accept=True)  # answered once


@pytest.mark.parametrize("by", ["former_supervisor", "other_supervisor", "team_lead", "admin", "mentor", "person"])
def test_only_the_current_supervisor_suggests(world, alpha, by):
    with tenant_context(alpha), pytest.raises(growth.GrowthError):
        growth.suggestion_make(person=world.person, by=getattr(world, by), area="hope", text="Something")


def test_a_suggestion_must_say_something_sensible(world, alpha):
    with tenant_context(alpha):
        for bad in ({"area": "hope", "text": "  "}, {"area": "talent", "text": "x"},
                    {"area": "hope", "strength": "ideas"}, {"area": "strength", "strength": "ranked"},
                    {"area": "edge", "text": "x" * 301}):
            with pytest.raises(growth.GrowthError):
                growth.suggestion_make(person=world.person, by=world.supervisor, **bad)
        assert not GrowthSuggestion.objects.exists()


def test_who_may_offer_a_stretch_and_the_team_it_counts_under(world, alpha):
    with tenant_context(alpha):
        other_team = team_create(name="Night team")
        member_add(team=other_team, user=world.person)
        offered = growth.stretch_offer(person=world.person, by=world.team_lead, kind="handover")
        assert offered.team == world.team  # the team the lead leads, not the person's first by name
        by_supervisor = growth.stretch_offer(person=world.person, by=world.supervisor, kind="team_meeting")
        assert by_supervisor.team is not None  # the person's first team now (by name)
        for by in ("former_supervisor", "other_supervisor", "team_member", "admin", "mentor", "person"):
            with pytest.raises(growth.GrowthError):
                growth.stretch_offer(person=world.person, by=getattr(world, by), kind="handover")
        with pytest.raises(growth.GrowthError):
            growth.stretch_offer(person=world.person, by=world.supervisor, kind="own", words="  ")
        with pytest.raises(growth.GrowthError):
            growth.stretch_offer(person=world.person, by=world.supervisor, kind="promotion")
        lonely = make_person(alpha, ["leader"], name="No Team")
    with tenant_context(alpha):
        from supervision.services.sessions import relationship_create

        relationship_create(supervisor=world.supervisor, supervisee=lonely)
        assert growth.stretch_offer(person=lonely, by=world.supervisor, kind="handover").team is None


def test_answer_then_done_by_the_person_or_whoever_offered_it(world, alpha):
    with tenant_context(alpha):
        with pytest.raises(growth.GrowthError):
            growth.stretch_done(opportunity=world.stretch, by=world.person)  # not accepted yet
        with pytest.raises(growth.GrowthError):
            growth.stretch_answer(opportunity=world.stretch, person=world.supervisor, accept=True)
        growth.stretch_answer(opportunity=world.stretch, person=world.person, accept=True)
        with pytest.raises(growth.GrowthError):
            growth.stretch_answer(opportunity=world.stretch, person=world.person, accept=False)
        with pytest.raises(growth.GrowthError):
            growth.stretch_done(opportunity=world.stretch, by=world.team_lead)
        done = growth.stretch_done(opportunity=world.stretch, by=world.supervisor)
        assert (done.status, done.done_by) == ("done", world.supervisor)
        growth.stretch_answer(opportunity=world.lead_stretch, person=world.person, accept=True)
        assert growth.stretch_done(opportunity=world.lead_stretch, by=world.person).done_by == world.person


def test_the_pages_walk_through_offer_accept_done_and_reflect(world, alpha):
    lead = client_for(alpha, world.team_lead)
    page = lead.get(f"/teams/{world.team.pk}/").content.decode()
    assert "/growing/offer/" in page  # the team page offers it to its leads
    response = lead.post("/growing/offer/", {"person": world.person.pk, "kind": "new_starter",
                                              "words": "Look after Ana on her first week"})
    assert response.status_code == 302
    with tenant_context(alpha):
        offered = StretchOpportunity.objects.get(kind="new_starter")
    person = client_for(alpha, world.person)
    home = person.get("/").content.decode()
    assert "Mentor a new starter" in home and f"/growing/opportunities/{offered.pk}/" in home
    assert person.post(f"/growing/opportunities/{offered.pk}/answer/", {"answer": "accept"}).status_code == 302
    detail = person.get(f"/growing/opportunities/{offered.pk}/").content.decode()
    assert "Reflect on this" in detail and f"about=supervision.stretch%3A{offered.pk}" in detail
    assert person.post(f"/growing/opportunities/{offered.pk}/done/").status_code == 302
    with tenant_context(alpha):
        assert StretchOpportunity.objects.get(pk=offered.pk).status == "done"
    new_entry = person.get(f"/journal/new/?about=supervision.stretch:{offered.pk}").content.decode()
    assert "Your stretch: Mentor a new starter" in new_entry
    # The lead's page has no reflect link: the journal is the person's.
    assert "Reflect on this" not in lead.get(f"/growing/opportunities/{offered.pk}/").content.decode()


def test_reflect_on_this_resolves_for_the_person_alone_once_accepted(world, alpha):
    with tenant_context(alpha):
        value = f"supervision.stretch:{world.stretch.pk}"
        assert about_for(world.person, value) is None  # only offered so far
        growth.stretch_answer(opportunity=world.stretch, person=world.person, accept=True)
        assert about_for(world.person, value).link.label.startswith("Your stretch: Run the")
        for other in (world.supervisor, world.team_lead, world.admin, world.mentor):
            assert about_for(other, value) is None


def test_the_home_section_shows_what_waits_for_you(world, alpha):
    with tenant_context(alpha):
        section = growth_home_section(world.person)
        assert section.title == "Stretches offered to you" and len(section.context["offered"]) == 2
        growth.suggestion_make(person=world.person, by=world.supervisor, area="hope", text="x")
        assert growth_home_section(world.person).context["suggestions"] == 1
        assert growth_home_section(world.team_member) is None
        for opportunity in (world.stretch, world.lead_stretch):
            growth.stretch_answer(opportunity=opportunity, person=world.person, accept=False)
        assert growth_home_section(world.person).title == "A suggestion for your growth profile"


def test_the_team_section_is_for_the_teams_leads(world, alpha):
    with tenant_context(alpha):
        assert growth_team_section(access_team_by_id(world.team_lead, world.team.pk), world.team_lead) is not None
        for viewer in (world.team_member, world.admin):
            assert growth_team_section(access_team_by_id(viewer, world.team.pk), viewer) is None


def test_admins_see_counts_per_team_and_never_a_name(world, alpha):
    with tenant_context(alpha):
        growth.stretch_answer(opportunity=world.stretch, person=world.person, accept=True)
        growth.stretch_done(opportunity=world.stretch, by=world.person)
        rows = selectors.stretch_counts_by_team()
    assert [(row.name, row.offered, row.taken, row.done) for row in rows] == [("Larch House", 2, 1, 1)]
    page = client_for(alpha, world.admin).get("/manage/supervision/growing/").content.decode()
    assert "Larch House" in page
    with tenant_context(alpha):
        from people.models import User

        names = [name for name in User.objects.values_list("full_name", flat=True) if name]
    for name in names:
        if name != "Ada Admin":  # the signed-in admin's own name in the header
            assert name not in page, name
    for marker in world.markers:
        assert marker not in page
    assert "/manage/supervision/growing/" in client_for(alpha, world.admin).get("/manage/").content.decode()


def test_opening_growth_pages_writes_nothing(world, alpha):
    visits = {
        world.person: ["/", "/growing/", "/growing/profile/", "/growing/profile/edit/", "/teams/strengths/",
                       f"/growing/opportunities/{world.stretch.pk}/", f"/teams/{world.team.pk}/"],
        world.supervisor: ["/growing/", f"/growing/people/{world.person.pk}/", "/growing/offer/",
                           f"/growing/opportunities/{world.stretch.pk}/"],
        world.admin: ["/manage/supervision/growing/", f"/teams/{world.team.pk}/", "/growing/"],
        world.team_member: ["/growing/", "/growing/profile/", "/teams/strengths/"],
    }
    clients = {person: client_for(alpha, person) for person in visits}
    for person, client in clients.items():
        client.get(visits[person][0])  # sign-in bookkeeping first
    connection.set_schema_to_public()
    before = _writes(alpha.schema_name)
    for person, urls in visits.items():
        for url in urls:
            assert clients[person].get(url).status_code == 200, url
    connection.set_schema_to_public()
    assert _writes(alpha.schema_name) == before


def _grow(alpha, world, n: int) -> None:
    """n more of everything about Sam (stretches from both, suggestions) and n more supervisees of Sid."""
    from supervision.services.sessions import relationship_create

    with tenant_context(alpha):
        for i in range(n):
            growth.stretch_offer(person=world.person, by=world.supervisor, kind="handover", words=f"Shift {i}")
            growth.stretch_offer(person=world.person, by=world.team_lead, kind="team_meeting")
            growth.suggestion_make(person=world.person, by=world.supervisor, area="hope", text=f"Hope {i}")
    for i in range(n):
        someone = make_person(alpha, ["leader"], name=f"Supervisee {i}")
        with tenant_context(alpha):
            relationship_create(supervisor=world.supervisor, supervisee=someone)
            member_add(team=world.team, user=someone)
            growth.stretch_offer(person=someone, by=world.supervisor, kind="handover")


def _queries(client, url: str) -> int:
    client.get(url)  # warm: sessions, caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_hold_as_data_grows(world, alpha):
    pages = {
        "person": (world.person, ["/growing/", "/growing/profile/"]),
        "supervisor": (world.supervisor, ["/growing/", f"/growing/people/{world.person.pk}/"]),
        "admin": (world.admin, ["/manage/supervision/growing/"]),
        "lead": (world.team_lead, [f"/teams/{world.team.pk}/"]),
    }
    clients = {key: client_for(alpha, user) for key, (user, _) in pages.items()}
    small = {(key, url): _queries(clients[key], url) for key, (_, urls) in pages.items() for url in urls}
    _grow(alpha, world, 6)
    large = {(key, url): _queries(clients[key], url) for key, (_, urls) in pages.items() for url in urls}
    assert large == small
    print("growth query counts:", {f"{key} {url}": count for (key, url), count in small.items()})
