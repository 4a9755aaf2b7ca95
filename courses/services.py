"""Every write of the courses app: progress, completions, self-checks, and what organisation admins author."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max, Min, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from people.models import User

from .models import Lesson, LessonProgress, Module, ModuleCompletion, Programme, SelfCheckResponse, Source

ORG_PROGRAMME_SLUG = "our-own-learning"


def lesson_visit_record(*, user: User, lesson: Lesson) -> None:
    """Remember that the learner opened this lesson ("continue where you left off"). One query."""
    LessonProgress.objects.bulk_create(
        [LessonProgress(user=user, lesson=lesson, module_id=lesson.module_id)],
        update_conflicts=True, unique_fields=["user", "lesson"], update_fields=["last_seen_at"],
    )


def _progress_for(user: User, lesson: Lesson) -> LessonProgress:
    progress, _ = LessonProgress.objects.select_for_update().get_or_create(
        user=user, lesson=lesson, defaults={"module_id": lesson.module_id}
    )
    return progress


@transaction.atomic
def lesson_complete(*, user: User, lesson: Lesson) -> ModuleCompletion | None:
    """Mark a lesson done; when it was the module's last one, record the module's completion and CPD minutes.

    Returns the completion when this call completed the module.
    """
    progress = _progress_for(user, lesson)
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at", "last_seen_at"])
    return module_completion_check(user=user, module=lesson.module)


@transaction.atomic
def lesson_uncomplete(*, user: User, lesson: Lesson) -> None:
    """Undo "done" on a lesson. A module completion already recorded stays on the CPD record."""
    LessonProgress.objects.filter(user=user, lesson=lesson).update(completed_at=None, last_seen_at=timezone.now())


@transaction.atomic
def module_completion_check(*, user: User, module: Module) -> ModuleCompletion | None:
    if ModuleCompletion.objects.filter(user=user, module=module).exists():
        return None
    total = Lesson.objects.filter(module=module).count()
    done = LessonProgress.objects.filter(user=user, module=module, completed_at__isnull=False).count()
    if total == 0 or done < total:
        return None
    started = LessonProgress.objects.filter(user=user, module=module).aggregate(first=Min("opened_at"))["first"]
    completion, created = ModuleCompletion.objects.get_or_create(
        user=user, module=module, defaults={
            "completed_at": timezone.now(), "started_at": started,
            "cpd_minutes": module_cpd_minutes(user=user, module=module),
            "reference": certificate_reference_new(),
        },
    )
    return completion if created else None


@transaction.atomic
def practice_tried(*, user: User, lesson: Lesson) -> None:
    progress = _progress_for(user, lesson)
    if progress.practice_tried_at is None:
        progress.practice_tried_at = timezone.now()
        progress.save(update_fields=["practice_tried_at", "last_seen_at"])
        cpd_minutes_refresh(user=user, module=lesson.module)


@transaction.atomic
def lesson_reflected(*, user: User, lesson: Lesson) -> None:
    """A journal entry about this lesson was saved (reflections calls this; courses never reads entries).

    Only a lesson already opened is marked, and "last seen" is left alone: writing in the journal must not show on
    the admin's report as activity or as a module started. The one trace is the lesson's CPD minutes, which the
    welcome lesson and the CPD page say."""
    marked = LessonProgress.objects.filter(user=user, lesson=lesson, reflected_at__isnull=True).update(
        reflected_at=timezone.now()
    )
    if marked:
        cpd_minutes_refresh(user=user, module=lesson.module)


# --- CPD minutes: the one rule. /learn/cpd/ says it in words (courses/templates/courses/cpd.html); keep the two
# together. A lesson counts when it was done after at least its reading time, or its practice was tried, or a
# reflection was written about it; three taps on "Mark as done" in a minute count for nothing. A module's minutes
# are the minutes of its lessons that count, recorded when it is completed; a practice tried or a reflection
# written afterwards adds that lesson's minutes then. Minutes on the record never go down.
# CPD that happens outside the lessons (an action learning set meeting attended) comes from the app that knows it,
# through courses/cpd.py: each source registers its rule there in one sentence, the page shows it under this one,
# and `cpd.cpd_record_for` adds those minutes to the modules' for the record, its downloads and its certificate.

READING_WORDS_PER_MINUTE = 200
READING_MIN_SECONDS = 60


def lesson_reading_seconds(lesson: Lesson) -> int:
    """A plausible time to read the lesson: its words at 200 a minute, and never less than a minute."""
    return max(READING_MIN_SECONDS, round(len(lesson.body.split()) * 60 / READING_WORDS_PER_MINUTE))


def lesson_is_credited(*, progress: LessonProgress, lesson: Lesson) -> bool:
    if progress.practice_tried_at is not None or progress.reflected_at is not None:
        return True
    if progress.completed_at is None:
        return False
    return (progress.completed_at - progress.opened_at).total_seconds() >= lesson_reading_seconds(lesson)


def module_cpd_minutes(*, user: User, module: Module) -> int:
    """The CPD minutes a learner has earned in a module: the minutes of each lesson that counts. One query."""
    rows = LessonProgress.objects.filter(user=user, module=module, lesson__module=module).select_related("lesson")
    return sum(row.lesson.minutes for row in rows if lesson_is_credited(progress=row, lesson=row.lesson))


@transaction.atomic
def cpd_minutes_refresh(*, user: User, module: Module) -> None:
    """Bring a completed module's minutes up to what its lessons now earn (never down)."""
    completion = ModuleCompletion.objects.select_for_update().filter(user=user, module=module).first()
    if completion is None:
        return
    minutes = module_cpd_minutes(user=user, module=module)
    if minutes > completion.cpd_minutes:
        completion.cpd_minutes = minutes
        completion.save(update_fields=["cpd_minutes"])


# RFC 4648 base32: no 0/O or 1/I to misread when someone types a reference from paper.
REFERENCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
REFERENCE_PREFIX = "HW-"
REFERENCE_LENGTH = 10  # 32**10, about 10**15 possibilities: with the verification page's rate limit, unguessable


def certificate_reference_new() -> str:
    """A certificate's reference: random, so it says nothing about the organisation, the person or any id."""
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def self_check_record(*, user: User, module: Module, answers: Sequence[int]) -> SelfCheckResponse:
    statements = module.self_check.get("statements") or []
    if not statements or len(answers) != len(statements) or any(a not in range(1, 6) for a in answers):
        raise ValueError("One rating from 1 to 5 is needed for each statement.")
    return SelfCheckResponse.objects.create(user=user, module=module, answers=list(answers))


# --- What organisation admins do.


def _unique_module_slug(title: str) -> str:
    base = f"org-{slugify(title)[:60] or 'module'}"
    slug, n = base, 2
    while Module.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _unique_lesson_slug(module: Module, title: str) -> str:
    base = slugify(title)[:70] or "lesson"
    slug, n = base, 2
    while Lesson.objects.filter(module=module, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _programme_for_org_modules() -> Programme:
    programme = Programme.objects.filter(source=Source.SHIPPED).order_by("id").first()
    if programme is None:
        programme, _ = Programme.objects.get_or_create(
            slug=ORG_PROGRAMME_SLUG, defaults={"title": "Our own learning", "source": Source.ORGANISATION}
        )
    return programme


@transaction.atomic
def module_create(*, title: str, summary: str = "", behaviour: str = "", is_required: bool = False) -> Module:
    last = Module.objects.aggregate(last=Max("order"))["last"] or 0
    return Module.objects.create(
        programme=_programme_for_org_modules(), slug=_unique_module_slug(title), title=title, summary=summary,
        behaviour=behaviour, is_required=is_required, required_since=timezone.now() if is_required else None,
        order=last + 1, source=Source.ORGANISATION,
    )


@transaction.atomic
def module_update(*, module: Module, title: str, summary: str, behaviour: str) -> Module:
    if module.source != Source.ORGANISATION:
        raise ValueError("Shipped modules are updated by Heartwood, not edited here.")
    module.title, module.summary, module.behaviour = title, summary, behaviour
    module.save(update_fields=["title", "summary", "behaviour", "updated_at"])
    return module


@transaction.atomic
def module_settings_update(*, module: Module, is_hidden: bool | None = None, is_required: bool | None = None) -> Module:
    if is_hidden is not None:
        module.is_hidden = is_hidden
    if is_required is not None:
        if is_required and not module.is_required:
            module.required_since = timezone.now()
        elif not is_required:
            module.required_since = None
        module.is_required = is_required
    module.save(update_fields=["is_hidden", "is_required", "required_since", "updated_at"])
    return module


def _move_within(siblings: QuerySet[Any], pk: int, direction: int) -> None:
    """Move one item a place up (-1) or down (+1) among its siblings and number them all 1…n again."""
    items = list(siblings.select_for_update().order_by("order", "id"))
    index = next(i for i, item in enumerate(items) if item.pk == pk)
    target = index + direction
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, item in enumerate(items, start=1):
        item.order = position
    siblings.model.objects.bulk_update(items, ["order"])


@transaction.atomic
def module_move(*, module: Module, direction: int) -> None:
    _move_within(Module.objects.filter(programme_id=module.programme_id), module.pk, direction)


@transaction.atomic
def lesson_create(
    *, module: Module, title: str, body: str, practice: str = "", reflection_question: str = "", minutes: int = 10
) -> Lesson:
    if module.source != Source.ORGANISATION:
        raise ValueError("Lessons can be added to your organisation's own modules.")
    last = Lesson.objects.filter(module=module).aggregate(last=Max("order"))["last"] or 0
    return Lesson.objects.create(
        module=module, slug=_unique_lesson_slug(module, title), title=title, body=body, practice=practice,
        reflection_question=reflection_question, minutes=minutes, order=last + 1, source=Source.ORGANISATION,
    )


@transaction.atomic
def lesson_update(
    *, lesson: Lesson, title: str, body: str, practice: str, reflection_question: str, minutes: int
) -> Lesson:
    if lesson.source != Source.ORGANISATION:
        raise ValueError("Shipped lessons are updated by Heartwood, not edited here.")
    lesson.title, lesson.body, lesson.practice = title, body, practice
    lesson.reflection_question, lesson.minutes = reflection_question, minutes
    lesson.save()
    return lesson


@transaction.atomic
def lesson_move(*, lesson: Lesson, direction: int) -> None:
    _move_within(Lesson.objects.filter(module_id=lesson.module_id), lesson.pk, direction)
