"""What is new for a person since they last looked: replies and acknowledgements on their own entries, and, for
a mentor, entries shared with them and replies from their leaders that they have not opened yet.

One rule for "new": an unread notice (`Notification`) about an entry the person may still read. Opening the
entry reads its notices (`entry_seen`), and so does "mark all as read"; a notice about an entry that has gone out
of sight (unshared, or the pairing ended) is not news. The home page's sections and the count in the navigation
both come from here, so they always agree. A fixed number of queries, whatever the number of entries and notices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

from people.models import User

from ..models import Notification
from .journal import heavy_fields
from .visibility import entries_visible_to, real_user

# Enough notices to fill the home page's lists; an entry with more than this is still one line.
NEWS_ROWS = 200
NEWS_ENTRIES = 8


@dataclass
class NewsEvent:
    """What one person did on the entry since you last looked."""

    actor: User
    replies: int = 0
    acknowledged: bool = False
    shared: bool = False


@dataclass
class EntryNews:
    """One entry with something new on it, for the person looking."""

    entry_id: int
    title: str
    author: User
    latest_at: datetime
    events: list[NewsEvent] = field(default_factory=list)

    @property
    def is_new_share(self) -> bool:
        return any(event.shared for event in self.events)


@dataclass
class News:
    journal: list[EntryNews]  # the person's own entries
    mentoring: list[EntryNews]  # entries shared with them
    journal_count: int  # entries, not notices: the lists above may be cut short
    mentoring_count: int


@dataclass(frozen=True)
class NewsCounts:
    journal: int = 0
    mentoring: int = 0

    @property
    def total(self) -> int:
        return self.journal + self.mentoring


def _unread(user: User):
    return Notification.objects.filter(
        recipient=user, read_at__isnull=True, entry__in=entries_visible_to(user).values("pk")
    )


def news_counts(user: User) -> NewsCounts:
    """How many of the person's own entries, and how many entries shared with them, have something new. 1 query."""
    if not real_user(user):
        return NewsCounts()
    counts = _unread(user).aggregate(
        journal=Count("entry_id", distinct=True, filter=Q(entry__author=user)),
        mentoring=Count("entry_id", distinct=True, filter=~Q(entry__author=user)),
    )
    return NewsCounts(journal=counts["journal"], mentoring=counts["mentoring"])


def news_for(user: User) -> News:
    """The entries with something new, newest first, each with who did what. 2 queries."""
    counts = news_counts(user)
    if not counts.total:
        return News(journal=[], mentoring=[], journal_count=0, mentoring_count=0)
    rows = (
        _unread(user).select_related("actor", "entry__author")
        .defer(*[f"entry__{name}" for name in heavy_fields()])
        .order_by("-created_at", "-id")[:NEWS_ROWS]
    )
    by_entry: dict[int, EntryNews] = {}
    for row in rows:
        item = by_entry.get(row.entry_id)
        if item is None:
            item = by_entry[row.entry_id] = EntryNews(
                entry_id=row.entry_id, title=row.entry.display_title, author=row.entry.author,
                latest_at=row.created_at,
            )
        event = next((event for event in item.events if event.actor.pk == row.actor_id), None)
        if event is None:
            event = NewsEvent(actor=row.actor)
            item.events.append(event)
        if row.kind == Notification.Kind.COMMENT:
            event.replies += 1
        elif row.kind == Notification.Kind.ACKNOWLEDGED:
            event.acknowledged = True
        elif row.kind == Notification.Kind.SHARED:
            event.shared = True
    journal = [item for item in by_entry.values() if item.author.pk == user.pk]
    mentoring = [item for item in by_entry.values() if item.author.pk != user.pk]
    return News(
        journal=journal[:NEWS_ENTRIES], mentoring=mentoring[:NEWS_ENTRIES],
        journal_count=counts.journal, mentoring_count=counts.mentoring,
    )
