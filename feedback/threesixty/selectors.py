"""Reads of the 360, each with its rule.

- A 360 and everything about it is its leader's alone: `access_own_three_sixty_by_id`.
- Its summary (the results, never who was asked) may also be read by a mentor the leader shared it with, while
  the pairing under which it was shared is current: `access_summary_by_id`. Nobody else, ever: not admins, not
  operators, not the people who answered.
- A rater sees only the asks addressed to them, and only while they can still answer.
Missing and forbidden both answer 404. Every read costs a fixed number of queries, however many 360s, raters and
answers there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from courses.models import Behaviour, Module
from courses.selectors import self_checks_latest_for
from people.models import User
from people.selectors import active_members, current_pairings

from .. import engine
from ..models import Respondent, ThreeSixty, ThreeSixtyShare
from .statements import RATINGS, module_slug_of


def _real(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and not user.is_staff)


def candidates_for(leader: User) -> QuerySet[User]:
    """Colleagues a leader may ask: active members of the organisation, not themselves."""
    return active_members().exclude(pk=leader.pk).order_by("full_name", "email")


def three_sixties_of(leader: User) -> QuerySet[ThreeSixty]:
    """A leader's own 360s, newest first, with how many were asked. Two queries at most, whatever the number."""
    if not _real(leader):
        return ThreeSixty.objects.none()
    return (
        ThreeSixty.objects.filter(leader=leader).select_related("round", "leader")
        .annotate(asked=Count("round__respondents"))
        .order_by("-round__opened_at", "-id")
    )


def access_own_three_sixty_by_id(*, user: User, pk: int) -> ThreeSixty:
    """The leader's own 360; one 404 for missing and someone else's alike."""
    three_sixty = three_sixties_of(user).filter(pk=pk).first()
    if three_sixty is None:
        raise Http404("No such 360")
    return three_sixty


def _pairing_in_force():
    return current_pairings().filter(
        leader_id=OuterRef("three_sixty__leader_id"), mentor_id=OuterRef("mentor_id"),
        starts_on__lte=OuterRef("shared_on"),
    )


def shares_in_force() -> QuerySet[ThreeSixtyShare]:
    """Shares made under a pairing that is current today (as journal sharing: when a pairing ends, what was shared
    under it goes dark, and pairing the same two people again does not bring it back)."""
    return ThreeSixtyShare.objects.annotate(shared_on=TruncDate("shared_at")).filter(Exists(_pairing_in_force()))


def summaries_shared_with(mentor: User) -> QuerySet[ThreeSixty]:
    """Closed 360s shared with `mentor` that they may read now."""
    if not _real(mentor):
        return ThreeSixty.objects.none()
    return (
        ThreeSixty.objects.filter(pk__in=shares_in_force().filter(mentor=mentor).values("three_sixty_id"),
                                  round__closed_at__isnull=False)
        .exclude(leader=mentor).select_related("round", "leader").order_by("-round__closed_at", "-id")
    )


def access_summary_by_id(*, user: User, pk: int) -> ThreeSixty:
    """A 360's summary: its leader's, or a mentor's it is shared with. One 404 for missing and forbidden."""
    if not _real(user):
        raise Http404("No such 360")
    three_sixty = (
        ThreeSixty.objects.filter(pk=pk)
        .filter(Q(leader=user) | Q(pk__in=summaries_shared_with(user).values("pk")))
        .select_related("round", "leader").first()
    )
    if three_sixty is None:
        raise Http404("No such 360")
    return three_sixty


def three_sixty_shares(three_sixty: ThreeSixty) -> list[ThreeSixtyShare]:
    """For the leader: who it is shared with, each marked whether they can see it now (`is_current`). One query."""
    return list(
        ThreeSixtyShare.objects.filter(three_sixty=three_sixty).select_related("mentor")
        .annotate(shared_on=TruncDate("shared_at"), is_current=Exists(_pairing_in_force()))
        .order_by("mentor__full_name", "mentor__email")
    )


# --- Asks: what a rater sees


def asks_waiting_for(user: User) -> QuerySet[Respondent]:
    """360s a colleague has been asked to answer and still can. One query."""
    if not _real(user):
        return Respondent.objects.none()
    return (
        Respondent.objects.filter(
            user=user, answered=False, round__closed_at__isnull=True, round__closes_at__gt=timezone.now(),
            round__three_sixty__isnull=False,
        )
        .exclude(round__three_sixty__leader=user)
        .select_related("round", "round__three_sixty", "round__three_sixty__leader")
        .order_by("round__closes_at", "id")
    )


def home_three_sixties(user: User, *, fresh_since: datetime) -> list[ThreeSixty]:
    """For the home page, in one query: 360s `user` is asked to answer and still can (soonest to close first), and
    their own 360 if it closed since `fresh_since`."""
    if not _real(user):
        return []
    now = timezone.now()
    asked = Respondent.objects.filter(round_id=OuterRef("round_id"), user=user, answered=False)
    return list(
        ThreeSixty.objects.filter(
            (Q(Exists(asked), round__closed_at__isnull=True, round__closes_at__gt=now) & ~Q(leader=user))
            | Q(leader=user, round__closed_at__gte=fresh_since)
        ).select_related("round", "leader").order_by("round__closes_at", "id")[:10]
    )


def access_ask_by_id(*, user: User, pk: int) -> Respondent:
    """The ask of 360 `pk` addressed to `user` (answered or not, open or not); one 404 for any other."""
    respondent = (
        Respondent.objects.filter(user=user, round__three_sixty__pk=pk)
        .select_related("round", "round__three_sixty", "round__three_sixty__leader").first()
        if _real(user) else None
    )
    if respondent is None:
        raise Http404("No such 360")
    return respondent


def ask_for_link(token: str) -> Respondent | None:
    """The ask a single-use link belongs to, while it works; None for a used, expired or unknown link alike."""
    respondent = engine.respondent_for_token(token)
    if respondent is None or not ThreeSixty.objects.filter(round_id=respondent.round_id).exists():
        return None
    return respondent


def leader_of(respondent: Respondent) -> User:
    return ThreeSixty.objects.select_related("leader").get(round_id=respondent.round_id).leader


# --- Results


@dataclass
class BehaviourRow:
    behaviour: str
    label: str
    others: float
    own: float | None
    module: Module | None
    own_taken_at: datetime | None = None
    # Positions in the picture (feedback/threesixty/_bars.html)
    y: int = 0
    others_width: int = 0
    own_width: int = 0

    @property
    def others_label_x(self) -> int:
        return BAR_X + self.others_width + 6

    @property
    def own_label_x(self) -> int:
        return BAR_X + self.own_width + 6

    @property
    def difference(self) -> float | None:
        return None if self.own is None else round(self.others - self.own, 2)


@dataclass
class StatementRow:
    text: str
    counts: list[tuple[str, int]]
    mean: float


@dataclass
class BehaviourDetail:
    behaviour: str
    label: str
    statements: list[StatementRow]


@dataclass
class Difference:
    row: BehaviourRow
    others_see_more: bool  # True: others see more of it than you do (good news)


@dataclass
class Results:
    answers: int
    rows: list[BehaviourRow]
    details: list[BehaviourDetail]
    comments: list[str]
    difference: Difference | None
    close_everywhere: bool  # you and others see all four much alike
    missing_self_checks: list[BehaviourRow] = field(default_factory=list)
    chart_height: int = 0
    with_self_checks: bool = True


BAR_X, BAR_WIDTH, ROW_HEIGHT, ROW_HEIGHT_OTHERS_ONLY = 64, 200, 68, 46
NOTABLE = 0.5  # a difference of half a point or more on the 1-5 scale is worth a look


def results_for(three_sixty: ThreeSixty, *, with_self_checks: bool = True) -> Results | None:
    """The frozen results beside the leader's own latest self-checks, or None while open or when it closed below
    k. Two queries, whatever the number of answers and self-checks: the modules, and the leader's latest
    self-check of each.

    A self-check is its learner's alone (courses): `with_self_checks` is False for anyone but the leader, so a
    mentor the summary is shared with sees what others said, never the leader's own ratings."""
    frozen = engine.results_of(three_sixty.round)
    if frozen is None:
        return None
    labels = dict(Behaviour.choices)
    order = [b.value for b in Behaviour]
    grouped: dict[str, list[dict]] = {}
    slugs: dict[str, str] = {}
    for item in frozen["items"]:
        grouped.setdefault(item.get("group") or "", []).append(item)
        slugs.setdefault(item.get("group") or "", module_slug_of(item["key"]))
    modules = {m.slug: m for m in Module.objects.filter(slug__in=list(slugs.values()))}
    own_checks = self_checks_latest_for(three_sixty.leader, modules.values()) if with_self_checks else {}
    rows, details = [], []
    for behaviour in sorted(grouped, key=lambda b: order.index(b) if b in order else len(order)):
        items = grouped[behaviour]
        others = round(sum(i["mean"] for i in items) / len(items), 2)
        module = modules.get(slugs[behaviour])
        own_check = own_checks.get(module.pk) if module is not None else None
        row = BehaviourRow(
            behaviour=behaviour, label=labels.get(behaviour, behaviour.title() or "Other"), others=others,
            own=round(own_check.average, 2) if own_check else None, module=module,
            own_taken_at=own_check.created_at if own_check else None,
        )
        row.y = len(rows) * (ROW_HEIGHT if with_self_checks else ROW_HEIGHT_OTHERS_ONLY)
        row.others_width = round(BAR_WIDTH * others / 5)
        row.own_width = round(BAR_WIDTH * row.own / 5) if row.own is not None else 0
        rows.append(row)
        details.append(BehaviourDetail(behaviour=behaviour, label=row.label, statements=[
            StatementRow(
                text=i["text"], mean=i["mean"],
                counts=[(label, n) for (_, label), n in zip(RATINGS, i["counts"], strict=True)],
            )
            for i in items
        ]))
    compared = [row for row in rows if row.own is not None]
    biggest = max(compared, key=lambda row: abs(row.difference or 0), default=None)
    difference = None
    if biggest is not None and abs(biggest.difference or 0) >= NOTABLE:
        difference = Difference(row=biggest, others_see_more=(biggest.difference or 0) > 0)
    return Results(
        answers=frozen["answers"], rows=rows, details=details, comments=list(frozen.get("comments") or []),
        difference=difference, close_everywhere=bool(compared) and difference is None,
        missing_self_checks=[row for row in rows if row.own is None and row.module is not None]
        if with_self_checks else [],
        with_self_checks=with_self_checks,
        chart_height=len(rows) * (ROW_HEIGHT if with_self_checks else ROW_HEIGHT_OTHERS_ONLY),
    )
