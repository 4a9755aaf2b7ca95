"""Every write of the courses app: progress, completions, self-checks, and what organisation admins author."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet, Sum
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
    lessons = Lesson.objects.filter(module=module)
    total = lessons.count()
    done = LessonProgress.objects.filter(user=user, module=module, completed_at__isnull=False).count()
    if total == 0 or done < total:
        return None
    minutes = lessons.aggregate(total=Sum("minutes"))["total"] or 0
    completion, created = ModuleCompletion.objects.get_or_create(
        user=user, module=module, defaults={"completed_at": timezone.now(), "cpd_minutes": minutes}
    )
    return completion if created else None


@transaction.atomic
def practice_tried(*, user: User, lesson: Lesson) -> None:
    progress = _progress_for(user, lesson)
    if progress.practice_tried_at is None:
        progress.practice_tried_at = timezone.now()
        progress.save(update_fields=["practice_tried_at", "last_seen_at"])


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
        behaviour=behaviour, is_required=is_required, order=last + 1, source=Source.ORGANISATION,
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
        module.is_required = is_required
    module.save(update_fields=["is_hidden", "is_required", "updated_at"])
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
