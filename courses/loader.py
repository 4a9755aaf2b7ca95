"""Read the shipped curriculum (Markdown + front matter, see content/README.md) and upsert it into the
current schema by slug and version.

What an organisation made is never touched: its own modules and lessons (source=organisation), its choices
on shipped modules (order, hidden, required) and everyone's progress. A shipped item is rewritten only when
its file carries a higher version than the row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
from django.db import transaction

from .models import Behaviour, Lesson, Module, Programme, Source

logger = logging.getLogger(__name__)

CONTENT_ROOT = Path(__file__).resolve().parent / "content"
DEFAULT_PROGRAMME_DIR = CONTENT_ROOT / "foundations"


@dataclass
class LessonData:
    slug: str
    title: str
    version: int
    minutes: int
    practice: str
    question: str
    body: str
    order: int


@dataclass
class ModuleData:
    slug: str
    title: str
    version: int
    order: int
    behaviour: str
    self_check: dict[str, Any]
    summary: str
    lessons: list[LessonData] = field(default_factory=list)


@dataclass
class ProgrammeData:
    slug: str
    title: str
    version: int
    summary: str
    modules: list[ModuleData] = field(default_factory=list)


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: SyncResult) -> SyncResult:
        return SyncResult(
            self.created + other.created, self.updated + other.updated, self.unchanged + other.unchanged
        )

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _self_check(raw: Any, where: Path | None = None) -> dict[str, Any]:
    if not isinstance(raw, dict):
        return {}
    statements = [str(s).strip() for s in raw.get("statements") or [] if str(s).strip()]
    if not statements:
        return {}
    suggestions_raw = raw.get("suggestions") or {}
    suggestions = {
        band: [str(s).strip() for s in (suggestions_raw.get(band) or []) if str(s).strip()]
        for band in ("low", "middle", "high")
    }
    check = {"intro": str(raw.get("intro") or "").strip(), "statements": statements, "suggestions": suggestions}
    # The same statements turned to the person being rated, for the 360: paired with `statements` by position, so
    # a list of another length would pair the wrong ones and is dropped (tests/courses/test_others.py fails on it).
    others = [str(s).strip() for s in raw.get("others") or [] if str(s).strip()]
    if len(others) == len(statements):
        check["others"] = others
    elif others:
        logger.warning(
            "Dropping self_check.others in %s: %d statements for others, %d for the self-check",
            where or "a module", len(others), len(statements),
        )
    return check


def read_lesson(path: Path, order: int) -> LessonData | None:
    post = frontmatter.load(path)
    slug, title = str(post.get("slug") or "").strip(), str(post.get("title") or "").strip()
    if not slug or not title or not post.content.strip():
        logger.warning("Skipping lesson %s: slug, title or text missing", path)
        return None
    return LessonData(
        slug=slug, title=title, version=_int(post.get("version"), 1), minutes=_int(post.get("minutes"), 10),
        practice=str(post.get("practice") or "").strip(), question=str(post.get("question") or "").strip(),
        body=post.content.strip(), order=order,
    )


def read_module(folder: Path) -> ModuleData | None:
    module_file = folder / "module.md"
    if not module_file.is_file():
        logger.warning("Skipping %s: no module.md yet", folder)
        return None
    post = frontmatter.load(module_file)
    slug, title = str(post.get("slug") or "").strip(), str(post.get("title") or "").strip()
    if not slug or not title:
        logger.warning("Skipping %s: slug or title missing", module_file)
        return None
    behaviour = str(post.get("behaviour") or "").strip()
    if behaviour not in Behaviour.values:
        behaviour = ""
    module = ModuleData(
        slug=slug, title=title, version=_int(post.get("version"), 1), order=_int(post.get("order"), 0),
        behaviour=behaviour, self_check=_self_check(post.get("self_check"), module_file),
        summary=post.content.strip(),
    )
    lesson_files = sorted(p for p in folder.glob("*.md") if p.name != "module.md")
    for index, path in enumerate(lesson_files, start=1):
        lesson = read_lesson(path, order=index)
        if lesson is not None:
            module.lessons.append(lesson)
    return module


def read_programme(folder: Path = DEFAULT_PROGRAMME_DIR) -> ProgrammeData | None:
    """Everything that is there: folders still being written are skipped, never fatal."""
    programme_file = folder / "programme.md"
    if programme_file.is_file():
        post = frontmatter.load(programme_file)
        meta, summary = post.metadata, post.content.strip()
    else:
        meta, summary = {}, ""
    slug = str(meta.get("slug") or "compassionate-leadership-foundations").strip()
    title = str(meta.get("title") or "Compassionate leadership foundations").strip()
    programme = ProgrammeData(slug=slug, title=title, version=_int(meta.get("version"), 1), summary=summary)
    if not folder.is_dir():
        return None
    for module_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
        module = read_module(module_folder)
        if module is not None:
            programme.modules.append(module)
    return programme


def _apply(instance: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(instance, name, value)


@transaction.atomic
def curriculum_sync(folder: Path = DEFAULT_PROGRAMME_DIR) -> SyncResult:
    """Upsert the programme in `folder` into the current schema. Safe to run again and again."""
    result = SyncResult()
    data = read_programme(folder)
    if data is None:
        return result

    programme = Programme.objects.filter(slug=data.slug).first()
    programme_values = {"title": data.title, "summary": data.summary, "version": data.version}
    if programme is None:
        programme = Programme.objects.create(slug=data.slug, source=Source.SHIPPED, **programme_values)
        result.created += 1
    elif programme.source == Source.SHIPPED and data.version > programme.version:
        _apply(programme, programme_values)
        programme.save()
        result.updated += 1
    else:
        result.unchanged += 1

    modules = {m.slug: m for m in Module.objects.filter(slug__in=[m.slug for m in data.modules])}
    lessons: dict[tuple[int, str], Lesson] = {
        (lesson.module_id, lesson.slug): lesson
        for lesson in Lesson.objects.filter(module__in=[m.pk for m in modules.values()])
    }
    for module_data in data.modules:
        module = modules.get(module_data.slug)
        module_values = {
            "title": module_data.title, "summary": module_data.summary, "behaviour": module_data.behaviour,
            "self_check": module_data.self_check, "version": module_data.version,
        }
        if module is None:
            module = Module.objects.create(
                programme=programme, slug=module_data.slug, order=module_data.order, source=Source.SHIPPED,
                **module_values,
            )
            result.created += 1
        elif module.source != Source.SHIPPED:
            # The organisation wrote a module with this slug: it is theirs, leave it and its lessons alone.
            result.unchanged += 1 + len(module_data.lessons)
            continue
        elif module_data.version > module.version:
            # Order, hidden and required are the organisation's choices: not overwritten.
            _apply(module, module_values)
            module.save()
            result.updated += 1
        else:
            result.unchanged += 1

        for lesson_data in module_data.lessons:
            lesson = lessons.get((module.pk, lesson_data.slug))
            lesson_values = {
                "title": lesson_data.title, "body": lesson_data.body, "practice": lesson_data.practice,
                "reflection_question": lesson_data.question, "minutes": lesson_data.minutes,
                "order": lesson_data.order, "version": lesson_data.version,
            }
            if lesson is None:
                Lesson.objects.create(module=module, slug=lesson_data.slug, source=Source.SHIPPED, **lesson_values)
                result.created += 1
            elif lesson.source == Source.SHIPPED and lesson_data.version > lesson.version:
                _apply(lesson, lesson_values)
                lesson.save()
                result.updated += 1
            else:
                result.unchanged += 1
    return result
