"""CPD minutes credit a lesson only when it was done after its reading time, or its practice was tried, or a
journal entry about it was saved: three taps in a minute earn nothing. The CPD page says the rule."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from courses import services
from courses.models import Lesson, LessonProgress, ModuleCompletion
from reflections.services.journal import entry_create
from tests.conftest import client_for, make_person
from tests.courses.conftest import complete_after_reading

TAPS = ["attending-lesson-1", "attending-lesson-2", "attending-lesson-3"]


def _completion(alpha, person, slug: str = "attending") -> ModuleCompletion:
    with tenant_context(alpha):
        return ModuleCompletion.objects.get(user=person, module__slug=slug)


def test_three_quick_taps_earn_nothing(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    for slug in TAPS:  # open the lesson (the page's "seen" beacon) and tap "Mark as done" straight away
        assert client.post(f"/learn/attending/{slug}/seen/").status_code == 204
        assert client.post(f"/learn/attending/{slug}/done/").status_code == 302
    completion = _completion(alpha, leader)
    assert completion.cpd_minutes == 0
    page = " ".join(client.get("/learn/cpd/").content.decode().split())
    assert "1 module completed · 0 minutes of continuing professional development" in page


def test_reading_time_earns_the_lesson_and_a_moment_less_does_not(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        first, second, third = (Lesson.objects.get(slug=slug) for slug in TAPS)
        reading = services.lesson_reading_seconds(first)
        assert reading == services.READING_MIN_SECONDS  # a short lesson still asks for a minute
        complete_after_reading(leader, first)
        services.lesson_visit_record(user=leader, lesson=second)
        LessonProgress.objects.filter(user=leader, lesson=second).update(
            opened_at=timezone.now() - timedelta(seconds=reading - 10)
        )
        services.lesson_complete(user=leader, lesson=second)
        complete_after_reading(leader, third)
    assert _completion(alpha, leader).cpd_minutes == first.minutes + third.minutes


def test_reading_time_grows_with_the_lesson():
    lesson = Lesson(body=" ".join(["word"] * 1000))
    assert services.lesson_reading_seconds(lesson) == 300  # 1,000 words at 200 a minute
    assert services.lesson_reading_seconds(Lesson(body="Short.")) == 60


def test_a_practice_tried_earns_even_when_done_quickly_and_later_adds_to_the_record(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    client.post("/learn/attending/attending-lesson-1/seen/")
    client.post("/learn/attending/attending-lesson-1/tried/")
    for slug in TAPS:
        client.post(f"/learn/attending/{slug}/done/")
    assert _completion(alpha, leader).cpd_minutes == 11
    # Trying another lesson's practice after completing the module adds that lesson's minutes; trying one already
    # counted adds nothing.
    client.post("/learn/attending/attending-lesson-3/tried/")
    client.post("/learn/attending/attending-lesson-1/tried/")
    assert _completion(alpha, leader).cpd_minutes == 11 + 13


def test_a_saved_reflection_earns_and_a_draft_does_not_and_neither_shows_as_activity(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        first, second, third = (Lesson.objects.get(slug=slug) for slug in TAPS)
        welcome = Lesson.objects.get(slug="welcome-lesson-1")
        for lesson in (first, second):
            services.lesson_visit_record(user=leader, lesson=lesson)
        LessonProgress.objects.filter(user=leader).update(last_seen_at=timezone.now() - timedelta(days=2))
        entry_create(author=leader, title="Draft", template="free", fields={"body": "Half a thought"},
                     lesson=second, is_draft=True)
        entry_create(author=leader, title="What I noticed", template="free", fields={"body": "Handover."},
                     lesson=first)
        # About a lesson never opened: nothing is recorded, so the report shows no module started.
        entry_create(author=leader, title="Before reading", template="free", fields={"body": "Hm."}, lesson=welcome)
        assert not LessonProgress.objects.filter(user=leader, lesson=welcome).exists()
        progress = {p.lesson_id: p for p in LessonProgress.objects.filter(user=leader)}
        assert progress[first.pk].reflected_at is not None and progress[second.pk].reflected_at is None
        # Writing is not "activity" on the admin's report: last seen stays two days ago.
        assert all(p.last_seen_at < timezone.now() - timedelta(days=1) for p in progress.values())
        for lesson in (first, second, third):
            services.lesson_complete(user=leader, lesson=lesson)
    assert _completion(alpha, leader).cpd_minutes == first.minutes


def test_the_cpd_page_says_the_rule(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        complete_after_reading(leader, Lesson.objects.get(slug="welcome-lesson-1"))
    for person in (leader, make_person(alpha, ["leader"])):  # with a record and with none yet
        page = " ".join(client_for(alpha, person).get("/learn/cpd/").content.decode().split())
        assert "How your minutes are counted" in page
        assert "at least its reading time after you opened it" in page
        assert "about a minute for every 200 words, and never less than a minute" in page
        assert "tried its “try this at work” practice" in page
        assert "saved a journal entry about it" in page
        assert "A lesson ticked off in a few seconds adds nothing" in page
