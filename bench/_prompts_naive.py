"""The naive baseline of bench/prompts.py: one Celery task per leader (a helper: `make bench` skips "_" files).

How prompt delivery is commonly written first. A dispatcher per organisation queues one task per leader; each
task loads the leader, their rhythm (or the organisation's defaults), works out in Python whether they are due
(reflections.rhythm, the same rules as Heartwood's SQL), `get_or_create`s the delivery (so it is still exactly
once: the same unique constraint), finds the leader's current behaviour and recent prompts with its own queries
(courses.selectors.current_behaviour_for), picks a prompt, renders the same two templates as Heartwood's email and
sends one email through its own mail connection, then marks the delivery sent. The worker imports this module
through `--include bench._prompts_naive`.
"""

from __future__ import annotations

import hashlib

from celery import shared_task
from django.db import connection
from django.utils import timezone

from courses.selectors import current_behaviour_for
from people.models import User
from reflections.models import Prompt, PromptChannel, PromptDefaults, PromptDelivery, PromptSchedule
from reflections.prompt_delivery import RECENT_DELIVERIES, prompt_email
from reflections.prompt_tasks import base_url
from reflections.rhythm import Rhythm, due_slot


@shared_task(name="bench.naive_dispatch")
def naive_dispatch() -> int:
    """One task per active leader of this organisation."""
    leader_ids = list(User.objects.filter(is_active=True, roles__contains=["leader"]).values_list("id", flat=True))
    for user_id in leader_ids:
        naive_prompt.delay(user_id)
    return len(leader_ids)


@shared_task(name="bench.naive_prompt")
def naive_prompt(user_id: int) -> bool:
    now = timezone.now()
    user = User.objects.get(pk=user_id)
    schedule = PromptSchedule.objects.filter(user=user).first()
    if schedule is not None:
        rhythm = Rhythm(schedule.frequency, schedule.weekday, schedule.local_time,
                        schedule.time_zone or connection.tenant.time_zone, schedule.anchor, schedule.paused_until)
        channel = schedule.channel
    else:
        defaults = PromptDefaults.objects.order_by("id").first() or PromptDefaults()
        rhythm = Rhythm(defaults.frequency, defaults.weekday, defaults.local_time, connection.tenant.time_zone,
                        timezone.localdate(now))
        channel = defaults.channel
    slot = due_slot(rhythm, now)
    if slot is None:
        return False
    by_email = channel in (PromptChannel.EMAIL, PromptChannel.BOTH)
    delivery, created = PromptDelivery.objects.get_or_create(
        user=user, slot=slot,
        defaults={"channel": channel, "email_status": "pending" if by_email else "none"},
    )
    if not created:
        return False
    theme = current_behaviour_for(user)
    recent = set(
        PromptDelivery.objects.filter(user=user, prompt__isnull=False).order_by("-slot")
        .values_list("prompt_id", flat=True)[:RECENT_DELIVERIES]
    )
    candidates = list(Prompt.objects.filter(is_active=True, theme=theme).values_list("id", flat=True)) if theme else []
    if not candidates:
        candidates = list(Prompt.objects.filter(is_active=True).values_list("id", flat=True))
    fresh = [pk for pk in candidates if pk not in recent] or candidates
    if fresh:
        digest = int(hashlib.sha256(f"{delivery.pk}:{user.pk}".encode()).hexdigest()[:12], 16)
        delivery.prompt = Prompt.objects.get(pk=fresh[digest % len(fresh)])
        delivery.save(update_fields=["prompt"])
    if not by_email:
        return True
    delivery.user = user
    prompt_email(delivery, base_url()).send()  # the same email Heartwood sends, one connection per email
    delivery.email_status = PromptDelivery.EmailStatus.SENT
    delivery.emailed_at = timezone.now()
    delivery.email_attempts = 1
    delivery.save(update_fields=["email_status", "emailed_at", "email_attempts", "stop_token_hash"])
    return True
