"""When a leader's reflection prompt is due: pure functions over a rhythm, no database.

A rhythm is weekly or fortnightly, on a weekday, at a local time in a time zone, optionally paused until a
date. Slots are computed in local time and then converted, so a prompt set for 17:00 Europe/London arrives
at 17:00 on both sides of the clock change. A local time that the change makes missing (01:30 in London
when the clocks go forward) or repeated (01:30 when they go back) is read in standard time, as PostgreSQL
reads it, so the dispatcher's SQL and these functions always agree.

Missed slots (beat down, worker down): a slot is due from its moment until the end of that local day, and at least
CATCH_UP after its moment, so an outage across midnight (beat down from 23:15 to 00:15, a 23:30 slot) still
delivers it once; after that it is skipped rather than sent late. Slots are at least a week apart, so at most one
is ever due at a time and a long outage never sends several at once.
The dispatcher's SQL (reflections.prompt_delivery) implements the same rule; tests compare the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
OFF = "off"
# The organisation's default "every two weeks" counts from this Monday's week, the same for everyone following
# it and the same from one day to the next (a person's own rhythm counts from the week they chose it).
DEFAULT_ANCHOR = date(2024, 1, 1)
# How long after its moment a slot stays due when its local day has already ended.
CATCH_UP = timedelta(hours=3)


@dataclass(frozen=True)
class Rhythm:
    frequency: str  # off | weekly | fortnightly
    weekday: int  # Monday 0 … Sunday 6
    local_time: time
    time_zone: str
    anchor: date  # fortnightly slots fall in weeks an even number of weeks from the anchor's week
    paused_until: date | None = None  # no prompts on days before this date (local)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def is_slot_day(rhythm: Rhythm, day: date) -> bool:
    if rhythm.frequency == OFF or day.weekday() != rhythm.weekday:
        return False
    if rhythm.paused_until and day < rhythm.paused_until:
        return False
    if rhythm.frequency == FORTNIGHTLY:
        weeks = (_monday(day) - _monday(rhythm.anchor)).days // 7
        return weeks % 2 == 0
    return rhythm.frequency == WEEKLY


def slot_at(rhythm: Rhythm, day: date) -> datetime:
    """The moment (UTC) of the slot on local `day`."""
    first = datetime.combine(day, rhythm.local_time, tzinfo=ZoneInfo(rhythm.time_zone))
    second = first.replace(fold=1)
    # Both folds agree except in a missing or repeated hour; there, standard time has the smaller offset.
    chosen = second if second.utcoffset() < first.utcoffset() else first  # type: ignore[operator]
    return chosen.astimezone(UTC)


def due_slot(rhythm: Rhythm, now: datetime) -> datetime | None:
    """The slot to deliver now, if any: today's (local) slot once its moment has passed, or yesterday's while
    less than CATCH_UP has passed since it."""
    zone = ZoneInfo(rhythm.time_zone)
    today = now.astimezone(zone).date()
    for day in sorted({today, (now - CATCH_UP).astimezone(zone).date()}, reverse=True):
        if is_slot_day(rhythm, day):
            slot = slot_at(rhythm, day)
            if slot <= now and (day == today or now - slot < CATCH_UP):
                return slot
    return None


def next_slot(rhythm: Rhythm, after: datetime) -> datetime | None:
    """The first slot strictly after `after` (for "your next prompt arrives …")."""
    if rhythm.frequency == OFF:
        return None
    day = after.astimezone(ZoneInfo(rhythm.time_zone)).date()
    for offset in range(0, 7 * 2 + 1 + max(0, ((rhythm.paused_until or day) - day).days)):
        candidate = day + timedelta(days=offset)
        if is_slot_day(rhythm, candidate):
            slot = slot_at(rhythm, candidate)
            if slot > after:
                return slot
    return None
