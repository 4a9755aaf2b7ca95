"""The CPD record: completed modules, and the CPD that apps above `courses` add to it.

`courses` keeps the CPD record (/learn/cpd/, its CSV and PDF), yet some CPD happens elsewhere: an action learning
set meeting you attended is `learningsets`' to know. `courses` may not import those apps (DESIGN.md, "Which app may
import which"), so they register a source here from their `AppConfig.ready()`:

    from courses.cpd import CpdActivity, cpd_source_register

    def set_meetings(user: User, *, since: date | None = None, until: date | None = None) -> list[CpdActivity]:
        return [CpdActivity(title="Larch House set", date=meeting.date, minutes=90,
                            kind_label="Action learning set meeting"), ...]

    cpd_source_register("learningsets.meetings", set_meetings,
                        rule="An action learning set meeting counts with its length when the facilitator "
                             "has recorded that you were there.")

A provider takes the person whose record it is and, optionally, the first and last day wanted (both included;
None means no limit), and answers that person's activities: a title, the day (in the organisation's time zone),
the minutes, and the kind as a reader should see it ("Action learning set meeting"). It answers only that
person's own activities, reads through its own app's selectors and costs a fixed number of queries, whatever the
amount of history: the CPD page's query count is held by `tests/courses/test_cpd_sources.py`. Titles are the
provider's to choose: the record can be downloaded and shown to a registration body, so a title names the
activity ("Larch House set"), never what was said in it.

`rule` is one plain sentence saying when the activity counts. The CPD page shows it under "How your minutes are
counted", beside the lesson rule in `courses/services.py`: that one place states every rule, and each source states
its own, once, here.

`cpd_record_for(user)` is the one read of the whole record: modules and registered activities, in date order, with
the total. The CPD page, its CSV, its PDF and the record's certificate all use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from django.utils import timezone

if TYPE_CHECKING:
    from people.models import User

    from .models import ModuleCompletion

MODULE_KIND_LABEL = "Module"


@dataclass(frozen=True)
class CpdActivity:
    """One piece of CPD from a registered source."""

    title: str
    date: date
    minutes: int
    kind_label: str


class CpdProvider(Protocol):
    def __call__(self, user: User, *, since: date | None = None,
                 until: date | None = None) -> list[CpdActivity]: ...


@dataclass(frozen=True)
class CpdSource:
    key: str
    provider: CpdProvider
    rule: str


_sources: dict[str, CpdSource] = {}


def cpd_source_register(key: str, provider: CpdProvider | Callable[..., list[CpdActivity]], *, rule: str) -> None:
    """Add (or replace: `ready()` may run more than once) the source named `key`."""
    _sources[key] = CpdSource(key=key, provider=provider, rule=rule)


def cpd_source_unregister(key: str) -> None:
    """Take a source away (tests use this to clean up after a test source)."""
    _sources.pop(key, None)


def cpd_sources() -> list[CpdSource]:
    return [_sources[key] for key in sorted(_sources)]


@dataclass(frozen=True)
class CpdRow:
    """A line of the record: a completed module (with its completion, for the certificate) or an activity."""

    title: str
    date: date
    minutes: int
    kind_label: str
    completion: ModuleCompletion | None = None

    @property
    def is_module(self) -> bool:
        return self.completion is not None


@dataclass(frozen=True)
class CpdRecord:
    rows: list[CpdRow]

    @property
    def total_minutes(self) -> int:
        return sum(row.minutes for row in self.rows)

    @property
    def module_count(self) -> int:
        return sum(1 for row in self.rows if row.is_module)

    @property
    def activity_count(self) -> int:
        return sum(1 for row in self.rows if not row.is_module)

    @property
    def first_date(self) -> date | None:
        return self.rows[0].date if self.rows else None

    @property
    def last_date(self) -> date | None:
        return self.rows[-1].date if self.rows else None


def cpd_record_for(user: User, *, since: date | None = None, until: date | None = None) -> CpdRecord:
    """Everything on `user`'s CPD record, oldest first: one query for the modules, then each source's own."""
    from .selectors import completions_for

    rows = []
    for completion in completions_for(user):
        day = timezone.localdate(completion.completed_at)
        if (since is None or day >= since) and (until is None or day <= until):
            rows.append(CpdRow(title=completion.module.title, date=day, minutes=completion.cpd_minutes,
                               kind_label=MODULE_KIND_LABEL, completion=completion))
    for source in cpd_sources():
        for activity in source.provider(user, since=since, until=until):
            if activity.minutes < 0:
                continue  # a source's mistake must not take minutes off the record
            rows.append(CpdRow(title=activity.title, date=activity.date, minutes=activity.minutes,
                               kind_label=activity.kind_label))
    # Stable: on one day, modules in the order they were completed come first, then each source's own order.
    rows.sort(key=lambda row: row.date)
    return CpdRecord(rows=rows)
