"""The privacy matrix of growth: every growth surface (and the strengths pages) × the person, their supervisor, a
former supervisor, another supervisor, a team member, the team lead, an admin, their mentor, a platform operator and
someone of another organisation. Markers sit in Sam's own-words strengths (NOT shown to the team), a hope, a
stretch Sam's supervisor offered and one the team lead offered. Each viewer sees exactly the markers they should;
forbidden and missing both answer 404. And nothing about a person is hidden from that person."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from supervision.models import GrowthProfile, GrowthSuggestion, StretchOpportunity
from supervision.services import growth
from supervision.services import sessions as supervision
from teams.models import StrengthProfile
from tests.conftest import client_for
from tests.supervision.growth_world import VIEWERS, build_world

pytestmark = pytest.mark.django_db

MISSING = 999_999


@pytest.fixture
def world(alpha, beta):
    return build_world(alpha, beta)


def _client(world, viewer: str, alpha, beta):
    user = getattr(world, viewer)
    if viewer == "operator":
        return client_for(None, user)
    return client_for(beta if viewer == "beta_user" else alpha, user)


ALL = {"strengths", "hope", "stretch", "lead"}
# surface -> (url template, {viewer: markers they see}); status: 200 for those listed, else the `others` status.
SURFACES: dict[str, tuple[str, dict[str, set[str]], int]] = {
    "growing": ("/growing/", {"person": {"stretch", "lead"}, "supervisor": {"stretch", "lead"},
                              "team_lead": {"lead"}}, 200),
    "my profile": ("/growing/profile/", {"person": ALL - {"lead"} | {"lead"}}, 200),
    "their profile": ("/growing/people/{person}/", {"supervisor": ALL}, 404),
    "supervisor's stretch": ("/growing/opportunities/{stretch}/", {"person": {"stretch"}, "supervisor": {"stretch"}},
                             404),
    "lead's stretch": ("/growing/opportunities/{lead_stretch}/", {"person": {"lead"}, "supervisor": {"lead"},
                                                                   "team_lead": {"lead"}}, 404),
    "offer": ("/growing/offer/", {}, 200),
    "home": ("/", {"person": {"stretch", "lead"}}, 200),
    "my strengths": ("/teams/strengths/", {"person": {"strengths"}}, 200),
    "team page": ("/teams/{team}/", {}, 404),
    "admin counts": ("/manage/supervision/growing/", {}, 404),
}
# Who gets a 200 although they see no marker (their own, empty, version of the page; a team page they may see).
OPEN_TO = {
    "growing": set(VIEWERS) - {"operator", "beta_user"},
    "my profile": set(VIEWERS) - {"operator", "beta_user"},
    "offer": set(VIEWERS) - {"operator", "beta_user"},
    "home": set(VIEWERS) - {"operator"},
    "my strengths": set(VIEWERS) - {"operator"},
    "team page": {"person", "team_member", "team_lead", "admin"},
    "admin counts": {"admin", "beta_user"},
}


def _url(template: str, world) -> str:
    return template.format(person=world.person.pk, stretch=world.stretch.pk, lead_stretch=world.lead_stretch.pk,
                           team=world.team.pk)


def _marker(world, name: str) -> str:
    return {"strengths": world.strengths_marker, "hope": world.hope_marker, "stretch": world.stretch_marker,
            "lead": world.lead_marker}[name]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("surface", list(SURFACES))
def test_each_viewer_sees_exactly_what_they_should(world, alpha, beta, surface, viewer):
    template, seen, others = SURFACES[surface]
    response = _client(world, viewer, alpha, beta).get(_url(template, world))
    content = response.content.decode()
    expected = seen.get(viewer, set())
    if surface == "my profile" and viewer == "person":
        expected = {"strengths", "hope"}  # stretches live on /growing/
    for name in ALL:
        assert (_marker(world, name) in content) == (name in expected), (surface, viewer, name)
    if viewer in seen or viewer in OPEN_TO.get(surface, set()):
        assert response.status_code == 200, (surface, viewer)
    elif viewer == "operator":
        assert response.status_code in (404, 200 if surface == "home" else 404)
    else:
        assert response.status_code == others if others != 200 else response.status_code in (200, 404)
    assert "no-store" in response.get("Cache-Control", "no-store") or response.status_code == 302


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("template", ["/growing/people/{pk}/", "/growing/opportunities/{pk}/"])
def test_a_missing_thing_answers_like_a_forbidden_one(world, alpha, beta, template, viewer):
    assert _client(world, viewer, alpha, beta).get(template.format(pk=MISSING)).status_code == 404


def test_the_supervisor_sees_the_feeling_only_when_the_person_shows_it(world, alpha, beta):
    client = _client(world, "supervisor", alpha, beta)
    assert "Curious" not in client.get(f"/growing/people/{world.person.pk}/").content.decode()
    with tenant_context(alpha):
        growth.leading_feeling_set(person=world.person, feeling="curious", shown_to_supervisor=True)
    assert "Curious" in client.get(f"/growing/people/{world.person.pk}/").content.decode()
    assert "Curious" in _client(world, "person", alpha, beta).get("/growing/profile/").content.decode()


def test_a_supervisor_whose_relationship_ended_loses_access_on_the_next_request(world, alpha, beta):
    client = _client(world, "supervisor", alpha, beta)
    assert client.get(f"/growing/people/{world.person.pk}/").status_code == 200
    with tenant_context(alpha):
        supervision.relationship_end(relationship=world.relationship)
    assert client.get(f"/growing/people/{world.person.pk}/").status_code == 404
    assert client.get(f"/growing/opportunities/{world.stretch.pk}/").status_code == 404
    assert world.stretch_marker not in client.get("/growing/").content.decode()


# name: (url template, data). Each write, by each viewer: only the intended one changes anything.
WRITES: dict[str, tuple[str, dict[str, str], str]] = {
    "suggest": ("/growing/people/{person}/suggest/", {"area": "hope", "text": "Lead a project"}, "supervisor"),
    "answer a stretch": ("/growing/opportunities/{stretch}/answer/", {"answer": "accept"}, "person"),
    "offer": ("/growing/offer/", {"person": "{person}", "kind": "handover", "words": ""}, "supervisor"),
    "profile": ("/growing/profile/edit/", {"hopes": "Changed", "growth_edges": ""}, "person"),
    "feeling": ("/growing/feeling/", {"feeling": "ready", "shown_to_supervisor": "on"}, "person"),
}


def _state(alpha):
    with tenant_context(alpha):
        return (
            sorted(GrowthProfile.objects.values_list("person_id", "hopes", "feeling", "feeling_shown_to_supervisor")),
            sorted(GrowthSuggestion.objects.values_list("pk", "status")),
            sorted(StretchOpportunity.objects.values_list("pk", "person_id", "status")),
            sorted(StrengthProfile.objects.values_list("user_id", "own_words")),
        )


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("write", list(WRITES))
def test_only_the_right_person_can_write(world, alpha, beta, write, viewer):
    template, data, allowed = WRITES[write]
    if write == "offer" and viewer == "team_lead":
        allowed = viewer  # a lead may offer a stretch to someone in their team
    fill = {"person": world.person.pk, "stretch": world.stretch.pk}
    url = template.format(**fill)
    data = {key: value.format(**fill) for key, value in data.items()}
    before = _state(alpha)
    response = _client(world, viewer, alpha, beta).post(url, data)
    after = _state(alpha)
    if viewer == allowed:
        assert response.status_code == 302 and after != before
    elif viewer == "beta_user":
        assert after == before  # their own organisation's pages, never Alpha's rows
    elif write in ("profile", "feeling") and viewer != "operator":
        # Everyone writes only their own profile: Sam's is untouched.
        assert [row for row in after[0] if row[0] == world.person.pk] == \
               [row for row in before[0] if row[0] == world.person.pk]
    else:
        assert after == before, (write, viewer)
        assert response.status_code in (200, 404), (write, viewer)
        for marker in world.markers:
            assert marker not in response.content.decode()


def test_a_suggestion_is_answered_by_the_person_alone(world, alpha, beta):
    with tenant_context(alpha):
        suggestion = growth.suggestion_make(person=world.person, by=world.supervisor, area="edge",
                                            text="Saying no kindly")
    for viewer in set(VIEWERS) - {"person"}:
        _client(world, viewer, alpha, beta).post(f"/growing/suggestions/{suggestion.pk}/answer/",
                                                 {"answer": "accept"})
    with tenant_context(alpha):
        assert GrowthSuggestion.objects.get(pk=suggestion.pk).status == "waiting"
    _client(world, "person", alpha, beta).post(f"/growing/suggestions/{suggestion.pk}/answer/", {"answer": "accept"})
    with tenant_context(alpha):
        assert GrowthSuggestion.objects.get(pk=suggestion.pk).status == "accepted"
        assert "Saying no kindly" in GrowthProfile.objects.get(person=world.person).growth_edges


def test_every_record_about_a_person_is_visible_to_that_person(world, alpha, beta):
    """No private talent lists: whatever anyone wrote about Sam (a suggestion, declined or waiting; a stretch, from
    whoever offered it, in any state; how Sam feels about leading) is on Sam's own pages."""
    with tenant_context(alpha):
        waiting = growth.suggestion_make(person=world.person, by=world.supervisor, area="hope", text="WAIT-hope")
        declined = growth.suggestion_make(person=world.person, by=world.supervisor, area="strength",
                                          strength="teaching", text="DECL-strength")
        growth.suggestion_answer(suggestion=declined, person=world.person, accept=False)
        growth.stretch_answer(opportunity=world.lead_stretch, person=world.person, accept=False)
        records = {
            "suggestions": list(GrowthSuggestion.objects.filter(person=world.person)),
            "stretches": list(StretchOpportunity.objects.filter(person=world.person)),
            "profile": GrowthProfile.objects.get(person=world.person),
        }
    client = _client(world, "person", alpha, beta)
    profile_page = client.get("/growing/profile/").content.decode()
    growing_page = client.get("/growing/").content.decode()
    for suggestion in records["suggestions"]:
        assert suggestion.text in profile_page
    assert waiting.text in profile_page and "Teaching others" in profile_page
    for stretch in records["stretches"]:
        assert stretch.title in growing_page
        assert client.get(f"/growing/opportunities/{stretch.pk}/").status_code == 200
    assert "Curious" in profile_page or "Curious" in growing_page
    assert records["profile"].feeling == "curious"
