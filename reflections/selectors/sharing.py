"""What a mentor sees: entries shared with them, and for the author, who reads what they shared."""

from __future__ import annotations

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from people.models import User
from people.selectors import current_mentors_of, current_pairings

from ..models import (
    Comment,
    EntryRead,
    EntryShare,
    JournalEntry,
)
from .journal import heavy_fields
from .visibility import entries_visible_to, real_user, shares_in_force


def entries_shared_with(mentor: User) -> QuerySet[JournalEntry]:
    """Entries a mentor may read now (not their own)."""
    return entries_visible_to(mentor).exclude(author=mentor)


def entry_current_mentors(entry: JournalEntry) -> QuerySet[User]:
    """Mentors the entry is shared with who are current mentors of its author."""
    return current_mentors_of(entry.author).filter(pk__in=shares_in_force().filter(entry=entry).values("mentor_id"))


def entry_shares_with_reads(entry: JournalEntry) -> list[EntryShare]:
    """For the author: each share, with when that mentor last read the entry and how many times."""
    reads = EntryRead.objects.filter(entry=entry, reader=OuterRef("mentor"))
    return list(
        EntryShare.objects.filter(entry=entry).select_related("mentor").annotate(
            last_read_at=Subquery(reads.order_by("-read_at").values("read_at")[:1]),
            read_count=Coalesce(Subquery(
                reads.order_by().values("reader").annotate(n=Count("id")).values("n")[:1]
            ), 0),
        ).order_by("mentor__full_name", "mentor__email")
    )


def entry_reads(entry: JournalEntry, limit: int = 50) -> QuerySet[EntryRead]:
    return EntryRead.objects.filter(entry=entry).select_related("reader").order_by("-read_at")[:limit]


def mentoring_overview(mentor: User) -> list[tuple[User, list[JournalEntry]]]:
    """Each current mentee, with only the entries shared with this mentor, newest first, marked unread when the
    mentor has not opened them since they last changed (or since the mentee last wrote in the conversation).
    Two queries, whatever the number of mentees and entries."""
    if not real_user(mentor):
        return []
    mentees = list(User.objects.filter(pk__in=current_pairings().filter(mentor=mentor).values("leader_id"))
                   .order_by("full_name", "email"))
    last_author_comment = Comment.objects.filter(
        entry=OuterRef("pk"), author=OuterRef("author"), mentor=mentor
    ).values(
        "entry").annotate(at=Max("created_at")).values("at")[:1]
    last_read = EntryRead.objects.filter(entry=OuterRef("pk"), reader=mentor).order_by("-read_at").values(
        "read_at")[:1]
    share_at = EntryShare.objects.filter(entry=OuterRef("pk"), mentor=mentor).values("shared_at")[:1]
    entries = (
        entries_shared_with(mentor)
        .filter(author__in=mentees)
        .defer(*heavy_fields())
        .annotate(
            shared_at=Subquery(share_at),
            last_read_at=Subquery(last_read),
            changed_at=Greatest("updated_at", Subquery(share_at), Coalesce(Subquery(last_author_comment),
                                                                            F("updated_at"))),
            comment_count=Count("comments", filter=Q(comments__mentor=mentor), distinct=True),
        )
        .order_by("-created_at", "-id")
    )
    by_author: dict[int, list[JournalEntry]] = {m.pk: [] for m in mentees}
    for entry in entries:
        entry.unread = entry.last_read_at is None or entry.last_read_at < entry.changed_at
        by_author.setdefault(entry.author_id, []).append(entry)
    return [(mentee, by_author.get(mentee.pk, [])) for mentee in mentees]

