"""The home page says what changed: sections from every app through people.home's registry, in the agreed order,
warm empty states, the count in the navigation, and a query count that data does not grow."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from courses.models import Lesson
from courses.services import lesson_complete
from people import home
from people.home import HomeSection
from people.models import Invitation
from reflections.models import PromptChannel, PromptDelivery
from reflections.selectors.prompts import prompts_active
from reflections.services.conversations import comment_create, entry_acknowledge
from reflections.services.journal import entry_create
from reflections.services.sharing import entry_share
from tests.conftest import client_for, make_person
from tests.reflections.conftest import pair

pytestmark = pytest.mark.django_db

# 7 for every signed-in request (session, user, allauth's user-session bookkeeping); then each section's own:
# news 1-3 (counts, the notices, or two "what to do first" checks), the mentor's news 0-1, prompts 1-3 (cards, or
# the rhythm), the lesson 4, an admin's actions 5, your teams 1, your action learning sets 1, an open team pulse 1,
# 360s you are asked to answer 1, supervision 1, a stretch or suggestion waiting 1, and the pairings on the page 1-2.
# The count in the navigation reuses the news the page read, and its "Teams" item the teams the page read. Each
# section costs a fixed number, whatever the data: a new section raises this by its own count, nothing grows it.
HOME_QUERIES = 29


def _section_titles(html: str) -> list[str]:
    return re.findall(r'<h2 id="home-[\w-]+-title">([^<]+)</h2>', html)


def _share_and_reply(org, leader, mentor, *, title: str, replies: int = 1, acknowledge: bool = True):
    with tenant_context(org):
        entry = entry_create(author=leader, title=title, template="free", fields={"body": "Some words."})
        entry_share(entry=entry, author=leader, mentor=mentor)
        for n in range(replies):
            comment_create(entry=entry, author=mentor, body=f"Reply {n}")
        if acknowledge:
            entry_acknowledge(entry=entry, mentor=mentor)
    return entry


def _prompt_waiting(org, leader) -> None:
    with tenant_context(org):
        PromptDelivery.objects.create(
            user=leader, slot=timezone.now() - timedelta(hours=1), prompt=prompts_active().first(),
            channel=PromptChannel.APP,
        )


# --- The registry


def test_sections_come_in_priority_order_with_empty_states_last(monkeypatch, alpha_people):
    monkeypatch.setattr(home, "_providers", {})
    home.home_section_register("b", lambda user: HomeSection(key="b", title="B", template="t", empty=True),
                               priority=10)
    home.home_section_register("c", lambda user: HomeSection(key="c", title="C", template="t"), priority=30)
    home.home_section_register("a", lambda user: HomeSection(key="a", title="A", template="t"), priority=20)
    home.home_section_register("none", lambda user: None, priority=5)
    home.home_section_register("a", lambda user: HomeSection(key="a", title="A2", template="t"), priority=20)
    sections = home.home_sections(alpha_people.leader)
    assert [(s.title, s.priority) for s in sections] == [("A2", 20), ("C", 30), ("B", 10)]


def test_every_app_registers_its_section():
    assert {"people.actions", "reflections.journal", "reflections.mentoring", "reflections.prompts",
            "courses.lesson"} <= set(home._providers)
    assert "first_lesson" in home.welcome_steps_registered()


# --- What each person sees, in order


def test_a_leaders_home_leads_with_replies_then_prompts_then_the_lesson(alpha):
    leader, mentor = make_person(alpha, ["leader"], name="Lee Leader"), make_person(alpha, ["mentor"], name="Mo Mentor")
    pair(alpha, leader, mentor)
    entry = _share_and_reply(alpha, leader, mentor, title="Night shift handover", replies=2)
    _prompt_waiting(alpha, leader)
    response = client_for(alpha, leader).get("/")
    html = response.content.decode()
    assert _section_titles(html) == ["On your entries", "A question for you", "Start here"]
    assert f'href="/journal/{entry.pk}/">Night shift handover</a>' in html
    assert "Mo Mentor replied 2 times and has read it</span>" in html
    assert "Write about this" in html and "Begin<span" in html
    # It names journal entries: never stored by a browser or a proxy.
    assert "no-store" in response["Cache-Control"]


def test_a_mentors_home_leads_with_what_their_leaders_shared_and_said(alpha):
    leader, mentor = make_person(alpha, ["leader"], name="Lee Leader"), make_person(alpha, ["mentor"], name="Mo Mentor")
    pair(alpha, leader, mentor)
    with tenant_context(alpha):
        first = entry_create(author=leader, title="First shared", template="free", fields={"body": "x"})
        entry_share(entry=first, author=leader, mentor=mentor)
    client = client_for(alpha, mentor)
    html = client.get("/").content.decode()
    assert _section_titles(html)[0] == "From your leaders"
    assert "First shared</a> <span class=\"muted\">by Lee Leader</span>" in html
    assert "Shared with you, not opened yet" in html

    # Opening it reads the news; a reply from the leader later is news again.
    assert client.post(f"/journal/{first.pk}/seen/").status_code == 204
    html = client.get("/").content.decode()
    assert "First shared" not in html
    assert "Nothing new from your leaders since you last looked." in html
    with tenant_context(alpha):
        comment_create(entry=first, author=leader, body="Thank you", mentor=mentor)
    html = client.get("/").content.decode()
    assert "First shared" in html and "Lee replied" in html and "not opened yet" not in html


def test_an_admins_home_offers_to_resend_invitations_nobody_took_up(alpha):
    admin = make_person(alpha, ["admin"], name="Ada Admin")
    with tenant_context(alpha):
        old = Invitation.objects.create(
            email="slow@example.org", full_name="Sol Slow", roles=["leader"], invited_by=admin,
            created=timezone.now() - timedelta(days=20), expires=timezone.now() - timedelta(days=6),
        )
        Invitation.objects.create(email="new@example.org", roles=["leader"], invited_by=admin,
                                  expires=timezone.now() + timedelta(days=14))
    html = client_for(alpha, admin).get("/").content.decode()
    assert _section_titles(html)[:2] == ["Start here", "Waiting for you"]  # the agreed order: the lesson, then actions
    assert "Sol Slow" in html and "the link has run out" in html
    assert f'action="/manage/invitations/{old.pk}/resend/"' in html
    assert "new@example.org" not in html  # sent this week: give it time


def test_empty_states_say_what_to_do_first(alpha):
    leader = make_person(alpha, ["leader"])
    html = client_for(alpha, leader).get("/").content.decode()
    assert "write your first reflection" in html and 'href="/journal/new/"' in html
    assert "No questions waiting." in html
    assert "Welcome to Alpha Care on Heartwood" in html
    # Nothing new yet: the lesson to begin comes first.
    assert _section_titles(html)[0] == "Start here"

    mentor = make_person(alpha, ["mentor"])
    html = client_for(alpha, mentor).get("/").content.decode()
    assert html.count("Nobody is paired with you as their mentor yet") == 1  # said once, where it helps

    with tenant_context(alpha):
        entry_create(author=leader, title="Private", template="free", fields={"body": "x"})
    html = client_for(alpha, leader).get("/").content.decode()
    assert "Once you have a mentor, you can share an entry with them" in html


def test_the_welcome_checklist_stays_until_the_admin_has_taken_a_lesson(alpha):
    admin = make_person(alpha, ["admin"], name="Ada Admin")
    other = make_person(alpha, ["mentor"])
    leader = make_person(alpha, ["leader"])
    pair(alpha, leader, other)
    client = client_for(alpha, admin)
    html = client.get("/").content.decode()
    assert "Getting your organisation started" in html and html.count("(done)") == 2
    with tenant_context(alpha):
        lesson_complete(user=admin, lesson=Lesson.objects.filter(module__is_hidden=False).first())
    html = client.get("/").content.decode()
    assert "Getting your organisation started" not in html
    assert "Nothing is waiting for you right now." in html


# --- The count in the navigation


def test_the_navigation_counts_new_things_beside_journal_and_mentoring(alpha):
    leader, mentor = make_person(alpha, ["leader"]), make_person(alpha, ["mentor"])
    pair(alpha, leader, mentor)
    entries = [_share_and_reply(alpha, leader, mentor, title=f"Entry {n}") for n in range(2)]
    leader_client, mentor_client = client_for(alpha, leader), client_for(alpha, mentor)

    html = leader_client.get("/journal/").content.decode()
    assert re.search(r'>Journal <span class="badge">2<span class="visually-hidden"> new</span></span></a>', html)
    html = mentor_client.get("/learn/").content.decode()
    # The mentor opened nothing yet: two entries shared with them.
    assert re.search(r'>Mentoring <span class="badge">2<span class="visually-hidden"> new</span></span></a>', html)
    assert '>Journal <span class="badge">' not in html
    # On a phone the navigation folds behind the Menu button: the button carries the whole count.
    assert re.search(r'Menu <span class="badge">2<span class="visually-hidden"> new</span></span></button>', html)

    # Reading an entry takes it off the count on the next page load.
    assert leader_client.post(f"/journal/{entries[0].pk}/seen/").status_code == 204
    html = leader_client.get("/").content.decode()
    assert '>Journal <span class="badge">1<span class="visually-hidden"> new</span></span></a>' in html
    assert leader_client.post(f"/journal/{entries[1].pk}/seen/").status_code == 204
    assert 'class="badge"' not in leader_client.get("/").content.decode()


# --- Query counts do not grow with data


def _count(client, url: str = "/") -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["leader", "mentor", "admin"])
def test_home_queries_do_not_grow_with_entries_and_replies(alpha, role, django_assert_max_num_queries):
    leader = make_person(alpha, ["leader", "admin"] if role == "admin" else ["leader"])
    mentor = make_person(alpha, ["mentor"])
    pair(alpha, leader, mentor)
    viewer = mentor if role == "mentor" else leader
    client = client_for(alpha, viewer)
    _share_and_reply(alpha, leader, mentor, title="First")
    _prompt_waiting(alpha, leader)
    before = _count(client)
    for n in range(20):
        entry = _share_and_reply(alpha, leader, mentor, title=f"More {n}", replies=1, acknowledge=n % 2 == 0)
        with tenant_context(alpha):
            comment_create(entry=entry, author=leader, body="Thanks", mentor=mentor)
    if role == "admin":
        with tenant_context(alpha):
            for n in range(8):
                Invitation.objects.create(email=f"waiting{n}@example.org", roles=["leader"], invited_by=leader,
                                          created=timezone.now() - timedelta(days=10),
                                          expires=timezone.now() + timedelta(days=4))
    after = _count(client)
    assert after <= before, (before, after)
    html = client.get("/").content.decode()
    assert "More 19" in html
    with django_assert_max_num_queries(HOME_QUERIES):
        client.get("/")
