"""Prompt rhythms, prompt cards and digests: what each person's prompts follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from courses.selectors import visible_modules
from people.models import User

from ..models import (
    DigestFrequency,
    MentorDigest,
    Prompt,
    PromptChannel,
    PromptDefaults,
    PromptDelivery,
    PromptSchedule,
)
from ..rhythm import DEFAULT_ANCHOR, Rhythm, next_slot


def prompts_active() -> QuerySet[Prompt]:
    return Prompt.objects.filter(is_active=True).order_by("id")  # the order of the shipped file


def module_themes() -> list[tuple[int, str, str]]:
    """(module id, theme, module title) in the organisation's order. A module's prompts are themed by its behaviour
    (attending …), or by the module itself when it has none (relational-supervision …)."""
    return [
        (pk, behaviour or slug, title)
        for pk, behaviour, slug, title in visible_modules().values_list("id", "behaviour", "slug", "title")
    ]


def prompt_library() -> list[tuple[str, list[Prompt]]]:
    """Every active prompt, grouped under the module it belongs to, in the organisation's order of modules (an
    organisation's own themes after them). Two queries."""
    titles: dict[str, str] = {}
    for _, theme, title in module_themes():
        titles.setdefault(theme, title)
    order = {theme: position for position, theme in enumerate(titles)}
    groups: dict[str, list[Prompt]] = {}
    for prompt in prompts_active():
        groups.setdefault(prompt.theme, []).append(prompt)
    ordered = sorted(groups.items(), key=lambda item: order.get(item[0], len(order)))
    return [(titles.get(theme) or theme.replace("-", " ").capitalize(), items) for theme, items in ordered]


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
        None, DEFAULT_ANCHOR, own=False,
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

