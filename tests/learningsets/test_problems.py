"""A team's recurring problems: the privacy matrix (every surface and write × member, lead, former member, another
team's member, admin, mentor, operator, another organisation; a planted marker; missing and forbidden both 404),
adding and changing one (nothing lost when two people edit at once), the team page's section and the query counts
of the list and the section as problems grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from learningsets.models import ProblemStatus, RecurringProblem
from learningsets.problems_services import ProblemChangedMeanwhile, problem_add, problem_update
from teams.models import Membership
from teams.services import member_end
from tests.conftest import client_for, make_person
from tests.teams.conftest import Teams, add, teams  # noqa: F401 - the team scenario fixture

pytestmark = pytest.mark.django_db

VIEWERS = ["member", "lead", "former", "other_member", "admin", "mentor", "operator", "beta_user"]
READERS = {"member", "lead", "admin"}
WRITERS = {"member", "lead"}
MISSING = 999_999


@pytest.fixture
def world(teams: Teams, alpha):  # noqa: F811
    """The team scenario, a former member of the team, and one problem with the marker in its root."""
    former = make_person(alpha, ["leader"], name="Fen Former")
    membership = add(alpha, teams.team, former)
    with tenant_context(alpha):
        Membership.objects.filter(pk=membership.pk).update(starts_on=timezone.localdate() - timedelta(days=30))
        member_end(membership=Membership.objects.get(pk=membership.pk))
        problem = problem_add(
            team=teams.team, by=teams.member, title="Medication round runs late",
            steps={"problem": "After handover", "why1": "Handover overruns", "root": f"No time to read {teams.marker}",
                   "action": "Ten quiet minutes"},
            look_again_on=timezone.localdate() + timedelta(days=14), status=ProblemStatus.TRYING,
        )
        other = problem_add(team=teams.other_team, by=teams.other_member, title="Night problem",
                            steps={"root": "Night root"})
    teams.former = former
    teams.problem = problem
    teams.other_problem = other
    return teams


def _client(world, viewer: str, alpha, beta):
    user = getattr(world, viewer)
    if viewer == "operator":
        return client_for(None, user)
    return client_for(beta if viewer == "beta_user" else alpha, user)


SURFACES = {
    "list": "/teams/{team}/problems/",
    "problem": "/teams/{team}/problems/{pk}/",
    "new": "/teams/{team}/problems/new/",
    "edit": "/teams/{team}/problems/{pk}/edit/",
    "team page": "/teams/{team}/",
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("surface", list(SURFACES))
def test_only_the_team_and_admins_see_its_problems(world, alpha, beta, surface, viewer):
    allowed = WRITERS if surface in ("new", "edit") else READERS
    url = SURFACES[surface].format(team=world.team.pk, pk=world.problem.pk)
    response = _client(world, viewer, alpha, beta).get(url)
    content = response.content.decode()
    if viewer in allowed:
        assert response.status_code == 200
        if surface in ("list", "problem", "edit"):
            assert world.marker in content
    else:
        assert response.status_code == 404, (surface, viewer)
        assert world.marker not in content and "Medication round" not in content


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("url", [
    "/teams/{missing}/problems/", "/teams/{team}/problems/{missing}/", "/teams/{team}/problems/{missing}/edit/",
    "/teams/{missing}/problems/new/",
    # Another team's problem through this team's address, and this team's through the other's.
    "/teams/{team}/problems/{other}/", "/teams/{other_team}/problems/{pk}/",
])
def test_missing_and_mismatched_answer_404(world, alpha, beta, url, viewer):
    url = url.format(missing=MISSING, team=world.team.pk, other=world.other_problem.pk,
                     other_team=world.other_team.pk, pk=world.problem.pk)
    response = _client(world, viewer, alpha, beta).get(url)
    assert response.status_code == 404
    assert world.marker not in response.content.decode()


def _state(org):
    with tenant_context(org):
        return sorted(RecurringProblem.objects.values_list(
            "pk", "team_id", "title", "root", "status", "owner_id", "look_again_on", "version"))


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("write", ["new", "edit"])
def test_only_the_team_writes(world, alpha, beta, write, viewer):
    url = SURFACES[write].format(team=world.team.pk, pk=world.problem.pk)
    data = {"title": "Changed by someone", "status": "exploring", "root": "Another root", "version": "1"}
    before, beta_before = _state(alpha), _state(beta)
    response = _client(world, viewer, alpha, beta).post(url, data)
    assert _state(beta) == beta_before
    if viewer in WRITERS:
        assert response.status_code == 302
        assert _state(alpha) != before
    else:
        assert response.status_code in (302, 404) and _state(alpha) == before
        assert response.status_code == 404 or viewer == "operator"  # an operator is sent to sign in
        assert world.marker not in response.content.decode()


def test_the_page_says_why_no_names_are_needed(world, alpha):
    page = " ".join(client_for(alpha, world.member).get(f"/teams/{world.team.pk}/problems/").content.decode().split())
    assert "This list is about what keeps going wrong, not who." in page
    assert "no names are needed" in page and "never someone to blame" in page
    assert "/learn/understanding/root-causes/" in page
    form = client_for(alpha, world.member).get(f"/teams/{world.team.pk}/problems/new/").content.decode()
    assert "(optional)" in form and "Nobody in particular" in form  # no owner is needed either
    # Admins read; they are not offered the pen.
    admin_page = client_for(alpha, world.admin).get(f"/teams/{world.team.pk}/problems/").content.decode()
    assert "Add a recurring problem" not in admin_page


def test_a_member_adds_one_with_only_a_name_and_another_explores_it(world, alpha):
    client = client_for(alpha, world.member)
    response = client.post(f"/teams/{world.team.pk}/problems/new/", {
        "title": "  Agency staff don't know residents' preferences  ", "status": "exploring", "owner": "",
        "look_again_on": "", "version": "",
    })
    with tenant_context(alpha):
        problem = RecurringProblem.objects.get(title="Agency staff don't know residents' preferences")
    assert response.status_code == 302 and response["Location"] == f"/teams/{world.team.pk}/problems/{problem.pk}/"
    assert (problem.owner, problem.updated_by, problem.version, problem.why1) == (None, world.member, 1, "")

    lead = client_for(alpha, world.lead)
    response = lead.post(f"/teams/{world.team.pk}/problems/{problem.pk}/edit/", {
        "title": problem.title, "status": "trying", "problem": "New agency staff ask the same questions",
        "why1": "Profiles are long", "why2": "Written for inspections", "root": "Profiles aren't for the shift",
        "action": "A one-page 'what matters to me' at the front", "owner": str(world.member.pk),
        "look_again_on": (timezone.localdate() + timedelta(days=28)).isoformat(), "version": "1",
    })
    assert response.status_code == 302
    with tenant_context(alpha):
        problem.refresh_from_db()
    assert (problem.status, problem.owner, problem.updated_by, problem.version) == (
        "trying", world.member, world.lead, 2)
    page = client.get(f"/teams/{world.team.pk}/problems/{problem.pk}/").content.decode()
    for said in ("Why is that?", "Written for inspections", "The root you reached", "Kept moving by Mo Member",
                 "Last changed by Lena Lead"):
        assert said in page


def test_two_people_editing_at_once_never_overwrite_each_other(world, alpha):
    url = f"/teams/{world.team.pk}/problems/{world.problem.pk}/edit/"
    base = {"title": "Medication round runs late", "status": "trying", "version": "1"}
    assert client_for(alpha, world.lead).post(url, {**base, "root": "The lead root"}).status_code == 302
    response = client_for(alpha, world.member).post(url, {**base, "root": "The member root"})
    text = response.content.decode()
    assert response.status_code == 200 and "saved a change to this problem while you were writing" in text
    assert "The member root" in text  # their words are kept on the form
    with tenant_context(alpha):
        assert RecurringProblem.objects.get(pk=world.problem.pk).root == "The lead root"
        with pytest.raises(ProblemChangedMeanwhile):
            problem_update(problem=world.problem, by=world.member, version=1, title="x", steps={}, owner=None,
                           look_again_on=None, status="exploring")
    # Saving again from that form (it now carries the new version) goes through.
    assert client_for(alpha, world.member).post(url, {**base, "root": "The member root", "version": "2"}
                                                ).status_code == 302


@pytest.mark.parametrize("data, message", [
    ({"title": ""}, "Give the problem a short name"),
    ({"title": "x" * 161}, "at most 160"),
    ({"look_again_on": "not a date"}, "Enter a date"),
    ({"look_again_on": "2099-01-01"}, "within the next two years"),
    ({"status": "blamed"}, "Select a valid choice"),
    ({"why3": "w" * 4001}, "at most 4000"),
])
def test_bad_input_is_explained_and_nothing_changes(world, alpha, data, message):
    before = _state(alpha)
    response = client_for(alpha, world.member).post(
        f"/teams/{world.team.pk}/problems/{world.problem.pk}/edit/",
        {"title": "Fine", "status": "exploring", "version": "1", **data},
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert _state(alpha) == before


def test_an_owner_must_be_in_the_team_but_one_who_left_is_kept(world, alpha):
    url = f"/teams/{world.team.pk}/problems/{world.problem.pk}/edit/"
    base = {"title": "Medication round runs late", "status": "trying"}
    response = client_for(alpha, world.member).post(url, {**base, "owner": str(world.other_member.pk), "version": "1"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    with tenant_context(alpha):
        RecurringProblem.objects.filter(pk=world.problem.pk).update(owner=world.former)
    page = client_for(alpha, world.member).get(url).content.decode()
    assert f'value="{world.former.pk}" selected' in page
    assert client_for(alpha, world.member).post(url, {**base, "owner": str(world.former.pk), "version": "1"}
                                                ).status_code == 302


def test_the_team_page_section_counts_what_is_being_explored(world, alpha):
    with tenant_context(alpha):
        problem_add(team=world.team, by=world.lead, title="Weekend rota swaps", steps={})
        problem_add(team=world.team, by=world.lead, title="Fixed", steps={}, status=ProblemStatus.SETTLED)
    page = " ".join(client_for(alpha, world.lead).get(f"/teams/{world.team.pk}/").content.decode().split())
    assert "Recurring problems" in page and "2 being explored" in page and "1 settled" in page
    assert f"/teams/{world.team.pk}/problems/" in page
    other = " ".join(client_for(alpha, world.other_member).get(f"/teams/{world.other_team.pk}/").content.decode()
                     .split())
    assert "1 being explored" in other and "Medication round" not in other


def test_a_team_with_no_problems_invites_its_members_only(teams, alpha):  # noqa: F811
    member_page = client_for(alpha, teams.member).get(f"/teams/{teams.team.pk}/").content.decode()
    assert "Add a recurring problem" in member_page
    admin_page = client_for(alpha, teams.admin).get(f"/teams/{teams.team.pk}/").content.decode()
    assert "Recurring problems" not in admin_page


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# 7 for any signed-in request, 1 for the navigation's count of new things; then the list: the team (1) and its
# problems with owners and who changed them (1). The section: one aggregate on the team page.
MAX_LIST = 11


def test_the_list_and_the_section_hold_their_query_counts(world, alpha):
    client = client_for(alpha, world.member)
    list_url, team_url = f"/teams/{world.team.pk}/problems/", f"/teams/{world.team.pk}/"
    client.get(list_url)
    before = {"list": _count(client, list_url), "team": _count(client, team_url)}
    with tenant_context(alpha):
        people = [make_person(alpha, ["leader"]) for _ in range(4)]
        for n in range(30):
            problem_add(team=world.team, by=people[n % 4], owner=people[(n + 1) % 4], title=f"Problem {n}",
                        steps={"root": f"Root {n}"}, status=["exploring", "trying", "settled"][n % 3],
                        look_again_on=timezone.localdate() + timedelta(days=n - 5))
    after = {"list": _count(client, list_url), "team": _count(client, team_url)}
    assert after == before
    assert after["list"] <= MAX_LIST
