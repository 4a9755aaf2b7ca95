"""The home page: greeting, quick links by role, and the welcome checklist for admins."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from courses.models import Lesson
from courses.services import lesson_complete
from people.services import invitation_create, pairing_create
from tests.conftest import client_for
from tests.people.test_home_sections import HOME_QUERIES

pytestmark = pytest.mark.django_db


def test_links_follow_roles(alpha, alpha_people):
    admin_home = client_for(alpha, alpha_people.admin).get("/").content.decode()
    assert 'href="/manage/"' in admin_home
    mentor_home = client_for(alpha, alpha_people.mentor).get("/").content.decode()
    assert "<h2>Mentoring</h2>" in mentor_home and 'href="/manage/"' not in mentor_home
    leader_home = client_for(alpha, alpha_people.leader).get("/").content.decode()
    assert "Hello, Lee" in leader_home
    assert "<h2>Mentoring</h2>" not in leader_home
    for page in (admin_home, mentor_home, leader_home):
        assert "<h2>Learning</h2>" in page and "<h2>Journal</h2>" in page
        assert 'href="/accounts/sessions/"' in page and 'href="/accounts/2fa/"' in page


def test_welcome_checklist_ticks_items_as_they_are_done(alpha, django_assert_max_num_queries):
    from tests.conftest import make_person

    admin = make_person(alpha, ["admin", "leader"], name="Fresh Admin")
    client = client_for(alpha, admin)
    page = client.get("/").content.decode()
    assert "Getting your organisation started" in page
    assert page.count("(done)") == 0

    with tenant_context(alpha):
        invitation_create(email="first@example.org", full_name="", roles=["mentor"], invited_by=admin)
    page = client.get("/").content.decode()
    assert page.count("(done)") == 1
    assert "Invite your people</a> <span class=\"visually-hidden\">(done)" in page

    mentor = make_person(alpha, ["mentor"])
    with tenant_context(alpha):
        pairing_create(leader=admin, mentor=mentor)
    page = client.get("/").content.decode()
    # Invited and paired, but the admin has not taken a lesson yet: the checklist stays.
    assert "Getting your organisation started" in page and page.count("(done)") == 2
    assert "Take your first lesson</a><span class=\"hint-inline\">" in page

    with tenant_context(alpha):
        lesson = Lesson.objects.filter(module__is_hidden=False).order_by("module__order", "order").first()
        lesson_complete(user=admin, lesson=lesson)
    with django_assert_max_num_queries(HOME_QUERIES):
        page = client.get("/").content.decode()
    # All done: the checklist makes way for the everyday page.
    assert "Getting your organisation started" not in page
    assert "Your mentor:" in page


def test_non_admins_never_see_the_checklist(alpha, alpha_people):
    assert "Getting your organisation started" not in client_for(alpha, alpha_people.leader).get("/").content.decode()
