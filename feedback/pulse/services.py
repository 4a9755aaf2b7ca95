"""Writes of the team pulse: opening and closing rounds, answering, the rhythm, and the beat's work (opening due
rounds, the content-free emails and the one reminder). Every anonymity rule is the engine's (`feedback.engine`):
these functions only decide who is asked and when.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from feedback import engine
from feedback.models import Instrument, PulseRhythm, PulseRound, PulseSchedule, Respondent, Round
from people.links import current_organisation_url
from people.models import User
from teams.models import Team

from . import selectors
from .statements import SCALE, STATEMENTS

logger = logging.getLogger(__name__)

DAYS_OPEN_CHOICES = (3, 5, 7, 10, 14)
DEFAULT_DAYS_OPEN = 7
EMAIL_BATCH = 200


class PulseError(Exception):
    """Why a pulse action cannot be done, in words for the person who asked."""


def _may_run(by: User | None, team: Team) -> None:
    if by is not None and not selectors.may_run_pulse(by, team):
        raise PulseError("Only the team's leads and your organisation's admins can do that.")


def _open_round_of(team: Team) -> PulseRound | None:
    return PulseRound.objects.filter(team=team, round__closed_at__isnull=True).select_related("round").first()


@transaction.atomic
def pulse_open(*, team: Team, by: User | None, days_open: int = DEFAULT_DAYS_OPEN,
               now: datetime | None = None) -> PulseRound:
    """Open a round for `team`, asking its current members, closing after `days_open` days. `by` is the lead or
    admin who opened it (None for the rhythm). Refused while a round is open, and when the team has fewer current
    members than k (its results could never show)."""
    now = now or timezone.now()
    team = Team.objects.select_for_update().get(pk=team.pk)  # two openings at once: one waits, then sees the other
    _may_run(by, team)
    if team.archived_at is not None:
        raise PulseError("This team is archived, so it has no pulse.")
    if not 1 <= int(days_open) <= 28:
        raise PulseError("A pulse stays open for between 1 and 28 days.")
    current = _open_round_of(team)
    if current is not None and current.round.closes_at <= now:
        engine.round_close(round_=current.round, at=now)  # its time was up; the beat had not got to it yet
        current = None
    if current is not None:
        raise PulseError(
            f"{team.name} already has a pulse open, until {timezone.localtime(current.round.closes_at):%A %-d %B}. "
            "Close it first if you want to start again."
        )
    members = list(selectors.current_members(team))
    k = engine.k_for(Instrument.PULSE)
    if len(members) < k:
        raise PulseError(
            f"{team.name} has {len(members)} current member{'s' if len(members) != 1 else ''}. A pulse shows "
            f"nothing until at least {k} people have answered, so it needs at least {k} members to be worth "
            "asking."
        )
    round_ = engine.round_open(
        instrument=Instrument.PULSE, statements=STATEMENTS, scale=SCALE,
        closes_at=now + timedelta(days=int(days_open)), users=members, opened_at=now,
    )
    return PulseRound.objects.create(round=round_, team=team, opened_by=by)


def pulse_close(*, pulse: PulseRound, by: User | None, now: datetime | None = None) -> PulseRound:
    """Close a round early (a lead or admin): its results are frozen now, and show only if it reached k."""
    _may_run(by, pulse.team)
    engine.round_close(round_=pulse.round, at=now)
    pulse.round.refresh_from_db()
    return pulse


def pulse_answer(*, respondent: Respondent, scores: list[int], comment: str = "") -> None:
    """Take `respondent`'s answer (the engine keeps no link between the two)."""
    engine.answer_record(respondent=respondent, scores=scores, comment=comment)


def next_opening(after: date, rhythm: str, today: date) -> date:
    """The first date of the rhythm after `after` that is later than `today` (missed ones are skipped)."""
    months = 3 if rhythm == PulseRhythm.QUARTERLY else 1
    opening = after
    while opening <= today:
        month = opening.month - 1 + months
        year, month = opening.year + month // 12, month % 12 + 1
        opening = date(year, month, min(after.day, calendar.monthrange(year, month)[1]))
    return opening


def pulse_schedule_set(*, team: Team, by: User | None, rhythm: str, days_open: int,
                       next_opens_on: date | None = None) -> PulseSchedule:
    """Set `team`'s rhythm: monthly or quarterly (the beat opens a round on `next_opens_on`), or by hand only."""
    _may_run(by, team)
    if rhythm not in PulseRhythm.values:
        raise PulseError("Choose how often the pulse opens.")
    if not 1 <= int(days_open) <= 28:
        raise PulseError("A pulse stays open for between 1 and 28 days.")
    today = timezone.localdate()
    if rhythm and next_opens_on is None:
        next_opens_on = today
    if next_opens_on is not None and next_opens_on < today:
        raise PulseError("Choose today or a day to come for the next pulse.")
    schedule, _ = PulseSchedule.objects.update_or_create(
        team=team,
        defaults={"rhythm": rhythm, "days_open": int(days_open), "next_opens_on": next_opens_on if rhythm else None},
    )
    return schedule


# --- The beat (called from feedback.tasks.rounds_tick in every organisation)


@dataclass
class TickDone:
    opened: int = 0
    skipped: int = 0
    emailed: int = 0
    reminded: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"pulse_opened": self.opened, "pulse_skipped": self.skipped, "pulse_emailed": self.emailed,
                "pulse_reminded": self.reminded}


def schedules_open_due(*, now: datetime | None = None) -> tuple[int, int]:
    """Open a round for every team whose rhythm is due, and move its next opening on (whether or not a round
    could open: a round still open, or too few members, skips this one). Returns (opened, skipped)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    opened = skipped = 0
    due = list(
        PulseSchedule.objects.exclude(rhythm=PulseRhythm.NONE)
        .filter(next_opens_on__lte=today, team__archived_at__isnull=True).values_list("pk", flat=True)
    )
    for pk in due:
        with transaction.atomic():
            schedule = (
                PulseSchedule.objects.select_for_update(skip_locked=True).select_related("team")
                .filter(pk=pk, next_opens_on__lte=today).first()
            )
            if schedule is None:
                continue  # another beat has it
            try:
                with transaction.atomic():
                    pulse_open(team=schedule.team, by=None, days_open=schedule.days_open, now=now)
                opened += 1
            except PulseError as error:
                skipped += 1
                logger.info("Pulse of team %s not opened: %s", schedule.team_id, error)
            schedule.next_opens_on = next_opening(schedule.next_opens_on, schedule.rhythm, today)
            schedule.save(update_fields=["next_opens_on", "updated_at"])
    return opened, skipped


def _answer_url(round_id: int) -> str:
    return current_organisation_url(reverse("feedback:pulse_answer", args=[round_id]))


def _email(kind: str, respondent: Respondent) -> EmailMessage:
    """Content-free: no team, no statement, no name of anyone else; only that a short anonymous pulse waits."""
    link = _answer_url(respondent.round_id)
    closes = timezone.localtime(respondent.round.closes_at)
    if kind == "reminder":
        subject = "A reminder: your team's pulse closes soon"
        opening = "A gentle reminder: the short anonymous pulse for your team is still open, if you'd like to answer."
    else:
        subject = "A short anonymous pulse is waiting for you"
        opening = ("Your team has a short anonymous pulse open: seven statements about how it feels to work "
                   "together, about two minutes.")
    body = (
        f"Hello,\n\n{opening}\n\n"
        f"Answer it here (you may be asked to sign in):\n{link}\n\n"
        f"It closes on {closes:%A %-d %B}. Nobody sees who answered what, and nothing shows until enough people "
        "have answered and it has closed.\n"
    )
    return EmailMessage(subject, body, None, [respondent.user.email])


def _claim(field: str, queryset, now: datetime) -> list[Respondent]:
    """Mark these respondents as sent before sending (a second beat never sends again); returns the claimed."""
    ids = list(queryset.order_by("id").values_list("id", flat=True)[:EMAIL_BATCH])
    if not ids:
        return []
    with transaction.atomic():
        claimed = list(
            Respondent.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, **{f"{field}__isnull": True}).values_list("id", flat=True)
        )
        Respondent.objects.filter(pk__in=claimed).update(**{field: now})
    return list(Respondent.objects.filter(pk__in=claimed).select_related("round", "user").order_by("id"))


def _send(field: str, kind: str, respondents: list[Respondent]) -> int:
    sent, failed = 0, []
    with get_connection() as mail:
        for respondent in respondents:
            try:
                mail.send_messages([_email(kind, respondent)])
                sent += 1
            except Exception:  # one bad address must not stop the batch; the next beat tries again
                failed.append(respondent.pk)
    if failed:
        Respondent.objects.filter(pk__in=failed).update(**{field: None})
    return sent


def _open_pulse_respondents(now: datetime):
    return Respondent.objects.filter(
        round__instrument=Instrument.PULSE, round__pulse__isnull=False, round__closed_at__isnull=True,
        round__closes_at__gt=now, answered=False, user__isnull=False, user__is_active=True,
        round__pulse__team__archived_at__isnull=True,
    ).exclude(user__email="")


def invitations_send(*, now: datetime | None = None) -> int:
    """Email everyone asked in an open pulse who has an email address and has not been emailed (people without
    one are asked in the app only). The row is the record: whatever a beat could not send, the next one does."""
    now = now or timezone.now()
    return _send("emailed_at", "invitation", _claim("emailed_at", _open_pulse_respondents(now).filter(
        emailed_at__isnull=True), now))


def reminders_send(*, now: datetime | None = None) -> int:
    """Once a round is half-way through, remind (once) those who have not answered."""
    now = now or timezone.now()
    half_way = [
        round_.pk for round_ in Round.objects.filter(
            instrument=Instrument.PULSE, pulse__isnull=False, closed_at__isnull=True, reminded_at__isnull=True,
            closes_at__gt=now,
        ).only("pk", "opened_at", "closes_at")
        if round_.opened_at + (round_.closes_at - round_.opened_at) / 2 <= now
    ]
    if half_way:
        Round.objects.filter(pk__in=half_way, reminded_at__isnull=True).update(reminded_at=now)
    waiting = _open_pulse_respondents(now).filter(
        round__reminded_at__isnull=False, reminded_at__isnull=True, emailed_at__lt=now,  # not in the same beat
    )
    return _send("reminded_at", "reminder", _claim("reminded_at", waiting, now))


def pulse_tick(*, now: datetime | None = None) -> dict[str, int]:
    """The pulse's part of the feedback beat: open due rounds, then email the new asks and the reminders."""
    now = now or timezone.now()
    done = TickDone()
    done.opened, done.skipped = schedules_open_due(now=now)
    done.emailed = invitations_send(now=now)
    done.reminded = reminders_send(now=now)
    return done.as_dict()
