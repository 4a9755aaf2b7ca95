"""The learning home, a module page and a lesson page run a fixed number of queries, whatever the number of
modules, lessons and learners: measured small, then again after adding many more, against the same maximum."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from courses import services
from courses.models import Lesson, Module
from tests.conftest import client_for, make_person
from tests.courses.conftest import write_module

# 7 for every signed-in request (session, user, allauth's user-session bookkeeping), 1 for the count of new things
# in the navigation (reflections.context_processors), then the page's own:
# home 4 (completions, modules with counts, where to continue x2), module 3, lesson 5 (one upsert of "last seen"
# among them).
# The admin pages read the organisation settings once (two-step sign-in for admins, people.decorators); the report
# then reads modules with counts, people, their completions and their progress (4).
MAX_QUERIES = {"home": 12, "module": 11, "lesson": 13, "manage": 10, "report": 13}


def _grow(org, content, leader, *, modules: int, learners: int) -> None:
    from courses.loader import curriculum_sync

    for n in range(modules):
        write_module(content, f"{10 + n:02d}-extra-{n}", f"extra-{n}", f"Extra {n}", order=10 + n,
                     behaviour=["attending", "understanding", "empathising", "helping"][n % 4], lessons=5)
    with tenant_context(org):
        curriculum_sync(content)
        people = [leader] + [make_person(org, ["leader"]) for _ in range(learners)]
        for person in people:
            for lesson in Lesson.objects.filter(module__slug__in=["welcome", "attending", "extra-0"]):
                services.lesson_complete(user=person, lesson=lesson)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_page_queries_do_not_grow_with_data(loaded, alpha, django_assert_max_num_queries):
    leader = make_person(alpha, ["leader", "admin"])
    client = client_for(alpha, leader)
    with tenant_context(alpha):
        services.lesson_complete(user=leader, lesson=Lesson.objects.get(slug="welcome-lesson-1"))
    urls = {
        "home": "/learn/", "module": "/learn/attending/", "lesson": "/learn/attending/attending-lesson-2/",
        "manage": "/learn/manage/", "report": "/manage/learning/",
    }
    for url in urls.values():  # warm up: the first request of a session does some one-off work
        client.get(url)
    before = {name: _count(client, url) for name, url in urls.items()}

    _grow(alpha, loaded, leader, modules=8, learners=6)
    with tenant_context(alpha):
        assert Module.objects.count() == 10 and Lesson.objects.count() == 45

    after = {name: _count(client, url) for name, url in urls.items()}
    assert after == before, (before, after)
    for name, url in urls.items():
        with django_assert_max_num_queries(MAX_QUERIES[name]):
            client.get(url)
