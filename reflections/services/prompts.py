"""The prompt library, each person's rhythm, the organisation's default and mentors' digests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from courses.models import Lesson, Source
from people.models import User

from ..models import (
    MentorDigest,
    Prompt,
    PromptChannel,
    PromptDefaults,
    PromptDelivery,
    PromptFrequency,
    PromptSchedule,
)
from ..selectors.prompts import rhythm_for

PROMPTS_FILE = Path(__file__).resolve().parent.parent / "content" / "prompts.yaml"


@transaction.atomic
def prompts_load(*, path: Path = PROMPTS_FILE) -> int:
    """Upsert the shipped prompts by slug from the YAML file; returns how many it read.

    Accepts `{prompts: [...]}` or a bare list. Shipped prompts no longer in the file are switched off (slugs are
    never reused); prompts an organisation wrote are never touched. Only rows that change are written: every
    deploy loads them into the template schema, and rewriting all of them cost about a second each time.
    """
    if not path.exists():
        return 0
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items = data.get("prompts", []) if isinstance(data, dict) else data
    wanted: dict[str, dict[str, Any]] = {}
    for item in items or []:
        if not isinstance(item, dict) or not item.get("slug") or not item.get("text"):
            continue
        wanted[str(item["slug"]).strip()] = {
            "theme": str(item.get("theme") or "").strip(), "text": str(item["text"]).strip(),
        }
    wanted.update(_lesson_questions())
    fields = ("theme", "text", "source", "is_active")
    existing = {prompt.slug: prompt for prompt in Prompt.objects.filter(slug__in=wanted).only("slug", *fields)}
    for slug, values in wanted.items():
        values = {**values, "source": Source.SHIPPED, "is_active": True}
        prompt = existing.get(slug)
        if prompt is None:
            Prompt.objects.create(slug=slug, **values)
        elif any(getattr(prompt, name) != value for name, value in values.items()):
            Prompt.objects.filter(pk=prompt.pk).update(**values, updated_at=timezone.now())
    if wanted:
        Prompt.objects.filter(source=Source.SHIPPED, is_active=True).exclude(slug__in=wanted).update(is_active=False)
    return len(wanted)


def _lesson_questions() -> dict[str, dict[str, Any]]:
    """Every shipped lesson's reflection question joins the library, themed by its module (its behaviour, or
    the module itself, e.g. psychological-safety), so a prompt can follow exactly what someone is learning."""
    return {
        f"lesson-{lesson.module.slug}-{lesson.slug}"[:100]: {
            "theme": lesson.module.behaviour or lesson.module.slug, "text": lesson.reflection_question.strip(),
        }
        for lesson in Lesson.objects.filter(source=Source.SHIPPED).exclude(reflection_question="")
        .select_related("module")
    }


def rhythm_update(
    *, user: User, frequency: str, weekday: int, local_time: Any, time_zone: str, channel: str,
    paused_until: Any = None,
) -> PromptSchedule:
    """Save a person's own prompt rhythm. Changing it never sends anything at once: the next slot does.
    Someone without an email address gets prompts in Heartwood only, whatever was asked for."""
    if not user.has_email:
        channel = PromptChannel.APP
    schedule, created = PromptSchedule.objects.get_or_create(user=user)
    if created or schedule.frequency != frequency or schedule.weekday != weekday:
        schedule.anchor = timezone.localdate()  # fortnightly counts from the week you chose it
    schedule.frequency, schedule.weekday, schedule.local_time = frequency, weekday, local_time
    schedule.time_zone, schedule.channel, schedule.paused_until = time_zone, channel, paused_until
    schedule.save()
    return schedule


def prompts_stop(*, user: User) -> PromptSchedule:
    """Switch prompts off (the one-click link in every prompt email)."""
    current = rhythm_for(user)
    return rhythm_update(
        user=user, frequency=PromptFrequency.OFF, weekday=current.weekday, local_time=current.local_time,
        time_zone=current.time_zone if current.own else "", channel=current.channel,
    )


def prompt_defaults_update(*, frequency: str, weekday: int, local_time: Any, channel: str) -> PromptDefaults:
    """The organisation's default for everyone who has not chosen their own rhythm."""
    defaults = PromptDefaults.objects.order_by("id").first() or PromptDefaults()
    defaults.frequency, defaults.weekday, defaults.local_time, defaults.channel = (
        frequency, weekday, local_time, channel
    )
    defaults.save()
    return defaults


def delivery_dismiss(*, user: User, delivery_id: int) -> bool:
    """Set an in-app prompt aside (or mark it used once an entry is written from it)."""
    return bool(
        PromptDelivery.objects.filter(pk=delivery_id, user=user, dismissed_at__isnull=True)
        .update(dismissed_at=timezone.now())
    )


def deliveries_used(*, user: User, prompt: Prompt) -> int:
    """An entry was written from `prompt`: its cards have done their job and go."""
    return PromptDelivery.objects.filter(user=user, prompt=prompt, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now()
    )


def digest_update(*, mentor: User, frequency: str) -> MentorDigest:
    digest, _ = MentorDigest.objects.update_or_create(mentor=mentor, defaults={"frequency": frequency})
    return digest

