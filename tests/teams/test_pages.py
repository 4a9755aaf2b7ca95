"""Team pages: a member's teams, a team's page with its sections, and the admin's pages under /manage/teams/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from people.home import HomeSection
from teams import sections
from teams.models import Membership, Team
from tests.conftest import client_for, make_person
from tests.people.test_home_sections import HOME_QUERIES

pytestmark = pytest.mark.django_db


def test_my_teams_lists_mine_and_says_which_i_lead(alpha, teams):
    page = client_for(alpha, teams.lead).get("/teams/")
    text = page.content.decode()
    assert page.status_code == 200 and "Larch House" in text and "You lead this team" in text
    assert "Night team" not in text
    assert "no-store" in page["Cache-Control"]
    empty = client_for(alpha, teams.mentor).get("/teams/").content.decode()
    assert "not in a team yet" in empty and "Larch House" not in empty


def test_team_page_shows_leads_members_and_the_description(alpha, teams):
    page = client_for(alpha, teams.member).get(f"/teams/{teams.team.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert teams.marker in text and "Lena Lead" in text and "Mo Member" in text and "Led by" in text
    assert text.index("Lena Lead") < text.index("Mo Member")
    assert "Olly Other" not in text


def test_team_page_draws_registered_sections(alpha, teams):
    seen = []

    def provider(team, viewer):
        seen.append((team.pk, viewer.pk))
        return HomeSection(key="", title="From the pulse", template="teams/home/teams.html",
                           context={"teams": [team]})

    sections.team_section_register("tests.pulse", provider, priority=10)
    try:
        text = client_for(alpha, teams.lead).get(f"/teams/{teams.team.pk}/").content.decode()
    finally:
        sections._providers.pop("tests.pulse")
    assert "From the pulse" in text and 'id="home-tests-pulse"' in text
    assert seen == [(teams.team.pk, teams.lead.pk)]


def test_nav_offers_teams_to_people_in_a_team_and_admins(alpha, teams):
    assert 'href="/teams/"' in client_for(alpha, teams.member).get("/learn/").content.decode()
    assert 'href="/teams/"' in client_for(alpha, teams.admin).get("/learn/").content.decode()
    assert 'href="/teams/"' not in client_for(alpha, teams.mentor).get("/learn/").content.decode()
    current = client_for(alpha, teams.member).get(f"/teams/{teams.team.pk}/").content.decode()
    assert '<a href="/teams/" aria-current="true">Teams</a>' in current


def test_home_shows_my_teams_or_nothing(alpha, teams):
    lead_home = client_for(alpha, teams.lead).get("/").content.decode()
    assert 'id="home-teams-mine"' in lead_home and "Larch House" in lead_home and "You lead it" in lead_home
    member_home = client_for(alpha, teams.member).get("/").content.decode()
    assert "Larch House" in member_home and "You lead it" not in member_home
    assert 'id="home-teams-mine"' not in client_for(alpha, teams.mentor).get("/").content.decode()


def test_admin_makes_a_team_adds_people_marks_a_lead_and_ends_a_membership(alpha, teams):
    admin = client_for(alpha, teams.admin)
    response = admin.post("/manage/teams/", {"team-name": "Rowan Court", "team-description": "Supported living"})
    with tenant_context(alpha):
        team = Team.objects.get(name="Rowan Court")
    assert response.status_code == 302 and response["Location"] == f"/manage/teams/{team.pk}/"
    assert admin.post(f"/manage/teams/{team.pk}/members/", {"add-person": teams.member.pk}).status_code == 302
    assert admin.post(f"/manage/teams/{team.pk}/members/",
                      {"add-person": teams.lead.pk, "add-is_lead": "on"}).status_code == 302
    with tenant_context(alpha):
        member = Membership.objects.get(team=team, user=teams.member)
        assert Membership.objects.get(team=team, user=teams.lead).is_lead
    assert admin.post(f"/manage/teams/{team.pk}/members/{member.pk}/lead/", {"is_lead": "1"}).status_code == 302
    with tenant_context(alpha):
        member.refresh_from_db()
        assert member.is_lead  # began today: flipped in place
    assert admin.post(f"/manage/teams/{team.pk}/members/{member.pk}/end/").status_code == 302
    page = admin.get(f"/manage/teams/{team.pk}/").content.decode()
    assert "Past members" in page and "Mo Member" in page
    # Adding the same person twice: a clear message on the form, nothing written.
    again = admin.post(f"/manage/teams/{team.pk}/members/", {"add-person": teams.lead.pk})
    assert again.status_code == 200 and "not in the team yet" in again.content.decode()


def test_a_duplicate_name_is_a_message_on_the_form_not_a_500(alpha, teams):
    admin = client_for(alpha, teams.admin)
    response = admin.post("/manage/teams/", {"team-name": "LARCH house", "team-description": ""})
    assert response.status_code == 200 and "already a team called" in response.content.decode()
    rename = admin.post(f"/manage/teams/{teams.other_team.pk}/", {"team-name": "larch house", "team-description": ""})
    assert rename.status_code == 200 and "already a team called" in rename.content.decode()
    with tenant_context(alpha):
        assert Team.objects.count() == 2


def test_archive_and_restore_from_the_admin_page(alpha, teams):
    admin = client_for(alpha, teams.admin)
    assert admin.post(f"/manage/teams/{teams.team.pk}/archive/").status_code == 302
    assert client_for(alpha, teams.member).get(f"/teams/{teams.team.pk}/").status_code == 404
    listing = admin.get("/manage/teams/").content.decode()
    assert "Archived teams (1)" in listing
    assert admin.post(f"/manage/teams/{teams.team.pk}/restore/").status_code == 302
    assert client_for(alpha, teams.member).get(f"/teams/{teams.team.pk}/").status_code == 200


def test_manage_pages_are_for_admins_only(alpha, teams):
    for person in (teams.lead, teams.member, teams.mentor):
        client = client_for(alpha, person)
        assert client.get("/manage/teams/").status_code == 404
        assert client.get(f"/manage/teams/{teams.team.pk}/").status_code == 404


def _grow(alpha, team, count: int) -> None:
    start = timezone.localdate() - timedelta(days=100)
    people = [make_person(alpha, ["leader"], name=f"Person {team.pk}-{n}") for n in range(count)]
    with tenant_context(alpha):
        for n, person in enumerate(people):
            Membership.objects.create(team=team, user=person, is_lead=n % 7 == 0, starts_on=start)
            # and some history
            Membership.objects.create(team=team, user=person, starts_on=start - timedelta(days=50),
                                      ends_on=start - timedelta(days=10))


def _queries(client, url: str, django_assert_max_num_queries, limit: int = 25) -> int:
    if url == "/":
        limit = HOME_QUERIES  # the home page's budget lives with its own test
    client.get(url)  # sign-in bookkeeping first
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/teams/{pk}/", "/manage/teams/", "/manage/teams/{pk}/", "/teams/", "/"])
def test_queries_stay_the_same_with_3_and_30_members(alpha, teams, url, django_assert_max_num_queries):
    viewer = client_for(alpha, teams.admin if "manage" in url else teams.lead)
    path = url.format(pk=teams.team.pk)
    _grow(alpha, teams.team, 1)  # three people in the team
    few = _queries(viewer, path, django_assert_max_num_queries)
    _grow(alpha, teams.team, 27)  # thirty
    with tenant_context(alpha):
        for n in range(5):
            team = Team.objects.create(name=f"Extra team {n}")
            Membership.objects.create(team=team, user=teams.lead)
    assert _queries(viewer, path, django_assert_max_num_queries) == few
