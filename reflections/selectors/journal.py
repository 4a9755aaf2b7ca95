"""The author's own journal: listing, filtering and searching their entries."""

from __future__ import annotations

from datetime import date

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet

from people.models import User

from ..models import (
    EntryShare,
    JournalEntry,
)
from .visibility import own_entries


def journal_list(
    *, user: User, query: str = "", behaviour: str = "", template: str = "", shared: str = "",
    date_from: date | None = None, date_to: date | None = None,
) -> QuerySet[JournalEntry]:
    """The author's own entries, filtered and searched, newest first (best match first when searching)."""
    entries = own_entries(user).annotate(
        share_count=Count("shares", distinct=True),
    ).select_related("prompt", "lesson").defer(*heavy_fields())
    if behaviour:
        entries = entries.filter(behaviours__contains=[behaviour])
    if template:
        entries = entries.filter(template=template)
    if shared == "yes":
        entries = entries.filter(Exists(EntryShare.objects.filter(entry=OuterRef("pk"))))
    elif shared == "no":
        entries = entries.exclude(Exists(EntryShare.objects.filter(entry=OuterRef("pk"))))
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    if query.strip():
        search = SearchQuery(query.strip(), search_type="websearch", config="english")
        return entries.filter(search_vector=search).annotate(rank=SearchRank(F("search_vector"), search)).order_by(
            "-rank", "-created_at", "-id"
        )
    return entries.order_by("-created_at", "-id")


def own_entries_about(user: User, *, kind: str, pk: int) -> QuerySet[JournalEntry]:
    """The author's own entries about one thing of a higher app (reflections.about), newest first: for that
    app's page to say "you reflected on this", to its author only. Never anyone else's entries."""
    return own_entries(user).filter(about_kind=kind, about_id=pk).defer(*heavy_fields()).order_by("-created_at", "-id")


def heavy_fields() -> list[str]:
    return ["search_vector", "earlier_conversation", *_text_fields()]


def _text_fields() -> list[str]:
    from ..models import TEXT_FIELDS

    return TEXT_FIELDS


def prefetch_share_mentors() -> Prefetch:
    return Prefetch("shares", queryset=EntryShare.objects.select_related("mentor").order_by("shared_at"))

