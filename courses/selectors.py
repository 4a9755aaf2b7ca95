"""Reads with a rule: what a learner sees, their progress, their own self-checks, and aggregate reports.

Every page reads through these with a fixed number of queries, whatever the number of modules, lessons and
learners (counts are annotated, never looped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.db.models import Count, Exists, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from people.models import Role, User
from people.selectors import active_members

from .models import (
    Behaviour,
    Lesson,
    LessonProgress,
    Module,
    ModuleCompletion,
    Programme,
    SelfCheckResponse,
    Source,
)


def visible_modules() -> QuerySet[Module]:
    """Modules learners see: not hidden, with at least one lesson, in the organisation's order."""
    return (
        Module.objects.filter(is_hidden=False)
        .annotate(lesson_count=Count("lessons", distinct=True))
        .filter(lesson_count__gt=0)
        .order_by("order", "id")
    )


def module_visible_get(slug: str) -> Module | None:
    return visible_modules().select_related("programme").filter(slug=slug).first()


@dataclass
class ModuleProgress:
    module: Module
    total: int
    done: int
    completed_at: datetime | None

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None or (self.total > 0 and self.done >= self.total)

    @property
    def is_started(self) -> bool:
        return self.done > 0

    @property
    def dots(self) -> list[bool]:
        """One dot per lesson, filled when done: the module's progress as a picture."""
        return [True] * self.done + [False] * (self.total - self.done)


@dataclass
class BehaviourProgress:
    value: str
    label: str
    total: int = 0
    done: int = 0
    radius: float = 40.0

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def ring_dash(self) -> str:
        """stroke-dasharray for a ring drawn with pathLength="100": the filled part, then the gap."""
        filled = round(self.fraction * 100, 1)
        return f"{filled} {round(100 - filled, 1)}"


@dataclass
class LearningOverview:
    programmes: list[Programme]
    modules: list[ModuleProgress]
    behaviours: list[BehaviourProgress]
    continue_lesson: Lesson | None
    lessons_done: int = 0
    cpd_minutes: int = 0
    sections: list[tuple[Programme, list[ModuleProgress]]] = field(default_factory=list)


def _modules_with_progress(
    user: User, completions: dict[int, tuple[datetime, int]] | None = None
) -> list[ModuleProgress]:
    # A correlated count of this learner's rows only: a join would aggregate every learner's progress.
    done = (
        LessonProgress.objects.filter(module=OuterRef("pk"), user=user, completed_at__isnull=False)
        .order_by().values("module").annotate(n=Count("*")).values("n")
    )
    modules = visible_modules().annotate(done_count=Coalesce(Subquery(done), 0)).select_related("programme")
    if completions is None:
        completions = _completions(user)
    return [
        ModuleProgress(module=m, total=m.lesson_count, done=min(m.done_count, m.lesson_count),
                       completed_at=completions[m.pk][0] if m.pk in completions else None)
        for m in modules
    ]


def _completions(user: User) -> dict[int, tuple[datetime, int]]:
    """module id -> (completed at, CPD minutes), hidden modules included."""
    rows = ModuleCompletion.objects.filter(user=user).values_list("module_id", "completed_at", "cpd_minutes")
    return {module_id: (completed_at, minutes) for module_id, completed_at, minutes in rows}


def learning_overview(user: User) -> LearningOverview:
    """The learner's home: programme, modules with progress, growth per behaviour, where to pick up. 4 queries."""
    completions = _completions(user)
    modules = _modules_with_progress(user, completions)
    behaviours = {
        value: BehaviourProgress(value=value, label=str(label), radius=42 - 9 * index)
        for index, (value, label) in enumerate(Behaviour.choices)
    }
    by_programme: dict[int, list[ModuleProgress]] = {}
    programmes: list[Programme] = []
    for item in modules:
        if item.module.programme_id not in by_programme:
            programmes.append(item.module.programme)
        by_programme.setdefault(item.module.programme_id, []).append(item)
        if item.module.behaviour in behaviours:
            behaviours[item.module.behaviour].total += item.total
            behaviours[item.module.behaviour].done += item.done
    return LearningOverview(
        programmes=programmes, modules=modules, behaviours=list(behaviours.values()),
        continue_lesson=continue_lesson_for(user, modules),
        lessons_done=sum(item.done for item in modules),
        cpd_minutes=sum(minutes for _, minutes in completions.values()),
        sections=[(programme, by_programme[programme.pk]) for programme in programmes],
    )


def continue_lesson_for(user: User, modules: list[ModuleProgress] | None = None) -> Lesson | None:
    """The first lesson not yet done in the module the learner is working on now. At most 2 queries."""
    module = current_module_for(user, modules)
    if module is None:
        return None
    done = LessonProgress.objects.filter(user=user, lesson=OuterRef("pk"), completed_at__isnull=False)
    lessons = Lesson.objects.filter(module=module).select_related("module").order_by("order", "id")
    return lessons.exclude(Exists(done)).first() or lessons.first()


def current_module_for(user: User, modules: list[ModuleProgress] | None = None) -> Module | None:
    """The module the learner is working on now: the one they last opened a lesson in, unless it is complete;
    otherwise the first module, in the organisation's order, that they have not completed. None when every
    module is complete, or there are none."""
    if modules is None:
        modules = _modules_with_progress(user)
    unfinished = [item for item in modules if not item.is_complete]
    if not unfinished:
        return None
    unfinished_ids = {item.module.pk: item.module for item in unfinished}
    recent = (
        LessonProgress.objects.filter(user=user, module_id__in=unfinished_ids)
        .order_by("-last_seen_at").values_list("module_id", flat=True).first()
    )
    return unfinished_ids.get(recent) or unfinished[0].module


def current_behaviour_for(user: User) -> str | None:
    """The behaviour (a courses.models.Behaviour value) of the module the learner is working on, or None."""
    module = current_module_for(user)
    if module is None or not module.behaviour:
        return None
    return module.behaviour



@dataclass
class NextLesson:
    """What the home page offers to continue: the lesson, its module's progress, how much is done overall."""

    lesson: Lesson | None
    progress: ModuleProgress | None
    lessons_done: int
    has_modules: bool


def next_lesson_for(user: User) -> NextLesson:
    """The lesson to continue ("continue where you left off"), with its module's progress. 4 queries."""
    modules = _modules_with_progress(user)
    lesson = continue_lesson_for(user, modules)
    progress = next((item for item in modules if lesson is not None and item.module.pk == lesson.module_id), None)
    return NextLesson(lesson=lesson, progress=progress, lessons_done=sum(item.done for item in modules),
                      has_modules=bool(modules))


def has_completed_a_lesson(user: User) -> bool:
    """Whether the person has marked any lesson done (the admin's welcome checklist asks). 1 query."""
    return LessonProgress.objects.filter(user=user, completed_at__isnull=False).exists()


@dataclass
class ModuleMoment:
    """Finishing a module: what was done, the rings now, and what comes next."""

    module: Module
    completion: ModuleCompletion
    lessons: list[LessonRow]
    behaviours: list[BehaviourProgress]
    behaviour: BehaviourProgress | None  # the ring of this module's behaviour, if it has one
    next_module: Module | None
    next_lesson: Lesson | None


def module_moment_for(user: User, module: Module) -> ModuleMoment | None:
    """The completion page of a module the person has completed (None otherwise). The next module is the first
    one after it, in the organisation's order, that they have not completed (or the first unfinished before it)."""
    completion = module_completion_for(user, module)
    if completion is None:
        return None
    overview = learning_overview(user)
    unfinished = [item.module for item in overview.modules if not item.is_complete]
    position = next((n for n, item in enumerate(overview.modules) if item.module.pk == module.pk), -1)
    later = [item.module for item in overview.modules[position + 1:] if not item.is_complete]
    next_module = (later or unfinished or [None])[0]
    next_lesson = None
    if next_module is not None:
        done = LessonProgress.objects.filter(user=user, lesson=OuterRef("pk"), completed_at__isnull=False)
        lessons = Lesson.objects.filter(module=next_module).order_by("order", "id")
        next_lesson = lessons.exclude(Exists(done)).first() or lessons.first()
    return ModuleMoment(
        module=module, completion=completion, lessons=module_lessons_for(user, module),
        behaviours=overview.behaviours,
        behaviour=next((b for b in overview.behaviours if b.value == module.behaviour), None),
        next_module=next_module, next_lesson=next_lesson,
    )


@dataclass
class LessonRow:
    lesson: Lesson
    completed: bool
    practice_tried: bool


def module_lessons_for(user: User, module: Module) -> list[LessonRow]:
    """A module's lessons with the learner's ticks. 1 query."""
    lessons = Lesson.objects.filter(module=module).order_by("order", "id").annotate(
        completed=Exists(LessonProgress.objects.filter(user=user, lesson=OuterRef("pk"), completed_at__isnull=False)),
        tried=Exists(
            LessonProgress.objects.filter(user=user, lesson=OuterRef("pk"), practice_tried_at__isnull=False)
        ),
    )
    return [LessonRow(lesson=item, completed=item.completed, practice_tried=item.tried) for item in lessons]


def module_completion_for(user: User, module: Module) -> ModuleCompletion | None:
    return ModuleCompletion.objects.filter(user=user, module=module).first()


def visible_lessons() -> QuerySet[Lesson]:
    """Lessons learners can see: a hidden module is a draft its admins are still writing (or one they set aside),
    so none of its lessons shows anywhere, nor can a journal entry point at one."""
    return Lesson.objects.filter(module__is_hidden=False).select_related("module")


def lesson_visible_get(module: Module, slug: str) -> Lesson | None:
    return visible_lessons().filter(module=module, slug=slug).first()


def lesson_progress_for(user: User, lesson: Lesson) -> LessonProgress | None:
    return LessonProgress.objects.filter(user=user, lesson=lesson).first()


def self_check_latest(*, user: User, module: Module) -> SelfCheckResponse | None:
    """The learner's own latest self-check. Never anyone else's: there is no read of another person's."""
    return SelfCheckResponse.objects.filter(user=user, module=module).first()


class BehaviourStatements(NamedTuple):
    """One behaviour's self-check statements, each paired with the same statement turned to the person being
    rated: `pairs` is [(self_statement, others_statement), ...] in the self-check's order."""

    behaviour: str
    module: Module
    pairs: list[tuple[str, str]]


def behaviour_statements_for_others() -> list[BehaviourStatements]:
    """The statements others answer about a leader (the 360), per behaviour, in the programme's order: one entry
    per behaviour, from the first module of that behaviour whose self-check has statements for others. Hidden
    modules count (the four behaviours are the model, whatever an organisation teaches); a behaviour with no such
    module is left out. One query."""
    modules = Module.objects.exclude(behaviour="").filter(self_check__has_key="others").order_by("order", "id")
    result: list[BehaviourStatements] = []
    seen: set[str] = set()
    for module in modules:
        statements = module.self_check.get("statements") or []
        others = module.self_check.get("others") or []
        if module.behaviour in seen or not statements or len(others) != len(statements):
            continue
        seen.add(module.behaviour)
        result.append(BehaviourStatements(module.behaviour, module, list(zip(statements, others, strict=True))))
    return result


def self_checks_latest_for(user: User, modules: Iterable[Module]) -> dict[int, SelfCheckResponse]:
    """module id -> the learner's own latest self-check of that module, for the modules they have one of. Only
    ever the learner's own (for a page the learner alone sees, such as their 360 beside their self-check). One
    query."""
    module_ids = [m.pk for m in modules]
    if not module_ids:
        return {}
    rows = (
        SelfCheckResponse.objects.filter(user=user, module_id__in=module_ids)
        .order_by("module_id", "-created_at", "-id").distinct("module_id")
    )
    return {row.module_id: row for row in rows}


def completions_for(user: User) -> QuerySet[ModuleCompletion]:
    return ModuleCompletion.objects.filter(user=user).select_related("module", "module__programme").order_by(
        "completed_at", "id"
    )


def completion_get(user: User, module_slug: str) -> ModuleCompletion | None:
    return completions_for(user).filter(module__slug=module_slug).first()


REFERENCE_SHAPE = re.compile(r"HW-[A-Z2-7]{10}")


def reference_normalise(text: str) -> str:
    """A reference as typed from paper: any case, spaces or dashes anywhere, the "HW-" left off."""
    letters = re.sub(r"[^A-Za-z0-9]", "", text).upper()
    if letters.startswith("HW") and len(letters) == 12:
        letters = letters[2:]
    return f"HW-{letters}"


def completion_by_reference(reference: str) -> ModuleCompletion | None:
    """A certificate of this organisation, for the public verification page. References live in the
    organisation's own schema, so another organisation's reference is simply not found here."""
    reference = reference_normalise(reference)
    if not REFERENCE_SHAPE.fullmatch(reference):
        return None
    return ModuleCompletion.objects.select_related("user", "module").filter(reference=reference).first()


# --- Aggregate reports for organisation admins: counts and minutes only, never journal or self-check content.


def report_by_module() -> QuerySet[Module]:
    return (
        Module.objects.order_by("order", "id")
        .annotate(
            started_count=Count("lesson_progress__user", distinct=True),
            completed_count=Count("completions", distinct=True),
        )
    )


def report_people(*, role: str = "") -> QuerySet[User]:
    """Who the learning report covers: active members, narrowed by the admin's filters (today a role)."""
    people = active_members()
    if role in Role.values:
        people = people.filter(roles__contains=[role])
    return people


@dataclass
class ModuleOnDate:
    title: str
    on: date

    @property
    def waiting(self) -> str:
        """How long since `on`, in the words a manager would use: "today", "5 days", "3 weeks", "4 months"."""
        days = (timezone.localdate() - self.on).days
        if days < 1:
            return "today"
        if days < 14:
            return f"{days} day{'s' if days > 1 else ''}"
        if days < 61:
            return f"{days // 7} weeks"
        return f"{days // 30} months"


@dataclass
class PersonLearning:
    """One row of the learning report: dates, module titles and minutes; nothing anyone wrote or answered."""

    person: User
    last_active: date | None = None
    started: list[ModuleOnDate] = field(default_factory=list)  # started and not yet completed, with the start day
    completed: list[ModuleOnDate] = field(default_factory=list)
    required_waiting: list[ModuleOnDate] = field(default_factory=list)  # with the day it became expected of them
    cpd_minutes: int = 0

    @property
    def name(self) -> str:
        return self.person.get_full_name()


REPORT_SORTS = {
    "name": "Name",
    "active": "Last active",
    "completed": "Modules completed",
    "cpd": "CPD minutes",
}


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def report_by_person(people: QuerySet[User], modules: Iterable[Module], *, sort: str = "name") -> list[PersonLearning]:
    """Per person: the last day they were active in their learning, modules started and completed with dates,
    required modules not yet done and since when, CPD minutes. `people` is who the admin asked about (the view
    narrows active members by role); `modules` is the organisation's module list, already read for the report.
    Three queries, whatever the number of people and modules."""
    people = people.order_by("full_name", "email")
    rows = {person.pk: PersonLearning(person=person) for person in people}
    titles = {module.pk: module.title for module in modules}
    required = [m for m in modules if m.is_required and not m.is_hidden]
    done: dict[int, set[int]] = {pk: set() for pk in rows}

    completions = ModuleCompletion.objects.filter(user__in=people).values_list(
        "user_id", "module_id", "completed_at", "cpd_minutes"
    ).order_by("completed_at", "id")
    for user_id, module_id, completed_at, minutes in completions:
        row = rows[user_id]
        row.completed.append(ModuleOnDate(titles.get(module_id, ""), _day(completed_at)))
        row.cpd_minutes += minutes
        row.last_active = max(filter(None, [row.last_active, _day(completed_at)]))
        done[user_id].add(module_id)

    progress = (
        LessonProgress.objects.filter(user__in=people).values("user_id", "module_id")
        .annotate(first=Min("opened_at"), last=Max("last_seen_at")).order_by("first")
    )
    for item in progress:
        row = rows[item["user_id"]]
        row.last_active = max(filter(None, [row.last_active, _day(item["last"])]))
        if item["module_id"] not in done[item["user_id"]]:
            row.started.append(ModuleOnDate(titles.get(item["module_id"], ""), _day(item["first"])))

    for pk, row in rows.items():
        joined = _day(row.person.date_joined)
        row.required_waiting = [
            # Expected of someone from the day it was made required, or the day they joined if that came later.
            ModuleOnDate(module.title, max(joined, _day(module.required_since)) if module.required_since else joined)
            for module in required if module.pk not in done[pk]
        ]

    result = list(rows.values())  # in name order: the tie-break for every other sort
    if sort == "active":
        result.sort(key=lambda row: row.last_active or date.min, reverse=True)
    elif sort == "completed":
        result.sort(key=lambda row: len(row.completed), reverse=True)
    elif sort == "cpd":
        result.sort(key=lambda row: row.cpd_minutes, reverse=True)
    return result


def access_module_by_id(pk: int, *, organisation_only: bool = False) -> Module:
    """A module for its admins (hidden ones included; with `organisation_only`, one the organisation wrote, so
    shipped modules cannot be edited); one 404 for missing and not allowed alike."""
    modules = Module.objects.filter(source=Source.ORGANISATION) if organisation_only else Module.objects.all()
    module = modules.filter(pk=pk).first()
    if module is None:
        raise Http404("No such module")
    return module


def access_organisation_lesson_by_id(pk: int) -> Lesson:
    """A lesson the organisation wrote, for its admins; one 404 for missing and shipped alike."""
    lesson = Lesson.objects.select_related("module").filter(pk=pk, source=Source.ORGANISATION).first()
    if lesson is None:
        raise Http404("No such lesson")
    return lesson


def module_lessons(module: Module) -> QuerySet[Lesson]:
    """A module's lessons in order."""
    return Lesson.objects.filter(module=module).order_by("order", "id")


def manage_modules() -> QuerySet[Module]:
    """Every module, hidden ones included, for the organisation admin's list."""
    return Module.objects.order_by("order", "id").annotate(lesson_count=Count("lessons"))
