"""Teams' writes: unique live names, archive and restore, members with honest history, leads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from teams import selectors, services
from teams.models import Membership, Team
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def test_names_are_unique_among_live_teams_whatever_the_capitals(alpha):
    with tenant_context(alpha):
        services.team_create(name="Larch House")
        with pytest.raises(services.TeamError, match="already a team called"):
            services.team_create(name="  larch   HOUSE ")
        assert Team.objects.count() == 1


def test_an_archived_teams_name_is_free_and_restoring_needs_it_back(alpha):
    with tenant_context(alpha):
        old = services.team_create(name="Night team")
        services.team_archive(team=old)
        new = services.team_create(name="night team")
        with pytest.raises(services.TeamError, match="Rename one"):
            services.team_restore(team=old)
        services.team_rename(team=new, name="Nights, Oak House", description="")
        restored = services.team_restore(team=old)
        assert restored.archived_at is None


def test_rename_refuses_a_name_another_live_team_has(alpha):
    with tenant_context(alpha):
        services.team_create(name="Larch House")
        other = services.team_create(name="Oak House")
        with pytest.raises(services.TeamError):
            services.team_rename(team=other, name="LARCH house", description="x")
        other.refresh_from_db()
        assert other.name == "Oak House"
        renamed = services.team_rename(team=other, name="Oak House (ground floor)", description="Where we start")
        assert (renamed.name, renamed.description) == ("Oak House (ground floor)", "Where we start")


def test_a_name_is_needed_and_whitespace_is_tidied(alpha):
    with tenant_context(alpha):
        with pytest.raises(services.TeamError, match="Give the team a name"):
            services.team_create(name="   ")
        team = services.team_create(name=" Larch\tHouse ", description="  A  floor ")
        assert (team.name, team.description) == ("Larch House", "A floor")


def test_member_add_and_end_keep_history(alpha):
    person = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        team = services.team_create(name="Larch House")
        membership = services.member_add(team=team, user=person)
        with pytest.raises(services.TeamError, match="already in"):
            services.member_add(team=team, user=person)
        services.member_end(membership=membership)
        assert not selectors.is_team_member(person, team)
        with pytest.raises(services.TeamError, match="already left"):
            services.member_end(membership=membership)
        again = services.member_add(team=team, user=person)
        assert selectors.is_team_member(person, team)
        assert Membership.objects.filter(team=team, user=person).count() == 2
        assert list(selectors.team_member_history(team, ended_only=True)) == [membership]
        assert again.pk != membership.pk


def test_nobody_is_added_to_an_archived_team_nor_an_inactive_person(alpha):
    person = make_person(alpha, ["leader"])
    gone = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        type(gone).objects.filter(pk=gone.pk).update(is_active=False)
        gone.refresh_from_db()
        team = services.team_create(name="Larch House")
        with pytest.raises(services.TeamError, match="not an active member"):
            services.member_add(team=team, user=gone)
        services.team_archive(team=team)
        with pytest.raises(services.TeamError, match="archived"):
            services.member_add(team=team, user=person)
        assert not Membership.objects.exists()


def test_lead_set_on_a_membership_that_began_today_flips_it(alpha):
    person = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        team = services.team_create(name="Larch House")
        membership = services.member_add(team=team, user=person)
        now = services.lead_set(membership=membership, is_lead=True)
        assert now.pk == membership.pk and now.is_lead
        assert Membership.objects.count() == 1
        assert selectors.is_team_lead(person, team)


def test_lead_set_on_an_older_membership_ends_it_and_starts_another(alpha):
    person = make_person(alpha, ["leader"])
    today = timezone.localdate()
    with tenant_context(alpha):
        team = services.team_create(name="Larch House")
        membership = services.member_add(team=team, user=person, on=today - timedelta(days=40))
        now = services.lead_set(membership=membership, is_lead=True)
        membership.refresh_from_db()
        assert membership.ends_on == today and not membership.is_lead
        assert now.pk != membership.pk and now.is_lead and now.starts_on == today and now.ends_on is None
        assert selectors.is_team_lead(person, team) and list(selectors.teams_led_by(person)) == [team]
        # Same part again: nothing changes.
        assert services.lead_set(membership=now, is_lead=True).pk == now.pk
        back = services.lead_set(membership=now, is_lead=False)
        assert back.pk == now.pk and not back.is_lead  # began today: flipped in place
        with pytest.raises(services.TeamError, match="no longer in"):
            services.lead_set(membership=membership, is_lead=True)


def test_member_end_of_a_membership_that_began_today_keeps_a_one_day_row(alpha):
    person = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        team = services.team_create(name="Larch House")
        ended = services.member_end(membership=services.member_add(team=team, user=person))
        assert ended.ends_on == ended.starts_on == timezone.localdate()
        assert not selectors.current_members(team).exists()


def test_archive_keeps_memberships_and_hides_the_team(alpha):
    person = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        team = services.team_create(name="Larch House")
        services.member_add(team=team, user=person, is_lead=True)
        services.team_archive(team=team)
        assert list(selectors.teams_of(person)) == []
        assert list(selectors.teams_led_by(person)) == []
        services.team_restore(team=team)
        assert list(selectors.teams_of(person)) == [team]
