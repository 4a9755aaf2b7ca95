"""The demo organisation's learning (tenants.demo_seeding calls `seed`): Sam, the demo leader, finished the
first two modules over the last four weeks and is part way through the third; Priya, the admin, finished the
first; the second module is required. Written through the services, then back-dated, so the CPD record,
certificates (each with its reference, checkable at /verify/) and the learning report look lived in. Runs once:
when Sam has any progress it leaves everything as it is."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Min
from django.utils import timezone

from people.models import User

from . import services
from .models import Lesson, LessonProgress, Module, ModuleCompletion
from .selectors import visible_modules


def _back_date(user: User, lessons: list[Lesson], start_days_ago: int, step_days: int) -> None:
    """Move what the services stamped "now" back into the last few weeks: one lesson every `step_days`, and a
    module completed when its last lesson was."""
    now = timezone.localtime()
    for n, lesson in enumerate(lessons):
        # In the evening, the way people fit learning around shifts (never later than yesterday evening).
        day = now - timedelta(days=start_days_ago - n * step_days)
        when = day.replace(hour=20, minute=5 + 7 * n % 50, second=0, microsecond=0)
        progress = LessonProgress.objects.filter(user=user, lesson=lesson)
        progress.update(opened_at=when - timedelta(minutes=25), last_seen_at=when)
        progress.filter(completed_at__isnull=False).update(completed_at=when)
        ModuleCompletion.objects.filter(user=user, module_id=lesson.module_id).update(completed_at=when)


def seed(*, people: dict[str, User]) -> None:
    leader, admin = people["leader"], people["admin"]
    if LessonProgress.objects.filter(user=leader).exists():
        return
    modules = list(visible_modules().prefetch_related("lessons")[:3])
    if len(modules) < 3:
        return  # a curriculum too small for a story; nothing half-made

    first, second, third = ([*m.lessons.order_by("order", "id")] for m in modules)
    # Sam: the whole of the first module a little over three weeks ago, the second over the fortnight after.
    for lesson in first + second:
        services.lesson_visit_record(user=leader, lesson=lesson)
        services.lesson_complete(user=leader, lesson=lesson)
    services.practice_tried(user=leader, lesson=second[0])
    _back_date(leader, first, start_days_ago=28, step_days=1)
    _back_date(leader, second, start_days_ago=23, step_days=2)
    statements = modules[1].self_check.get("statements") or []
    if statements:
        # Honest middle-of-the-road answers: growth to come. Private to Sam, like every self-check.
        response = services.self_check_record(
            user=leader, module=modules[1], answers=[(3, 4, 2, 4, 3, 3, 4, 2)[n % 8] for n in range(len(statements))],
        )
        answered_at = (timezone.localtime() - timedelta(days=12)).replace(hour=20, minute=40)
        type(response).objects.filter(pk=response.pk).update(created_at=answered_at)

    # The third module: two lessons done this week and the next one opened, so "continue where you left off"
    # has somewhere to go.
    done, opened = third[:2], third[2:3]
    for lesson in done + opened:
        services.lesson_visit_record(user=leader, lesson=lesson)
    for lesson in done:
        services.lesson_complete(user=leader, lesson=lesson)
    _back_date(leader, done + opened, start_days_ago=5, step_days=2)

    # Priya (admin, also learning): the first module, so the learning report has more than one person in it.
    for lesson in first:
        services.lesson_visit_record(user=admin, lesson=lesson)
        services.lesson_complete(user=admin, lesson=lesson)
    _back_date(admin, first, start_days_ago=30, step_days=1)

    # The services stamped the completions "now", before the back-dating: give them the dates and the minutes the
    # back-dated lessons earn (each was open 25 minutes before it was done), like a learner who took their time.
    for completion in ModuleCompletion.objects.filter(user__in=[leader, admin]):
        first_opened = LessonProgress.objects.filter(user=completion.user, module=completion.module).aggregate(
            first=Min("opened_at"))["first"]
        ModuleCompletion.objects.filter(pk=completion.pk).update(started_at=first_opened)
        services.cpd_minutes_refresh(user=completion.user, module=completion.module)

    # The second module is required, since a little over a fortnight ago: done by Sam, still waiting for Priya,
    # so the learning report shows both.
    services.module_settings_update(module=modules[1], is_required=True)
    Module.objects.filter(pk=modules[1].pk).update(required_since=timezone.now() - timedelta(days=17))
