"""Strengths in a team: saving your own (picks, own words, who sees them), the team page's strengths map and its
pairings (only what each person chose to show), the page to describe yours, and the map's query count."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from teams.models import StrengthProfile
from teams.strength_sections import strengths_team_section
from teams.strength_selectors import pairings_for, team_strengths_map
from teams.strength_services import StrengthError, strengths_add, strengths_save
from teams.strengths import COMPLEMENTS, Strength
from tests.conftest import client_for, make_person
from tests.teams.conftest import add

pytestmark = pytest.mark.django_db


def test_saving_keeps_the_lists_order_once_each_and_tidies_words(teams, alpha):
    with tenant_context(alpha):
        saved = strengths_save(user=teams.member, picks=["detail", "ideas", "ideas"],
                               own_words="  I   notice \n\n small things  ", shown_to_team=False)
        assert saved.picks == ["ideas", "detail"]
        assert saved.own_words == "I notice\nsmall things"
        assert saved.labels == ["Ideas", "Eye for detail"]
        with pytest.raises(StrengthError):
            strengths_save(user=teams.member, picks=["ranked"], own_words="", shown_to_team=True)
        with pytest.raises(StrengthError):
            strengths_save(user=teams.member, picks=[], own_words="x" * 601, shown_to_team=True)
        assert StrengthProfile.objects.get(user=teams.member).picks == ["ideas", "detail"]


def test_adding_one_strength_keeps_the_rest_and_who_sees_them(teams, alpha):
    with tenant_context(alpha):
        strengths_save(user=teams.member, picks=["ideas"], own_words="Patient", shown_to_team=True)
        strengths_add(user=teams.member, pick="calm")
        profile = strengths_add(user=teams.member, words="Good with new starters")
        assert profile.picks == ["ideas", "calm"]
        assert profile.own_words == "Patient\nGood with new starters"
        assert profile.shown_to_team is True
        fresh = strengths_add(user=teams.lead, words="Steady")
        assert fresh.shown_to_team is False  # off until the person chooses


def test_strengths_are_hidden_from_the_team_until_the_person_chooses(teams, alpha):
    hidden = f"HIDDEN{uuid.uuid4().hex[:10]}"
    assert not StrengthProfile._meta.get_field("shown_to_team").default
    with tenant_context(alpha):
        strengths_save(user=teams.member, picks=["ideas"], own_words=hidden, shown_to_team=False)
        strengths_save(user=teams.lead, picks=["done"], own_words="Lists", shown_to_team=True)
        strengths_save(user=teams.other_member, picks=["calm"], own_words="Other team", shown_to_team=True)
        shown = team_strengths_map(teams.team)
    assert [person.user.pk for person in shown.people] == [teams.lead.pk]
    assert [label for label, _ in shown.rows] == ["Getting things done"]
    for viewer in (teams.member, teams.lead, teams.admin):
        text = client_for(alpha, viewer).get(f"/teams/{teams.team.pk}/").content.decode()
        assert hidden not in text and "Other team" not in text
        assert "Lists" in text and "Who brings what" in text


def test_the_map_shows_who_brings_what_and_suggests_complementary_pairs(teams, alpha):
    with tenant_context(alpha):
        strengths_save(user=teams.member, picks=["ideas", "teaching"], own_words="", shown_to_team=True)
        strengths_save(user=teams.lead, picks=["done", "calm"], own_words="", shown_to_team=True)
        shown = team_strengths_map(teams.team)
    rows = {label: [p.user.pk for p in people] for label, people in shown.rows}
    assert rows["Ideas"] == [teams.member.pk] and rows["Getting things done"] == [teams.lead.pk]
    first = shown.pairings[0]
    assert (first.first.user.pk, first.second.user.pk) == (teams.member.pk, teams.lead.pk)
    assert "ideas person and the implementer" in first.why
    text = client_for(alpha, teams.member).get(f"/teams/{teams.team.pk}/").content.decode()
    assert "might pair up well" in text and "ideas person and the implementer" in text


def test_pairings_never_pair_someone_with_themselves_and_stop_at_three(teams, alpha):
    with tenant_context(alpha):
        everything = strengths_save(user=teams.member, picks=Strength.values, own_words="", shown_to_team=True)
        alone = team_strengths_map(teams.team)
        assert alone.pairings == []
        people = [make_person(alpha, ["leader"], name=f"P{n}") for n in range(6)]
    with tenant_context(alpha):
        for person in people:
            add(alpha, teams.team, person)
            strengths_save(user=person, picks=Strength.values, own_words="", shown_to_team=True)
        many = team_strengths_map(teams.team)
    assert everything.picks == Strength.values
    assert 0 < len(many.pairings) <= 3
    assert all(pair.first.user.pk != pair.second.user.pk for pair in many.pairings)
    assert len(COMPLEMENTS) >= 4 and pairings_for([]) == []


def test_describing_your_strengths_on_the_page(teams, alpha):
    client = client_for(alpha, teams.member)
    page = client.get("/teams/strengths/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert 'value="0" checked' in page.content.decode() or "checked" in page.content.decode()
    response = client.post("/teams/strengths/", {
        "picks": ["ideas", "families"], "own_words": "I make people laugh", "shown_to_team": "1",
    })
    assert response.status_code == 302
    with tenant_context(alpha):
        profile = StrengthProfile.objects.get(user=teams.member)
        assert (profile.picks, profile.own_words, profile.shown_to_team) == (
            ["ideas", "families"], "I make people laugh", True)
    bad = client.post("/teams/strengths/", {"picks": ["nope"], "own_words": "x", "shown_to_team": "1"})
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    with tenant_context(alpha):
        assert StrengthProfile.objects.get(user=teams.member).own_words == "I make people laugh"
    assert "/teams/strengths/" in client.get("/teams/").content.decode()
    assert "/teams/strengths/" in client.get(f"/teams/{teams.team.pk}/").content.decode()


def test_strengths_page_is_only_ever_your_own(teams, alpha, beta):
    hidden = f"HIDDEN{uuid.uuid4().hex[:10]}"
    with tenant_context(alpha):
        strengths_save(user=teams.member, picks=[], own_words=hidden, shown_to_team=False)
    assert hidden in client_for(alpha, teams.member).get("/teams/strengths/").content.decode()
    for viewer in (teams.lead, teams.admin, teams.mentor, teams.other_member):
        assert hidden not in client_for(alpha, viewer).get("/teams/strengths/").content.decode()
    assert client_for(beta, teams.beta_user).get("/teams/strengths/").status_code == 200
    assert hidden not in client_for(beta, teams.beta_user).get("/teams/strengths/").content.decode()
    assert client_for(alpha).get("/teams/strengths/").status_code == 302
    assert client_for(None, teams.operator).get("/teams/strengths/").status_code == 404


@pytest.mark.parametrize("people", [2, 12])
def test_the_map_costs_one_query_however_many_people(teams, alpha, people):
    extra = []
    for n in range(people):
        extra.append(make_person(alpha, ["leader"], name=f"Member {n} {uuid.uuid4().hex[:4]}"))
    with tenant_context(alpha):
        for n, person in enumerate(extra):
            add(alpha, teams.team, person)
            strengths_save(user=person, picks=Strength.values[n % 6: n % 6 + 3], own_words=f"Words {n}",
                           shown_to_team=True)
        with CaptureQueriesContext(connection) as queries:
            section = strengths_team_section(teams.team, teams.member)
        assert len(queries) == 1
        assert len(section.context["map"].people) == people
