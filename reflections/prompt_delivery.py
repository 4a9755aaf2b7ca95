"""Delivering reflection prompts: find who is due, record deliveries once, choose prompts, send email.

Runs inside one organisation's schema (tenants.fan_out sends `reflections.prompts_dispatch` into every
active organisation each minute). One statement finds the due leaders and records their deliveries:
`INSERT … SELECT … ON CONFLICT (user_id, slot) DO NOTHING RETURNING`, so two dispatchers, a retried task or a
redelivered message can never record a slot twice. The due rule is reflections.rhythm's, written in SQL: a slot
missed while beat was down is recorded by the first dispatch after it returns (within rhythm.CATCH_UP across
midnight), still once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from courses.models import LessonProgress, ModuleCompletion
from people.models import User
from people.tokens import token_hash, token_new

from .models import Prompt, PromptDelivery
from .rhythm import CATCH_UP, DEFAULT_ANCHOR
from .selectors.prompts import module_themes, organisation_time_zone, prompt_defaults

RECENT_DELIVERIES = 10
# Signed stop links of earlier versions (readable, never expiring) are recognised only to say they have expired.
UNSUBSCRIBE_SALT = "reflections.prompts.unsubscribe"
# Longer than any prompt email stays in an inbox before someone decides they have had enough of them.
STOP_LINK_DAYS = 90
# How long past the task time limit a claim to send is kept before it counts as abandoned by a dead worker.
CLAIM_MARGIN = timedelta(minutes=5)

_DUE_SQL = """
WITH defaults AS (
    SELECT %(d_frequency)s::text AS frequency, %(d_weekday)s::int AS weekday,
           %(d_time)s::time AS local_time, %(d_channel)s::text AS channel
), candidates AS (
    SELECT u.id AS user_id,
           COALESCE(s.frequency, d.frequency) AS frequency,
           COALESCE(s.weekday, d.weekday) AS weekday,
           COALESCE(s.local_time, d.local_time) AS local_time,
           COALESCE(NULLIF(s.time_zone, ''), %(org_tz)s) AS tz,
           -- Someone without an email address gets prompts in Heartwood only, whatever was chosen.
           CASE WHEN COALESCE(u.email, '') = '' THEN 'app' ELSE COALESCE(s.channel, d.channel) END AS channel,
           s.paused_until,
           COALESCE(s.anchor, %(default_anchor)s::date) AS anchor
    FROM people_user u
    CROSS JOIN defaults d
    LEFT JOIN reflections_promptschedule s ON s.user_id = u.id
    WHERE u.is_active AND 'leader' = ANY(u.roles)
), days AS (
    -- Today's local date, and the local date CATCH_UP ago: a slot missed across midnight is still found.
    SELECT DISTINCT c.*, d.day, (%(now)s::timestamptz AT TIME ZONE c.tz)::date AS today
    FROM candidates c
    CROSS JOIN LATERAL (VALUES ((%(now)s::timestamptz AT TIME ZONE c.tz)::date),
                               (((%(now)s::timestamptz - %(catch_up)s::interval) AT TIME ZONE c.tz)::date)) AS d(day)
), slots AS (
    SELECT x.user_id, x.channel, x.day, x.today, ((x.day + x.local_time) AT TIME ZONE x.tz) AS slot
    FROM days x
    WHERE x.frequency IN ('weekly', 'fortnightly')
      AND EXTRACT(ISODOW FROM x.day::timestamp)::int - 1 = x.weekday
      AND (x.paused_until IS NULL OR x.day >= x.paused_until)
      AND (x.frequency = 'weekly'
           OR ((date_trunc('week', x.day::timestamp)::date
                - date_trunc('week', x.anchor::timestamp)::date) / 7) %% 2 = 0)
), due AS (
    SELECT s.user_id, s.channel, s.slot FROM slots s
    WHERE s.slot <= %(now)s AND (s.day = s.today OR s.slot > %(now)s::timestamptz - %(catch_up)s::interval)
)
INSERT INTO reflections_promptdelivery (user_id, slot, channel, email_status, email_attempts, created_at)
SELECT due.user_id, due.slot, due.channel,
       CASE WHEN due.channel IN ('email', 'both') THEN 'pending' ELSE 'none' END, 0, %(now)s
FROM due
ON CONFLICT (user_id, slot) DO NOTHING
RETURNING id, user_id
"""


def deliveries_record(*, now: datetime | None = None, time_zone: str | None = None) -> list[tuple[int, int]]:
    """Record a delivery for every leader whose slot is due; returns (delivery id, user id) of new ones."""
    now = now or timezone.now()
    org_tz = time_zone or organisation_time_zone()
    defaults = prompt_defaults()
    params = {
        "d_frequency": defaults.frequency, "d_weekday": defaults.weekday, "d_time": defaults.local_time,
        "d_channel": defaults.channel, "org_tz": org_tz, "now": now, "default_anchor": DEFAULT_ANCHOR,
        "catch_up": CATCH_UP,
    }
    with connection.cursor() as cursor:
        cursor.execute(_DUE_SQL, params)
        return [(row[0], row[1]) for row in cursor.fetchall()]


def current_themes_for(user_ids: list[int]) -> dict[int, str | None]:
    """The theme each learner is working on now, in three queries for any number of learners: their current
    module's behaviour, or the module itself when it has none (psychological-safety, relational-supervision …).

    The same rule as courses.selectors.current_module_for: the unfinished module they last opened a lesson
    in, else the first unfinished module in the organisation's order.
    """
    modules = [(pk, theme) for pk, theme, _ in module_themes()]
    theme_of = dict(modules)
    finished: dict[int, set[int]] = defaultdict(set)
    for user_id, module_id in ModuleCompletion.objects.filter(user_id__in=user_ids).values_list("user_id", "module_id"):
        finished[user_id].add(module_id)
    last_seen: dict[int, list[int]] = defaultdict(list)
    for user_id, module_id in (
        LessonProgress.objects.filter(user_id__in=user_ids).order_by("user_id", "-last_seen_at")
        .values_list("user_id", "module_id")
    ):
        last_seen[user_id].append(module_id)
    result: dict[int, str | None] = {}
    for user_id in user_ids:
        recent = [m for m in last_seen[user_id] if m in theme_of and m not in finished[user_id]]
        unfinished = [m for m, _ in modules if m not in finished[user_id]]
        module_id = recent[0] if recent else (unfinished[0] if unfinished else None)
        result[user_id] = theme_of.get(module_id) if module_id else None
    return result


def _recent_prompts(user_ids: list[int]) -> dict[int, set[int]]:
    recent: dict[int, set[int]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT user_id, prompt_id FROM (
                SELECT user_id, prompt_id,
                       row_number() OVER (PARTITION BY user_id ORDER BY slot DESC) AS n
                FROM reflections_promptdelivery
                WHERE user_id = ANY(%s) AND prompt_id IS NOT NULL
            ) ranked WHERE n <= %s
            """,
            [user_ids, RECENT_DELIVERIES],
        )
        for user_id, prompt_id in cursor.fetchall():
            recent[user_id].add(prompt_id)
    return recent


def _pick(candidates: list[int], avoid: set[int], seed: str) -> int | None:
    fresh = [pk for pk in candidates if pk not in avoid] or candidates
    if not fresh:
        return None
    digest = int(hashlib.sha256(seed.encode()).hexdigest()[:12], 16)
    return fresh[digest % len(fresh)]


def prompts_choose(new: Iterable[tuple[int, int]]) -> int:
    """Give each new delivery a prompt: from the theme the leader is learning now, not one of their last
    ten. A fixed number of queries however many deliveries there are."""
    new = list(new)
    if not new:
        return 0
    user_ids = sorted({user_id for _, user_id in new})
    by_theme: dict[str, list[int]] = defaultdict(list)
    every: list[int] = []
    for pk, theme in Prompt.objects.filter(is_active=True).order_by("id").values_list("id", "theme"):
        by_theme[theme].append(pk)
        every.append(pk)
    themes = current_themes_for(user_ids)
    recent = _recent_prompts(user_ids)
    updates: list[tuple[int, int]] = []
    for delivery_id, user_id in new:
        theme = themes.get(user_id)
        candidates = by_theme.get(theme, []) if theme else []
        # Not learning a behaviour module right now: any theme, weighted by nothing but variety.
        chosen = _pick(candidates or every, recent[user_id], f"{delivery_id}:{user_id}")
        if chosen:
            recent[user_id].add(chosen)
            updates.append((delivery_id, chosen))
    if updates:
        # One statement for the whole batch (Django's bulk_update builds a CASE per row: ten times slower here).
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE reflections_promptdelivery d SET prompt_id = u.prompt_id"
                " FROM unnest(%s::bigint[], %s::bigint[]) AS u(id, prompt_id) WHERE d.id = u.id",
                [[pk for pk, _ in updates], [prompt for _, prompt in updates]],
            )
    return len(updates)


def stop_token_mint(delivery: PromptDelivery) -> str:
    """A new stop link token for this delivery's email; its hash goes on the delivery (saved by the caller)."""
    token, delivery.stop_token_hash = token_new()
    return token


def stop_token_save(delivery: PromptDelivery) -> str:
    """Mint and save a stop link token for one delivery (the batch sender saves many in one statement)."""
    token = stop_token_mint(delivery)
    delivery.save(update_fields=["stop_token_hash"])
    return token


@dataclass(frozen=True)
class StopLink:
    person: User | None
    expired: bool = False


def stop_link_open(token: str, *, now: datetime | None = None) -> StopLink:
    """Whose prompts a stop link stops, in this organisation; expired links say so, unknown ones find nobody.

    Only the hash is looked up, in this organisation's schema: a link of another organisation finds nothing.
    """
    now = now or timezone.now()
    delivery = PromptDelivery.objects.filter(stop_token_hash=token_hash(token)).select_related("user").first()
    if delivery is None:
        try:
            # Links sent before stop links expired were signed, not stored: they have expired now.
            signing.loads(token, salt=UNSUBSCRIBE_SALT)
        except signing.BadSignature:
            return StopLink(person=None)
        return StopLink(person=None, expired=True)
    if delivery.created_at < now - timedelta(days=STOP_LINK_DAYS):
        return StopLink(person=None, expired=True)
    return StopLink(person=delivery.user if delivery.user.is_active else None)


@transaction.atomic
def _claim_emails(delivery_ids: list[int]) -> list[PromptDelivery]:
    # Claimed (status "sending", emailed_at = when claimed) and committed before sending: a retried or redelivered
    # task finds nothing to send. A worker killed after the claim leaves it behind; claims_abandoned_release hands
    # it back once no live worker can still hold it.
    claimed = list(
        PromptDelivery.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=delivery_ids, email_status=PromptDelivery.EmailStatus.PENDING)
        .select_related("user", "prompt")
    )
    # Nobody without an email address is ever sent one (their email address went, or they never had one).
    no_address = [d.pk for d in claimed if not d.user.email]
    if no_address:
        PromptDelivery.objects.filter(pk__in=no_address).update(email_status=PromptDelivery.EmailStatus.NONE)
        claimed = [d for d in claimed if d.user.email]
    PromptDelivery.objects.filter(pk__in=[d.pk for d in claimed]).update(
        email_status=PromptDelivery.EmailStatus.SENDING, email_attempts=F("email_attempts") + 1,
        emailed_at=timezone.now(),
    )
    return claimed


def claims_abandoned_release(*, now: datetime | None = None) -> int:
    """Hand claims of workers that died mid-send (SIGKILL, out of memory, the machine gone) back to pending.

    A worker's task is killed at CELERY_TASK_TIME_LIMIT, so a claim older than that plus a margin has nobody
    sending it. Each email is marked sent as soon as the mail server takes it, so a released claim is one that
    never went (or, at worst, the single email a kill cut off between the server's answer and the mark).
    """
    now = now or timezone.now()
    abandoned_before = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) - CLAIM_MARGIN
    return PromptDelivery.objects.filter(
        email_status=PromptDelivery.EmailStatus.SENDING, emailed_at__lt=abandoned_before
    ).update(email_status=PromptDelivery.EmailStatus.PENDING, emailed_at=None)


def prompt_email(delivery: PromptDelivery, base_url: str) -> EmailMultiAlternatives:
    """The prompt, a link to write about it, a link to change the rhythm and a one-click stop. No journal text."""
    context = {
        "delivery": delivery, "prompt": delivery.prompt, "user": delivery.user,
        "write_url": f"{base_url}/journal/prompts/cards/{delivery.pk}/write/",
        "settings_url": f"{base_url}/journal/prompts/",
        "unsubscribe_url": f"{base_url}/journal/prompts/stop/{stop_token_mint(delivery)}/",
        "organisation": connection.tenant,
    }
    message = EmailMultiAlternatives(
        subject="A question to reflect on this week",
        body=render_to_string("reflections/email/prompt.txt", context),
        to=[delivery.user.email],
        headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string("reflections/email/prompt.html", context), "text/html")
    return message


def prompt_emails_send(*, delivery_ids: list[int], base_url: str) -> tuple[int, int]:
    """Send the prompt emails of these deliveries; returns (sent, failed). Failed ones go back to pending."""
    claimed = _claim_emails(delivery_ids)
    if not claimed:
        return 0, 0
    messages = [(delivery.pk, prompt_email(delivery, base_url)) for delivery in claimed]
    # Every stop link is stored before any email leaves, so a click on the first never finds nothing.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reflections_promptdelivery d SET stop_token_hash = u.hash"
            " FROM unnest(%s::bigint[], %s::text[]) AS u(id, hash) WHERE d.id = u.id",
            [[d.pk for d in claimed], [d.stop_token_hash for d in claimed]],
        )
    sent_ids, failed_ids = [], []
    with get_connection() as mail:
        for pk, message in messages:
            try:
                mail.send_messages([message])
            except Exception:  # one bad address must not stop the batch; it is retried later
                failed_ids.append(pk)
                continue
            # Marked at once, not after the batch: a worker killed later in the batch leaves none of these to resend.
            PromptDelivery.objects.filter(pk=pk).update(
                email_status=PromptDelivery.EmailStatus.SENT, emailed_at=timezone.now()
            )
            sent_ids.append(pk)
    PromptDelivery.objects.filter(pk__in=failed_ids, email_attempts__lt=5).update(
        email_status=PromptDelivery.EmailStatus.PENDING, emailed_at=None
    )
    PromptDelivery.objects.filter(pk__in=failed_ids, email_attempts__gte=5).update(
        email_status=PromptDelivery.EmailStatus.FAILED
    )
    return len(sent_ids), len(failed_ids)
