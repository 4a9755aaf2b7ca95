"""The conversations on an entry that a viewer may read."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from people.models import User

from ..models import (
    Acknowledgement,
    Comment,
    EntryShare,
    JournalEntry,
)
from .sharing import entry_current_mentors
from .visibility import entries_visible_to


def entry_conversation(entry: JournalEntry, viewer: User) -> QuerySet[Comment]:
    """The comments `viewer` may read: the author reads every conversation; a mentor only their own."""
    comments = Comment.objects.filter(entry=entry).select_related("author").order_by("created_at", "id")
    if viewer.pk == entry.author_id:
        return comments
    return comments.filter(mentor=viewer)


@dataclass
class Thread:
    mentor: User
    comments: list[Comment] = field(default_factory=list)
    can_reply: bool = True


def entry_threads(entry: JournalEntry, viewer: User, shares: list[EntryShare] | None = None) -> list[Thread]:
    """The conversations on an entry that `viewer` may read: one per mentor for the author (those it is shared
    with, and any earlier ones), just their own for a mentor. Three queries at most, whatever their length."""
    comments = list(entry_conversation(entry, viewer).select_related("mentor"))
    if viewer.pk != entry.author_id:
        return [Thread(mentor=viewer, comments=comments)]
    current = set(entry_current_mentors(entry).values_list("pk", flat=True))
    threads: dict[int, Thread] = {}
    for share in shares or []:
        threads[share.mentor_id] = Thread(mentor=share.mentor, can_reply=share.mentor_id in current)
    for comment in comments:
        if comment.mentor_id is None:
            continue
        thread = threads.setdefault(
            comment.mentor_id, Thread(mentor=comment.mentor, can_reply=comment.mentor_id in current)
        )
        thread.comments.append(comment)
    return list(threads.values())


def entry_acknowledgements(entry: JournalEntry, viewer: User) -> QuerySet[Acknowledgement]:
    """The author sees every "I've read this"; a mentor only their own."""
    acks = Acknowledgement.objects.filter(entry=entry).select_related("mentor").order_by("created_at")
    return acks if viewer.pk == entry.author_id else acks.filter(mentor=viewer)


def access_comment_by_id(*, user: User, pk: int) -> Comment:
    """A comment `user` wrote, on an entry they can still see; one 404 for missing and forbidden alike."""
    comment = comment_for_writer(user=user, pk=pk)
    if comment is None:
        raise Http404("No such comment")
    return comment


def comment_for_writer(*, user: User, pk: int) -> Comment | None:
    """A comment the user wrote, on an entry they can still see."""
    return Comment.objects.filter(
        pk=pk, author=user, entry__in=entries_visible_to(user)
    ).select_related("entry").first()

