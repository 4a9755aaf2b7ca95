"""Writing journal entries: create, update, autosave, delete. Only the author writes an entry."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from courses.models import Behaviour, Lesson
from courses.services import lesson_reflected
from people.models import User

from ..about import About
from ..models import (
    SECTIONS,
    TEXT_FIELDS,
    EntryTemplate,
    JournalEntry,
    Prompt,
)
from .prompts import deliveries_used


def search_vector_expression() -> SearchVector:
    # Every text column is NOT NULL (blank is ""), so no Coalesce is needed.
    vector = SearchVector("title", weight="A", config="english")
    for name in TEXT_FIELDS:
        vector = vector + SearchVector(name, weight="B", config="english")
    return vector


def _refresh_search(entry: JournalEntry) -> None:
    JournalEntry.objects.filter(pk=entry.pk).update(search_vector=search_vector_expression())


def _clean_fields(template: str, fields: dict[str, Any], *, keep_all: bool) -> dict[str, str]:
    """The text fields to store. A saved entry keeps only its template's sections (what a switch of template
    hid is not kept where nobody sees it); a draft keeps everything, so switching back loses nothing."""
    if template not in EntryTemplate.values:
        raise ValidationError("Choose a template.")
    used = {name for name, _, _ in SECTIONS[template]}
    return {name: str(fields.get(name) or "") if keep_all or name in used else "" for name in TEXT_FIELDS}


@transaction.atomic
def entry_create(
    *, author: User, title: str, template: str, fields: dict[str, Any], behaviours: list[str] | None = None,
    lesson: Lesson | None = None, prompt: Prompt | None = None, is_draft: bool = False, about: About | None = None,
) -> JournalEntry:
    """A new entry. `about` is what it is written about (reflections.about), already resolved for `author`: only
    a kind and id the author may see get this far."""
    entry = JournalEntry(
        author=author, title=title.strip(), template=template, lesson=lesson, prompt=prompt, is_draft=is_draft,
        about_kind=about.kind if about else "", about_id=about.pk if about else None,
        behaviours=[b for b in (behaviours or []) if b in Behaviour.values],
        **_clean_fields(template, fields, keep_all=is_draft),
    )
    entry.full_clean(exclude=["search_vector"])
    entry.save()
    _refresh_search(entry)
    if prompt is not None:
        deliveries_used(user=author, prompt=prompt)
    _lesson_reflected_if_saved(entry)
    return entry


def _lesson_reflected_if_saved(entry: JournalEntry) -> None:
    # A saved (not draft) entry about a lesson counts that lesson towards the author's CPD minutes.
    if entry.lesson is not None and not entry.is_draft:
        lesson_reflected(user=entry.author, lesson=entry.lesson)


@transaction.atomic
def entry_update(
    *, entry: JournalEntry, author: User, title: str, template: str, fields: dict[str, Any],
    behaviours: list[str] | None = None, is_draft: bool | None = None,
) -> JournalEntry:
    if entry.author_id != author.pk:
        raise PermissionDenied
    entry.title = title.strip()
    entry.template = template
    entry.behaviours = [b for b in (behaviours or []) if b in Behaviour.values]
    if is_draft is not None:
        # A shared entry stays published: a mentor must never find it turned back into a draft.
        entry.is_draft = is_draft and not entry.shares.exists()
    for name, value in _clean_fields(template, fields, keep_all=entry.is_draft).items():
        setattr(entry, name, value)
    entry.updated_at = timezone.now()
    entry.full_clean(exclude=["search_vector"])
    entry.save()
    _refresh_search(entry)
    _lesson_reflected_if_saved(entry)
    return entry


@transaction.atomic
def entry_autosave(
    *, author: User, entry: JournalEntry | None, title: str, template: str, fields: dict[str, Any],
    behaviours: list[str] | None = None, lesson: Lesson | None = None, prompt: Prompt | None = None,
    about: About | None = None,
) -> JournalEntry:
    """Save while the author types: creates a draft, or updates a draft or an entry nobody else can read.

    A shared entry is saved by its form only, so a mentor never reads a half-written change.
    """
    if entry is None:
        return entry_create(
            author=author, title=title, template=template, fields=fields, behaviours=behaviours, lesson=lesson,
            prompt=prompt, is_draft=True, about=about,
        )
    if not autosave_allowed(entry):
        raise ValidationError("A shared entry is saved when you press Save.")
    if not entry.is_draft and not title.strip():
        title = entry.title  # a saved entry keeps its title while the box is briefly empty
    return entry_update(entry=entry, author=author, title=title, template=template, fields=fields,
                        behaviours=behaviours)


def autosave_allowed(entry: JournalEntry) -> bool:
    return entry.is_draft or not entry.shares.exists()


@transaction.atomic
def entry_delete(*, entry: JournalEntry, author: User) -> None:
    """Really deletes: the entry, its shares, reads, comments, acknowledgements and notifications."""
    if entry.author_id != author.pk:
        raise PermissionDenied
    entry.delete()

