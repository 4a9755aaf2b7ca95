"""The main navigation marks exactly one item as where you are (people.context_processors.navigation)."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import tenant_context

from people.context_processors import nav_section_for
from reflections.services.journal import entry_create
from reflections.services.sharing import entry_share
from tests.conftest import client_for, make_person
from tests.reflections.conftest import pair

pytestmark = pytest.mark.django_db


def _current(html: str) -> list[tuple[str, str]]:
    """(aria-current value, link text) of the main navigation's marked items."""
    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    return [(value, text.strip()) for value, text in re.findall(r'<a href="[^"]*" aria-current="(\w+)">([^<]+)', nav)]


def test_sections_by_the_longest_path(alpha):
    from django.urls import set_urlconf

    with tenant_context(alpha):
        set_urlconf("config.urls_tenant")
        try:
            assert nav_section_for("/") == "home"
            assert nav_section_for("/learn/attending/") == "learning"
            assert nav_section_for("/learn/manage/") == "manage"
            assert nav_section_for("/learn/manage/modules/3/") == "manage"
            assert nav_section_for("/manage/learning/") == "manage"
            assert nav_section_for("/journal/prompts/") == "journal"
            assert nav_section_for("/mentoring/digest/") == "mentoring"
            assert nav_section_for("/notifications/") == ""
            # Growing with others is one item: growth, supervision, 360 feedback and learning sets.
            for path in ("/growing/", "/growing/profile/", "/supervision/", "/supervision/sessions/3/",
                         "/feedback/360/", "/feedback/360/new/", "/sets/", "/sets/3/meetings/4/"):
                assert nav_section_for(path) == "growing", path
            for path in ("/manage/supervision/", "/manage/supervision/growing/", "/manage/sets/"):
                assert nav_section_for(path) == "manage", path
            assert nav_section_for("/feedback/pulse/3/") == ""
        finally:
            set_urlconf(None)


def test_manage_learning_marks_one_item(alpha):
    admin = make_person(alpha, ["admin", "leader"])
    client = client_for(alpha, admin)
    assert _current(client.get("/learn/manage/").content.decode()) == [("true", "Manage")]
    # The learning report: the tab bar says which page ("page"); the navigation only which part ("true").
    html = client.get("/manage/learning/").content.decode()
    assert _current(html) == [("true", "Manage")]
    assert html.count('aria-current="page"') == 1
    assert _current(client.get("/learn/").content.decode()) == [("page", "Learning")]
    assert _current(client.get("/manage/").content.decode()) == [("page", "Manage")]


def test_a_mentor_reading_a_leaders_entry_is_mentoring(alpha):
    leader, mentor = make_person(alpha, ["leader"]), make_person(alpha, ["leader", "mentor"])
    pair(alpha, leader, mentor)
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="Shared", template="free", fields={"body": "x"})
        entry_share(entry=entry, author=leader, mentor=mentor)
        own = entry_create(author=mentor, title="Mine", template="free", fields={"body": "x"})
    client = client_for(alpha, mentor)
    assert _current(client.get("/mentoring/").content.decode()) == [("page", "Mentoring")]
    assert _current(client.get(f"/journal/{entry.pk}/").content.decode())[0][1] == "Mentoring"
    assert _current(client.get(f"/journal/{own.pk}/").content.decode()) == [("true", "Journal")]
    assert _current(client.get("/journal/").content.decode()) == [("page", "Journal")]
    assert _current(client_for(alpha, leader).get(f"/journal/{entry.pk}/").content.decode()) == [("true", "Journal")]


def test_growing_is_one_item_for_growth_supervision_360_and_sets(alpha):
    from teams.services import member_add, team_create

    admin = make_person(alpha, ["admin", "leader", "mentor"])
    with tenant_context(alpha):
        member_add(team=team_create(name="Larch House"), user=admin)
    client = client_for(alpha, admin)
    html = client.get("/growing/").content.decode()
    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    items = [re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<li[^>]*>(.*?)</li>", nav, re.S)]
    assert items == ["Home", "Learning", "Journal", "Teams", "Growing", "Mentoring", "Manage", "Sign out"]
    assert _current(html) == [("page", "Growing")]
    for path in ("/supervision/", "/feedback/360/", "/sets/"):
        assert _current(client.get(path).content.decode()) == [("true", "Growing")], path
    assert _current(client.get("/manage/supervision/").content.decode()) == [("true", "Manage")]
