"""Teams' reads: whose teams, who is in one, who may open one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone
from django_tenants.utils import tenant_context

from teams import selectors, services
from tests.conftest import make_person
from tests.teams.conftest import add

pytestmark = pytest.mark.django_db


def test_teams_of_lists_live_teams_with_whether_you_lead(alpha, teams):
    with tenant_context(alpha):
        mine = list(selectors.teams_of(teams.lead))
        assert mine == [teams.team] and mine[0].viewer_is_lead
        theirs = list(selectors.teams_of(teams.member))
        assert theirs == [teams.team] and not theirs[0].viewer_is_lead
        assert list(selectors.teams_of(teams.mentor)) == []
        add(alpha, teams.other_team, teams.member)
        assert [t.name for t in selectors.teams_of(teams.member)] == ["Larch House", "Night team"]


def test_current_members_leads_first_then_by_name(alpha, teams):
    zed = make_person(alpha, ["leader"], name="Aaron Zed")
    second_lead = make_person(alpha, ["leader"], name="Zoe Lead")
    add(alpha, teams.team, zed)
    add(alpha, teams.team, second_lead, is_lead=True)
    with tenant_context(alpha):
        members = list(selectors.current_members(teams.team))
    assert [(m.full_name, m.is_lead) for m in members] == [
        ("Lena Lead", True), ("Zoe Lead", True), ("Aaron Zed", False), ("Mo Member", False),
    ]
    assert all(m.member_since == timezone.localdate() and m.membership_id for m in members)


def test_past_future_and_inactive_people_are_not_current(alpha, teams):
    later = make_person(alpha, ["leader"], name="Fay Future")
    gone = make_person(alpha, ["leader"], name="Gil Gone")
    today = timezone.localdate()
    with tenant_context(alpha):
        services.member_add(team=teams.team, user=later, on=today + timedelta(days=3))
        services.member_add(team=teams.team, user=gone)
        type(gone).objects.filter(pk=gone.pk).update(is_active=False)
        services.member_end(membership=teams.team.memberships.get(user=teams.member))
        names = [m.full_name for m in selectors.current_members(teams.team)]
        assert names == ["Lena Lead"]
        assert not selectors.is_team_member(teams.member, teams.team)
        assert [m.user.full_name for m in selectors.team_member_history(teams.team, ended_only=True)] == ["Mo Member"]


def test_access_team_by_id(alpha, teams):
    with tenant_context(alpha):
        for viewer in (teams.lead, teams.member, teams.admin):
            assert selectors.access_team_by_id(teams.lead if viewer is None else viewer, teams.team.pk) == teams.team
        for viewer in (teams.other_member, teams.mentor):
            with pytest.raises(Http404):
                selectors.access_team_by_id(viewer, teams.team.pk)
        with pytest.raises(Http404):
            selectors.access_team_by_id(teams.admin, 999_999)
        services.team_archive(team=teams.team)
        for viewer in (teams.lead, teams.member, teams.admin):
            with pytest.raises(Http404):
                selectors.access_team_by_id(viewer, teams.team.pk)


def test_teams_list_for_admin_counts_current_people_in_name_order(alpha, teams):
    late = make_person(alpha, ["leader"], name="Lou Late")
    add(alpha, teams.other_team, late, is_lead=True)
    with tenant_context(alpha):
        services.team_create(name="apple ward")
        rows = [(t.name, t.member_count, t.lead_count) for t in selectors.teams_list_for_admin()]
        assert rows == [("apple ward", 0, 0), ("Larch House", 2, 1), ("Night team", 2, 1)]
        services.team_archive(team=teams.other_team)
        assert [t.name for t in selectors.teams_list_for_admin(archived=True)] == ["Night team"]


def test_people_to_add_leaves_out_current_members(alpha, teams):
    with tenant_context(alpha):
        names = {p.full_name for p in selectors.people_to_add(teams.team)}
    assert "Lena Lead" not in names and "Mo Member" not in names
    assert {"Olly Other", "Ada Admin", "Mira Mentor"} <= names
