"""The privacy matrix of teams: every team surface × every viewer (member, lead, another team's member, admin, a
mentor in no team, a platform operator, someone of another organisation). Only the intended viewers see the team;
a marker planted in its description appears nowhere else; forbidden and missing both answer 404; writes by anyone
but an admin change nothing. And a team id of one organisation means nothing in another."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from teams.models import Membership, Team
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

VIEWERS = ["member", "lead", "other_member", "admin", "mentor", "operator", "beta_user"]
MISSING = 999_999


def _client(teams, viewer: str, alpha, beta):
    user = getattr(teams, viewer)
    if viewer == "operator":
        return client_for(None, user)
    return client_for(beta if viewer == "beta_user" else alpha, user)


# surface -> (url template, who sees the team). "{pk}" is the team's id, or a missing one.
SURFACES: dict[str, tuple[str, set[str]]] = {
    "home": ("/", {"member", "lead"}),
    "my teams": ("/teams/", {"member", "lead"}),
    "team page": ("/teams/{pk}/", {"member", "lead", "admin"}),
    "manage list": ("/manage/teams/", {"admin"}),
    "manage team": ("/manage/teams/{pk}/", {"admin"}),
}
# Surfaces that list the viewer's own things: a 200 with nothing of the team in it for signed-in viewers inside
# the organisation.
LISTINGS = {"home", "my teams"}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("surface", list(SURFACES))
def test_only_intended_viewers_see_the_team(teams, alpha, beta, surface, viewer):
    template, allowed = SURFACES[surface]
    response = _client(teams, viewer, alpha, beta).get(template.format(pk=teams.team.pk))
    content = response.content.decode()
    if viewer in allowed:
        assert response.status_code == 200
        assert teams.marker in content
    else:
        assert teams.marker not in content
        if viewer == "operator":
            # The public site has no teams at all ("/" there is the public landing page).
            assert response.status_code == (200 if surface == "home" else 404)
        elif surface in LISTINGS or (surface == "manage list" and viewer == "beta_user"):
            assert response.status_code == 200
        else:
            assert response.status_code == 404


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("template", ["/teams/{pk}/", "/manage/teams/{pk}/"])
def test_a_missing_team_answers_like_a_forbidden_one(teams, alpha, beta, template, viewer):
    response = _client(teams, viewer, alpha, beta).get(template.format(pk=MISSING))
    assert response.status_code == 404


def test_an_archived_team_is_gone_for_everyone_but_its_admin_page(teams, alpha, beta):
    from teams.services import team_archive

    with tenant_context(alpha):
        team_archive(team=teams.team)
    for viewer in VIEWERS:
        client = _client(teams, viewer, alpha, beta)
        for url in ("/", "/teams/", f"/teams/{teams.team.pk}/"):
            response = client.get(url)
            assert teams.marker not in response.content.decode(), (viewer, url)
        if viewer == "admin":
            assert teams.marker in client.get(f"/manage/teams/{teams.team.pk}/").content.decode()


def _state(organisation) -> dict[str, object]:
    with tenant_context(organisation):
        return {
            "teams": sorted(Team.objects.values_list("pk", "name", "description", "archived_at")),
            "memberships": sorted(
                Membership.objects.values_list("pk", "team_id", "user_id", "is_lead", "starts_on", "ends_on")
            ),
        }


# name: (url template, data, which ids fill it). Only an admin of the organisation may write.
WRITES = {
    "create": ("/manage/teams/", {"team-name": "Sneaky team", "team-description": "x"}),
    "rename": ("/manage/teams/{pk}/", {"team-name": "Renamed", "team-description": "x"}),
    "archive": ("/manage/teams/{pk}/archive/", {}),
    "restore": ("/manage/teams/{other}/restore/", {}),
    "member add": ("/manage/teams/{pk}/members/", {"add-person": "{mentor}", "add-is_lead": "on"}),
    "lead": ("/manage/teams/{pk}/members/{membership}/lead/", {"is_lead": "1"}),
    "end": ("/manage/teams/{pk}/members/{membership}/end/", {}),
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("write", list(WRITES))
def test_only_an_admin_can_change_a_team(teams, alpha, beta, write, viewer):
    with tenant_context(alpha):
        membership = Membership.objects.get(team=teams.team, user=teams.member)
        from teams.services import team_archive

        team_archive(team=teams.other_team)
    fill = {"pk": teams.team.pk, "other": teams.other_team.pk, "membership": membership.pk,
            "mentor": teams.mentor.pk}
    template, data = WRITES[write]
    url = template.format(**fill)
    data = {key: value.format(**fill) for key, value in data.items()}
    before, beta_before = _state(alpha), _state(beta)
    response = _client(teams, viewer, alpha, beta).post(url, data)
    after = _state(alpha)
    assert _state(beta) == beta_before or viewer == "beta_user"
    if viewer == "admin":
        assert response.status_code == 302
        assert after != before  # the write really happened
    elif viewer == "beta_user":
        # Beta's admin acts on Beta alone (making a team there is theirs to do); Alpha never changes.
        assert before == after and teams.marker not in response.content.decode()
    else:
        assert response.status_code in (403, 404) or (viewer == "operator" and response.status_code == 302)
        assert teams.marker not in response.content.decode()
        assert before == after


def test_a_team_id_of_one_organisation_means_nothing_in_another(teams, alpha, beta):
    """Ids repeat across schemas: Beta's admin asking for Alpha's team id gets Beta's own team of that id (or a
    404), never anything of Alpha's; writes on that id touch only Beta."""
    with tenant_context(beta):
        Team.objects.create(pk=teams.team.pk, name="Beta's own team", description="Beta only")
    at_beta = client_for(beta, teams.beta_user)
    for url in (f"/teams/{teams.team.pk}/", f"/manage/teams/{teams.team.pk}/"):
        text = at_beta.get(url).content.decode()
        assert teams.marker not in text and "Lena Lead" not in text and "Mo Member" not in text
    alpha_before = _state(alpha)
    at_beta.post(f"/manage/teams/{teams.team.pk}/archive/")
    with tenant_context(alpha):
        membership = Membership.objects.get(team=teams.team, user=teams.member)
    at_beta.post(f"/manage/teams/{teams.team.pk}/members/{membership.pk}/end/")
    assert _state(alpha) == alpha_before
    with tenant_context(beta):
        assert Team.objects.get(pk=teams.team.pk).archived_at is not None  # Beta's own team, archived
    # And Alpha's people signed in at Alpha never see Beta's team of the same id.
    assert "Beta only" not in client_for(alpha, teams.admin).get(f"/teams/{teams.team.pk}/").content.decode()


def test_team_pages_are_never_stored(teams, alpha):
    client = client_for(alpha, teams.member)
    for url in ("/teams/", f"/teams/{teams.team.pk}/"):
        assert "no-store" in client.get(url)["Cache-Control"]
