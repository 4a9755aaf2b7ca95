"""Finishing a module is a moment: the last "done" leads to a page saying what was done, the ring it filled and
the next module one tap away."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from courses import services
from courses.models import Lesson, ModuleCompletion
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db


def _finish(client, module: str, count: int):
    response = None
    for n in range(1, count + 1):
        response = client.post(f"/learn/{module}/{module}-lesson-{n}/done/")
    return response


def test_the_last_lesson_done_opens_the_completion_page(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    # Not the last lesson: on to the next one, as before.
    response = client.post("/learn/attending/attending-lesson-1/done/")
    assert response["Location"] == "/learn/attending/attending-lesson-2/"
    client.post("/learn/attending/attending-lesson-1/tried/")
    response = _finish(client, "attending", 3)
    assert response.status_code == 302 and response["Location"] == "/learn/completed/attending/"

    html = client.get("/learn/completed/attending/").content.decode()
    with tenant_context(alpha):
        completion = ModuleCompletion.objects.get(user=leader, module__slug="attending")
    assert "<h1>You completed this module</h1>" in html
    assert "You have completed “Attending”" in html
    assert f"3 lessons, {completion.cpd_minutes} CPD minutes, finished on" in html
    # Quick taps earn no CPD minutes (courses.services); then the page does not speak of minutes at all.
    with tenant_context(alpha):
        ModuleCompletion.objects.filter(pk=completion.pk).update(cpd_minutes=0)
    again = client.get("/learn/completed/attending/").content.decode()
    assert "3 lessons, finished on" in again and "CPD minute" not in again
    for n in (1, 2, 3):
        assert f"Attending lesson {n}" in html
    assert "(you tried the practice)" in html
    # The behaviour's ring is drawn full, and said in words.
    assert 'class="ring ring-attending"' in html and 'stroke-dasharray="100.0 0.0"' in html
    assert "Your attending ring is full: every lesson on it is done." in html
    assert "Attending: 3 of 3 lessons done." in html  # the picture's text alternative
    # The next module not yet done, one tap away: the first of the earlier ones here, since Welcome is unfinished.
    assert "Up next: Welcome" in html
    assert 'href="/learn/welcome/welcome-lesson-1/"' in html
    assert 'href="/learn/cpd/attending/certificate/"' in html


def test_the_next_module_is_the_one_after_and_the_last_says_so(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    with tenant_context(alpha):
        services.lesson_complete(user=leader, lesson=Lesson.objects.get(slug="attending-lesson-1"))
    assert _finish(client, "welcome", 2)["Location"] == "/learn/completed/welcome/"
    html = client.get("/learn/completed/welcome/").content.decode()
    assert "Up next: Attending" in html
    assert 'href="/learn/attending/attending-lesson-2/"' in html  # where they left it, not the start
    assert "ring is full" not in html  # Welcome has no behaviour of its own

    _finish(client, "attending", 3)
    html = client.get("/learn/completed/attending/").content.decode()
    assert "You have completed every module" in html and "Up next" not in html


def test_only_someone_who_completed_it_gets_the_page(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    response = client.get("/learn/completed/attending/")
    assert response.status_code == 302 and response["Location"] == "/learn/attending/"
    assert client.get("/learn/completed/no-such-module/").status_code == 404
