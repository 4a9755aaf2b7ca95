"""Mentor digests: one calm email a day or a week instead of one per event.

A digest names mentees and counts what is new (entries shared, replies written); it never carries a title or
a word of what anyone wrote. Daily digests go out once each local day from 08:00, weekly ones on Mondays.
Mentors who have not chosen get a daily digest. Claiming a digest is one conditional UPDATE, so two
dispatchers racing send it once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from people.links import current_organisation_url
from people.models import User

from .models import Comment, DigestFrequency, EntryShare
from .selectors.prompts import organisation_time_zone

SEND_FROM = time(8, 0)


def _window_start(frequency: str, local_now: datetime) -> datetime | None:
    """The start of the current digest period (local), or None when it is not yet time to send today."""
    if local_now.time() < SEND_FROM:
        return None
    today = local_now.replace(hour=SEND_FROM.hour, minute=SEND_FROM.minute, second=0, microsecond=0)
    if frequency == DigestFrequency.DAILY:
        return today
    if frequency == DigestFrequency.WEEKLY:
        return today - timedelta(days=local_now.weekday()) if local_now.weekday() == 0 else None
    return None


def _ensure_rows() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO reflections_mentordigest (mentor_id, frequency)
            SELECT u.id, %s FROM people_user u
            WHERE u.is_active AND 'mentor' = ANY(u.roles) AND COALESCE(u.email, '') <> ''
            ON CONFLICT (mentor_id) DO NOTHING
            """,
            [DigestFrequency.DAILY],
        )


def _claim(now: datetime, tz: ZoneInfo) -> dict[int, datetime | None]:
    """Mark due digests as sent now; returns {mentor id: the previous send time}."""
    local_now = now.astimezone(tz)
    claimed: dict[int, datetime | None] = {}
    for frequency in (DigestFrequency.DAILY, DigestFrequency.WEEKLY):
        start = _window_start(frequency, local_now)
        if start is None:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE reflections_mentordigest d SET last_sent_at = %s
                FROM reflections_mentordigest old
                WHERE d.id = old.id AND d.frequency = %s AND (d.last_sent_at IS NULL OR d.last_sent_at < %s)
                RETURNING d.mentor_id, old.last_sent_at
                """,
                [now, frequency, start],
            )
            claimed.update(dict(cursor.fetchall()))
    return claimed


def _news(claimed: dict[int, datetime | None], now: datetime) -> dict[int, dict[str, dict[str, int]]]:
    """{mentor id: {mentee name: {"shared": n, "replies": n}}} since each mentor's previous digest."""
    default_since = now - timedelta(days=7)
    oldest = min((since or default_since) for since in claimed.values())
    news: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: {"shared": 0, "replies": 0}))
    shares = (
        EntryShare.objects.filter(mentor_id__in=claimed, shared_at__gte=oldest)
        .values("mentor_id", "entry__author__full_name", "entry__author__email", "shared_at")
    )
    for row in shares:
        if row["shared_at"] >= (claimed[row["mentor_id"]] or default_since):
            name = row["entry__author__full_name"] or row["entry__author__email"]
            news[row["mentor_id"]][name]["shared"] += 1
    replies = (
        Comment.objects.filter(mentor_id__in=claimed, created_at__gte=oldest)
        .exclude(author_id=F("mentor_id"))  # the mentee's replies, not the mentor's own
        .values("mentor_id", "author__full_name", "author__email", "created_at")
    )
    for row in replies:
        if row["created_at"] >= (claimed[row["mentor_id"]] or default_since):
            name = row["author__full_name"] or row["author__email"]
            news[row["mentor_id"]][name]["replies"] += 1
    return news


def digests_due_send(*, now: datetime | None = None) -> int:
    """Send every digest that is due in this organisation; returns how many emails went out."""
    now = now or timezone.now()
    tz = ZoneInfo(organisation_time_zone())
    _ensure_rows()
    with transaction.atomic():
        claimed = _claim(now, tz)
    if not claimed:
        return 0
    news = _news(claimed, now)
    if not news:
        return 0
    mentors = User.objects.filter(pk__in=news, is_active=True).in_bulk()
    url = current_organisation_url("")
    messages = []
    for mentor_id, by_mentee in news.items():
        mentor = mentors.get(mentor_id)
        if mentor is None or not mentor.email:  # mentors without an email address see what's new in Heartwood
            continue
        context = {
            "mentor": mentor, "mentees": sorted(by_mentee.items()), "mentoring_url": f"{url}/mentoring/",
            "settings_url": f"{url}/mentoring/digest/", "organisation": connection.tenant,
        }
        message = EmailMultiAlternatives(
            subject="Heartwood: what's new from your mentees",
            body=render_to_string("reflections/email/digest.txt", context),
            to=[mentor.email],
        )
        message.attach_alternative(render_to_string("reflections/email/digest.html", context), "text/html")
        messages.append(message)
    with get_connection() as mail:
        return mail.send_messages(messages) or 0

