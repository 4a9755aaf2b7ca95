"""Reads of the team pulse that carry a rule: who may answer, who may see a team's results, and the results.

Results belong to the team: every current member sees what its lead sees, and so do the organisation's admins;
nobody else (a past member, a mentor from outside the team, another team) sees anything, and a missing and a
forbidden team answer the same 404. What a round shows comes from `feedback.engine.results_of` only: nothing
while it is open, nothing but "not enough answers" when it closed below k, and never a breakdown.

Each read costs a fixed number of queries, however many rounds a team has had (tests/feedback/test_pulse_queries.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from feedback import engine
from feedback.models import Instrument, PulseRound, PulseSchedule, Respondent
from people.models import User
from teams import selectors as teams_selectors
from teams.models import Team

from .statements import CONVERSATION_STARTERS, SCALE, SCALE_LABELS

# --- Teams: who is in a team now is `teams.selectors`' rule; the pulse only adds who may run and see it.


def current_members(team: Team) -> QuerySet[User]:
    """The people in `team` now: the ones a new round asks."""
    return teams_selectors.current_members(team)


def is_team_lead(user: User, team: Team) -> bool:
    return teams_selectors.is_team_lead(user, team)


def may_run_pulse(user: User, team: Team) -> bool:
    """A team's leads and the organisation's admins open and close its rounds and set its rhythm."""
    return bool(getattr(user, "is_org_admin", False)) or is_team_lead(user, team)


def access_team_by_id(viewer: User, pk: int) -> Team:
    """The live team `pk` for its current members and the organisation's admins (annotated `viewer_is_lead`); one
    Http404 for a missing, archived or forbidden team."""
    return teams_selectors.access_team_by_id(viewer, pk)


def may_see_results(viewer: User, team: Team) -> bool:
    """Current members (leads included) and admins: the same rule as `access_team_by_id`, for a team in hand."""
    if not getattr(viewer, "is_authenticated", False) or viewer.is_staff or not viewer.is_active:
        return False
    if getattr(team, "archived_at", None) is not None:
        return False
    if viewer.is_org_admin:
        return True
    return teams_selectors.is_team_member(viewer, team)


# --- Answering


def _pulse_respondents() -> QuerySet[Respondent]:
    return Respondent.objects.filter(round__instrument=Instrument.PULSE, round__pulse__isnull=False)


def access_respondent_by_round_id(user: User, round_id: int) -> Respondent:
    """The pulse `round_id` as `user` was asked it (with its round and team); one Http404 when there is no such
    pulse and when `user` was not asked. Whether it is still open, and whether they answered, is for the caller to
    say kindly."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    respondent = (
        _pulse_respondents().filter(round_id=round_id, user=user)
        .select_related("round", "round__pulse__team").first()
    )
    if respondent is None:
        raise Http404
    return respondent


def pulses_waiting_for(user: User, now: datetime | None = None) -> list[Respondent]:
    """Open pulses `user` has been asked and not yet answered, soonest to close first. One query."""
    now = now or timezone.now()
    return list(
        _pulse_respondents().filter(
            user=user, answered=False, round__closed_at__isnull=True, round__closes_at__gt=now,
            round__pulse__team__archived_at__isnull=True,
        ).select_related("round", "round__pulse__team").order_by("round__closes_at", "round_id")
    )


def is_waiting_for(user: User, round_id: int) -> bool:
    """Whether `user` was asked in round `round_id` and has not answered yet."""
    return _pulse_respondents().filter(round_id=round_id, user=user, answered=False).exists()


# --- Results


@dataclass(frozen=True)
class Spread:
    """One statement of a round that reached k: how many chose each point, and how safe it feels on the whole."""

    key: str
    text: str
    reverse: bool
    counts: list[int]
    favourable: float
    segments: list[dict[str, Any]] = field(default_factory=list)  # for the stacked bar (x, width, point, count)

    @property
    def counts_text(self) -> str:
        return ", ".join(f"{point}: {count}" for point, count in enumerate(self.counts, start=1))


@dataclass(frozen=True)
class RoundSummary:
    pulse_id: int
    round_id: int
    opened_at: datetime
    closed_at: datetime | None
    closes_at: datetime
    reached: bool
    overall: float | None  # mean of the seven favourable means, 1 to 7, higher is safer; None below k

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass
class TeamPulse:
    """Everything a team's results show, read in a fixed number of queries."""

    team: Team
    rounds: list[RoundSummary]  # oldest first
    open_round: RoundSummary | None = None
    open_asked: int = 0
    open_answered: int = 0
    latest: RoundSummary | None = None  # the latest closed round that reached k
    latest_closed_below_k: RoundSummary | None = None  # the latest closed round, when it did not reach k
    spreads: list[Spread] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    starters: list[dict[str, str]] = field(default_factory=list)
    schedule: PulseSchedule | None = None

    @property
    def trend(self) -> list[RoundSummary]:
        return [summary for summary in self.rounds if summary.closed_at is not None]

    @property
    def reached_rounds(self) -> list[RoundSummary]:
        return [summary for summary in self.rounds if summary.reached]


BAR_WIDTH = 280


def _segments(counts: list[int], reverse: bool) -> list[dict[str, Any]]:
    """The stacked bar's pieces; `tone` runs from 1 (the worrying end) to 7 (the safe end), so a reverse-scored
    statement's "strongly agree" is drawn in the worrying colour."""
    total = sum(counts) or 1
    segments, x = [], 0.0
    for point, count in enumerate(counts, start=1):
        width = BAR_WIDTH * count / total
        if count:
            segments.append({"x": round(x, 2), "width": round(width, 2), "point": point, "count": count,
                             "tone": SCALE + 1 - point if reverse else point})
        x += width
    return segments


def _spread(item: dict[str, Any]) -> Spread:
    counts, reverse = [int(n) for n in item["counts"]], bool(item.get("reverse"))
    return Spread(key=item["key"], text=item["text"], reverse=reverse, counts=counts,
                  favourable=float(item["favourable"]), segments=_segments(counts, reverse))


def _overall(results: dict[str, Any]) -> float:
    items = results.get("items") or []
    return round(sum(item["favourable"] for item in items) / len(items), 2) if items else 0.0


def _summary(pulse: PulseRound) -> RoundSummary:
    round_ = pulse.round
    results = engine.results_of(round_)
    return RoundSummary(
        pulse_id=pulse.pk, round_id=round_.pk, opened_at=round_.opened_at, closed_at=round_.closed_at,
        closes_at=round_.closes_at, reached=results is not None, overall=_overall(results) if results else None,
    )


def starters_for(spreads: list[Spread], *, how_many: int = 3) -> list[dict[str, str]]:
    """Two or three questions for the next team meeting, from the statements that feel least safe (the first
    question of each of the weakest ones, then a second one of the weakest if there is room)."""
    weakest = sorted(spreads, key=lambda spread: (spread.favourable, spread.key))
    chosen: list[dict[str, str]] = []
    for spread in weakest[:how_many]:
        questions = CONVERSATION_STARTERS.get(spread.key, ())
        if questions:
            chosen.append({"key": spread.key, "statement": spread.text, "question": questions[0]})
    return chosen[:how_many]


def team_pulse(team: Team, *, now: datetime | None = None) -> TeamPulse:
    """The team's rounds (for the trend), its open round's progress, and the latest round that reached k in full.
    Three queries, however many rounds."""
    now = now or timezone.now()
    pulses = list(
        PulseRound.objects.filter(team=team).select_related("round")
        .annotate(asked=Count("round__respondents"))
        .order_by("round__opened_at", "id")
    )
    overview = TeamPulse(team=team, rounds=[_summary(pulse) for pulse in pulses])
    overview.schedule = PulseSchedule.objects.filter(team=team).first()
    for pulse, summary in zip(pulses, overview.rounds, strict=True):
        if summary.is_open:
            overview.open_round = summary
            overview.open_asked = pulse.asked
            overview.open_answered = pulse.round.answer_count
    latest_pulse = next((p for p in reversed(pulses) if engine.results_visible(p.round)), None)
    if latest_pulse is not None:
        results = engine.results_of(latest_pulse.round) or {}
        overview.latest = _summary(latest_pulse)
        overview.spreads = [_spread(item) for item in results.get("items", [])]
        overview.comments = list(results.get("comments", []))  # in the order frozen at closing (random)
        overview.starters = starters_for(overview.spreads)
    closed = [summary for summary in overview.rounds if summary.closed_at is not None]
    if closed and not closed[-1].reached:
        overview.latest_closed_below_k = closed[-1]
    return overview


# --- The trend chart: drawn on the server as SVG (no script), with a table beside it as its text alternative.

CHART = {"width": 480, "height": 240, "left": 40, "right": 34, "top": 14, "bottom": 40}


def trend_chart(rounds: list[RoundSummary]) -> dict[str, Any]:
    """Points and gridlines for the trend: one point per closed round that reached k (rounds below k leave a
    gap: they show nothing), y from 1 to 7."""
    width, height = CHART["width"], CHART["height"]
    left, right, top, bottom = CHART["left"], CHART["right"], CHART["top"], CHART["bottom"]
    plot_w, plot_h = width - left - right, height - top - bottom
    count = len(rounds)

    def x_at(index: int) -> float:
        return left + (plot_w / 2 if count == 1 else plot_w * index / (count - 1))

    def y_at(value: float) -> float:
        return top + plot_h * (SCALE - value) / (SCALE - 1)

    points, lines, previous = [], [], None
    for index, summary in enumerate(rounds):
        if summary.overall is None:
            previous = None
            continue
        point = {"x": round(x_at(index), 1), "y": round(y_at(summary.overall), 1), "summary": summary}
        points.append(point)
        if previous is not None:
            lines.append({"x1": previous["x"], "y1": previous["y"], "x2": point["x"], "y2": point["y"]})
        previous = point
    grid = [{"y": round(y_at(value), 1), "value": value} for value in range(1, SCALE + 1)]
    labels = [
        {"x": round(x_at(index), 1), "text": summary.closed_at.strftime("%b %y") if summary.closed_at else ""}
        for index, summary in enumerate(rounds)
    ]
    step = max(1, (count + 4) // 5)  # at most about five date labels, so they never collide
    keep = [index for index in range(count) if index % step == 0]
    if keep and keep[-1] != count - 1 and count - 1 - keep[-1] >= step:
        keep.append(count - 1)  # the newest, when there is room for it
    labels = [labels[index] for index in keep]
    return {
        **CHART, "points": points, "lines": lines, "grid": grid, "labels": labels,
        "label_y": height - bottom + 22, "plot_right": width - right,
    }


def scale_labels() -> dict[int, str]:
    return dict(SCALE_LABELS)


# --- Admins: participation per team, alphabetical, never ranked


@dataclass(frozen=True)
class TeamParticipation:
    team: Team
    rounds: int
    asked: int
    answered: int
    reached: int
    open_now: bool


def participation_for_admin() -> list[TeamParticipation]:
    """Every live team in name order with its pulse rounds, people asked and answers given, and how many rounds
    reached k (only those have results to link to). Nothing here is sorted by a score. Two queries."""
    teams = list(teams_selectors.live_teams())
    pulses = (
        PulseRound.objects.filter(team__in=[team.pk for team in teams])
        .values("team_id")
        .annotate(
            rounds=Count("id", distinct=True),
            answered=Sum("round__answer_count", distinct=False),
            reached=Count("id", filter=Q(round__results__reached=True), distinct=True),
            open_now=Count("id", filter=Q(round__closed_at__isnull=True), distinct=True),
        )
    )
    by_team = {row["team_id"]: row for row in pulses}
    asked = dict(
        Respondent.objects.filter(round__pulse__team__in=[team.pk for team in teams])
        .values("round__pulse__team_id").annotate(n=Count("id")).values_list("round__pulse__team_id", "n")
    )
    rows = []
    for team in teams:
        row = by_team.get(team.pk, {})
        rows.append(TeamParticipation(
            team=team, rounds=row.get("rounds", 0), asked=asked.get(team.pk, 0), answered=row.get("answered") or 0,
            reached=row.get("reached", 0), open_now=bool(row.get("open_now")),
        ))
    return rows


def pulse_k() -> int:
    """The k a pulse opened now must reach (reads; never creates the settings row: a GET never writes)."""
    return engine.k_for(Instrument.PULSE)
