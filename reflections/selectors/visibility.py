"""Who may read which entry. `entries_visible_to(user)` is the rule: your own entries, plus entries shared with
you by someone you are a current mentor of (the pairing is checked on every call, so when it ends access ends on
the next request). Organisation admins and platform operators get nothing more than anyone else."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404

from people.models import User
from people.selectors import current_pairings

from ..models import (
    EntryShare,
    JournalEntry,
)


def real_user(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def shares_in_force() -> QuerySet[EntryShare]:
    """Shares made under a pairing that is current today. When a pairing ends, everything shared under it goes
    dark; pairing the same two people again later does not bring it back (the author shares again)."""
    pairing = current_pairings().filter(
        leader_id=OuterRef("entry__author_id"), mentor_id=OuterRef("mentor_id"),
        starts_on__lte=OuterRef("shared_on"),
    )
    return EntryShare.objects.annotate(shared_on=TruncDate("shared_at")).filter(Exists(pairing))


def entries_visible_to(user: User) -> QuerySet[JournalEntry]:
    if not real_user(user):
        return JournalEntry.objects.none()
    shared = shares_in_force().filter(mentor=user).values("entry_id")
    return JournalEntry.objects.filter(Q(author=user) | Q(pk__in=shared, is_draft=False))


def own_entries(user: User) -> QuerySet[JournalEntry]:
    if not real_user(user):
        return JournalEntry.objects.none()
    return JournalEntry.objects.filter(author=user)


def access_entry_by_id(*, user: User, pk: int) -> JournalEntry:
    """The entry, if `user` may read it; one 404 for missing and forbidden alike."""
    entry = entry_for_viewer(user=user, pk=pk)
    if entry is None:
        raise Http404("No such entry")
    return entry


def access_own_entry_by_id(*, user: User, pk: int | None, drafts_only: bool = False) -> JournalEntry:
    """An entry `user` wrote (a draft, with `drafts_only`); one 404 for missing and someone else's alike."""
    entries = own_entries(user).filter(is_draft=True) if drafts_only else own_entries(user)
    entry = entries.filter(pk=pk).first() if pk else None
    if entry is None:
        raise Http404("No such entry")
    return entry


def entry_for_viewer(*, user: User, pk: int) -> JournalEntry | None:
    return entries_visible_to(user).select_related("author", "lesson", "prompt").filter(pk=pk).first()

