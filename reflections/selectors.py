"""The only way to read journal content. Run inside the organisation's schema.

`entries_visible_to(user)` is the rule: your own entries, plus entries shared with you by someone you are a
current mentor of (the pairing is checked on every call, so when it ends access ends on the next request).
Organisation admins and platform operators get nothing more than anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from people.models import User
from people.selectors import current_mentors_of, current_pairings

from .models import (
    Acknowledgement,
    Comment,
    DigestFrequency,
    EntryRead,
    EntryShare,
    JournalEntry,
    MentorDigest,
    Notification,
    Prompt,
    PromptChannel,
    PromptDefaults,
    PromptDelivery,
    PromptSchedule,
)
from .rhythm import Rhythm, next_slot


def _real_user(user: Any) -> bool:
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
    if not _real_user(user):
        return JournalEntry.objects.none()
    shared = shares_in_force().filter(mentor=user).values("entry_id")
    return JournalEntry.objects.filter(Q(author=user) | Q(pk__in=shared, is_draft=False))


def own_entries(user: User) -> QuerySet[JournalEntry]:
    if not _real_user(user):
        return JournalEntry.objects.none()
    return JournalEntry.objects.filter(author=user)


def entries_shared_with(mentor: User) -> QuerySet[JournalEntry]:
    """Entries a mentor may read now (not their own)."""
    return entries_visible_to(mentor).exclude(author=mentor)


def journal_list(
    *, user: User, query: str = "", behaviour: str = "", template: str = "", shared: str = "",
    date_from: date | None = None, date_to: date | None = None,
) -> QuerySet[JournalEntry]:
    """The author's own entries, filtered and searched, newest first (best match first when searching)."""
    entries = own_entries(user).annotate(
        share_count=Count("shares", distinct=True),
    ).select_related("prompt", "lesson").defer(*_heavy_fields())
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


def _heavy_fields() -> list[str]:
    return ["search_vector", "earlier_conversation", *_text_fields()]


def entry_current_mentors(entry: JournalEntry) -> QuerySet[User]:
    """Mentors the entry is shared with who are current mentors of its author."""
    return current_mentors_of(entry.author).filter(pk__in=shares_in_force().filter(entry=entry).values("mentor_id"))


def entry_for_viewer(*, user: User, pk: int) -> JournalEntry | None:
    return entries_visible_to(user).select_related("author", "lesson", "prompt").filter(pk=pk).first()


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


def entry_acknowledgements(entry: JournalEntry, viewer: User) -> QuerySet[Acknowledgement]:
    """The author sees every "I've read this"; a mentor only their own."""
    acks = Acknowledgement.objects.filter(entry=entry).select_related("mentor").order_by("created_at")
    return acks if viewer.pk == entry.author_id else acks.filter(mentor=viewer)


def comment_for_writer(*, user: User, pk: int) -> Comment | None:
    """A comment the user wrote, on an entry they can still see."""
    return Comment.objects.filter(
        pk=pk, author=user, entry__in=entries_visible_to(user)
    ).select_related("entry").first()


def mentoring_overview(mentor: User) -> list[tuple[User, list[JournalEntry]]]:
    """Each current mentee, with only the entries shared with this mentor, newest first, marked unread when the
    mentor has not opened them since they last changed (or since the mentee last wrote in the conversation).
    Two queries, whatever the number of mentees and entries."""
    if not _real_user(mentor):
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
        .defer(*_heavy_fields())
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


def _text_fields() -> list[str]:
    from .models import TEXT_FIELDS

    return TEXT_FIELDS


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor").order_by("-created_at", "-id")


def unread_notification_count(user: User) -> int:
    if not _real_user(user):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def prompts_active() -> QuerySet[Prompt]:
    return Prompt.objects.filter(is_active=True).order_by("id")  # the order of the shipped file


def prefetch_share_mentors() -> Prefetch:
    return Prefetch("shares", queryset=EntryShare.objects.select_related("mentor").order_by("shared_at"))


# --- Prompt rhythms, cards and digests


@dataclass
class RhythmView:
    frequency: str
    weekday: int
    local_time: time
    time_zone: str
    channel: str
    paused_until: date | None
    anchor: date
    own: bool  # False: following the organisation's default

    def as_rhythm(self) -> Rhythm:
        return Rhythm(self.frequency, self.weekday, self.local_time, self.time_zone, self.anchor, self.paused_until)


def organisation_time_zone() -> str:
    return getattr(connection.tenant, "time_zone", None) or settings.TIME_ZONE


def prompt_defaults() -> PromptDefaults:
    return PromptDefaults.objects.order_by("id").first() or PromptDefaults()


def rhythm_for(user: User) -> RhythmView:
    """The rhythm a person's prompts follow: their own, or the organisation's default."""
    schedule = PromptSchedule.objects.filter(user=user).first()
    if schedule is not None:
        return RhythmView(
            schedule.frequency, schedule.weekday, schedule.local_time,
            schedule.time_zone or organisation_time_zone(), schedule.channel, schedule.paused_until,
            schedule.anchor, own=True,
        )
    defaults = prompt_defaults()
    return RhythmView(
        defaults.frequency, defaults.weekday, defaults.local_time, organisation_time_zone(), defaults.channel,
        None, timezone.localdate(), own=False,
    )


def next_prompt_at(user: User) -> datetime | None:
    return next_slot(rhythm_for(user).as_rhythm(), timezone.now())


def prompt_cards_for(user: User, limit: int = 3) -> QuerySet[PromptDelivery]:
    """In-app prompts not yet used or set aside, newest first (a week at most: prompts do not pile up)."""
    return (
        PromptDelivery.objects.filter(
            user=user, channel__in=[PromptChannel.APP, PromptChannel.BOTH], dismissed_at__isnull=True,
            prompt__isnull=False, slot__gte=timezone.now() - timedelta(days=7),
        )
        .select_related("prompt").order_by("-slot")[:limit]
    )


def digest_frequency_for(mentor: User) -> str:
    record = MentorDigest.objects.filter(mentor=mentor).first()
    return record.frequency if record else DigestFrequency.DAILY
