"""Due-time computation for reflection prompts: weekly, fortnightly, pause, time zones, clock changes."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from reflections.rhythm import CATCH_UP, FORTNIGHTLY, OFF, WEEKLY, Rhythm, due_slot, next_slot, slot_at

LONDON = "Europe/London"


def rhythm(**kw) -> Rhythm:
    base = dict(frequency=WEEKLY, weekday=3, local_time=time(17, 0), time_zone=LONDON, anchor=date(2026, 1, 5))
    base.update(kw)
    return Rhythm(**base)


def test_17_00_london_is_17_00_local_on_both_sides_of_the_clock_change():
    # Clocks go back on Sunday 25 October 2026 (BST → GMT); a Sunday rhythm either side.
    r = rhythm(weekday=6)
    before, after = slot_at(r, date(2026, 10, 18)), slot_at(r, date(2026, 11, 1))
    assert before == datetime(2026, 10, 18, 16, 0, tzinfo=UTC)  # 17:00 BST
    assert after == datetime(2026, 11, 1, 17, 0, tzinfo=UTC)  # 17:00 GMT
    spring = slot_at(r, date(2026, 3, 29))  # clocks go forward that morning
    assert spring == datetime(2026, 3, 29, 16, 0, tzinfo=UTC)


def test_time_zones_other_than_london():
    r = rhythm(weekday=0, local_time=time(9, 30), time_zone="Asia/Kolkata")
    assert slot_at(r, date(2026, 11, 30)) == datetime(2026, 11, 30, 4, 0, tzinfo=UTC)


def test_weekly_is_due_from_its_moment_until_the_end_of_that_local_day():
    r = rhythm()  # Thursdays 17:00 London
    thursday = date(2026, 11, 26)
    assert due_slot(r, datetime(2026, 11, 26, 16, 59, tzinfo=UTC)) is None
    assert due_slot(r, datetime(2026, 11, 26, 17, 0, tzinfo=UTC)) == slot_at(r, thursday)
    assert due_slot(r, datetime(2026, 11, 26, 23, 59, tzinfo=UTC)) == slot_at(r, thursday)
    # Beat was down all evening: next morning the missed slot is skipped, not delivered late.
    assert due_slot(r, datetime(2026, 11, 27, 0, 1, tzinfo=UTC)) is None


def test_a_late_evening_slot_missed_across_midnight_is_still_due_for_the_catch_up_window():
    r = rhythm(local_time=time(23, 30))  # Thursdays 23:30 London; beat down from 23:15 to 00:15
    slot = slot_at(r, date(2026, 11, 26))
    assert due_slot(r, datetime(2026, 11, 27, 0, 16, tzinfo=UTC)) == slot
    assert due_slot(r, slot + CATCH_UP - timedelta(seconds=1)) == slot
    assert due_slot(r, slot + CATCH_UP) is None


def test_fortnightly_alternates_weeks_from_the_anchor():
    r = rhythm(frequency=FORTNIGHTLY, weekday=0, anchor=date(2026, 11, 2))
    assert due_slot(r, datetime(2026, 11, 2, 18, 0, tzinfo=UTC)) is not None
    assert due_slot(r, datetime(2026, 11, 9, 18, 0, tzinfo=UTC)) is None
    assert due_slot(r, datetime(2026, 11, 16, 18, 0, tzinfo=UTC)) is not None


def test_pause_until_a_date():
    r = rhythm(paused_until=date(2026, 12, 4))
    assert due_slot(r, datetime(2026, 11, 26, 18, 0, tzinfo=UTC)) is None
    assert due_slot(r, datetime(2026, 12, 3, 18, 0, tzinfo=UTC)) is None
    assert due_slot(r, datetime(2026, 12, 10, 18, 0, tzinfo=UTC)) is not None
    assert next_slot(r, datetime(2026, 11, 26, 18, 0, tzinfo=UTC)) == slot_at(r, date(2026, 12, 10))


def test_off_is_never_due():
    r = rhythm(frequency=OFF)
    assert due_slot(r, datetime(2026, 11, 26, 18, 0, tzinfo=UTC)) is None
    assert next_slot(r, datetime(2026, 11, 26, 18, 0, tzinfo=UTC)) is None


@settings(max_examples=300, deadline=None)
@given(
    frequency=st.sampled_from([WEEKLY, FORTNIGHTLY]),
    weekday=st.integers(0, 6),
    minute_of_day=st.integers(0, 24 * 60 - 1),
    zone=st.sampled_from([LONDON, "UTC", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]),
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
)
def test_at_most_one_slot_due_per_local_day_and_next_slot_agrees(frequency, weekday, minute_of_day, zone, start):
    r = rhythm(frequency=frequency, weekday=weekday, local_time=time(minute_of_day // 60, minute_of_day % 60),
               time_zone=zone)
    now = start.replace(tzinfo=UTC)
    upcoming = next_slot(r, now)
    assert upcoming is not None and upcoming > now
    assert upcoming - now <= timedelta(days=15)
    assert due_slot(r, upcoming) == upcoming
    assert due_slot(r, upcoming - timedelta(seconds=1)) in (None, due_slot(r, now))
