"""Reads of supervision, each with its rule.

- A relationship and every session in it (check-in, agenda, record, actions) belong to its two people: the
  supervisee always (nothing about a person is hidden from that person), the supervisor only while the
  relationship is current. A supervisor whose relationship ended loses access on the next request, like a mentor.
  `access_session_by_id` and `access_relationship_by_id` are the only ways in; missing and forbidden both 404.
- The supervisee's check-in reaches the supervisor only when the supervisee shares it.
- Admins read `evidence_rows`: dates and whether the last record is agreed, never any content.
Every read costs a fixed number of queries, however many sessions there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from people.models import User
from people.selectors import active_members

from ..models import Action, AgendaItem, CheckIn, RecordVersion, Relationship, Session, SupervisionSettings

Role = Literal["supervisee", "supervisor"]


def _real(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and not user.is_staff)


def _current(prefix: str = "", on: date | None = None) -> Q:
    on = on or timezone.localdate()
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gt": on})
    )


def current_relationships(on: date | None = None) -> QuerySet[Relationship]:
    """Relationships in force on `on` (today): started and not ended, both people active. Ending today has ended."""
    return Relationship.objects.filter(
        _current(on=on), supervisor__is_active=True, supervisee__is_active=True,
    )


def current_supervisors_of(person: User, on: date | None = None) -> QuerySet[User]:
    """Who supervises `person` now (normally one)."""
    return User.objects.filter(
        pk__in=current_relationships(on).filter(supervisee=person).values("supervisor_id")
    ).order_by("full_name", "email")


def current_supervisees_of(person: User, on: date | None = None) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=current_relationships(on).filter(supervisor=person).values("supervisee_id")
    ).order_by("full_name", "email")


def is_current_supervisor(*, supervisor: User, supervisee: User, on: date | None = None) -> bool:
    return current_relationships(on).filter(supervisor=supervisor, supervisee=supervisee).exists()


def _visible(user: User) -> Q:
    """What a person may open: their own supervision (any time), and their supervisees' while it is current."""
    return Q(supervisee=user) | (Q(supervisor=user) & _current())


def relationships_visible_to(user: User) -> QuerySet[Relationship]:
    if not _real(user):
        return Relationship.objects.none()
    return Relationship.objects.filter(_visible(user)).select_related("supervisor", "supervisee")


def sessions_visible_to(user: User) -> QuerySet[Session]:
    if not _real(user):
        return Session.objects.none()
    return Session.objects.filter(
        relationship__in=Relationship.objects.filter(_visible(user)).values("pk")
    ).select_related("relationship__supervisor", "relationship__supervisee")


def role_in(relationship: Relationship, user: User) -> Role:
    return "supervisee" if relationship.supervisee_id == user.pk else "supervisor"


def access_relationship_by_id(*, user: User, pk: int) -> Relationship:
    relationship = relationships_visible_to(user).filter(pk=pk).first()
    if relationship is None:
        raise Http404("No such supervision")
    return relationship


def access_session_by_id(*, user: User, pk: int) -> Session:
    session = sessions_visible_to(user).filter(pk=pk).first()
    if session is None:
        raise Http404("No such session")
    return session


# --- My supervision (/supervision/)


def _with_dates(relationships: QuerySet[Relationship], now: datetime) -> QuerySet[Relationship]:
    live = Q(sessions__cancelled_at__isnull=True)
    return relationships.annotate(
        next_at=Min("sessions__starts_at", filter=live & Q(sessions__starts_at__gt=now)),
        last_at=Max("sessions__starts_at", filter=live & Q(sessions__starts_at__lte=now)),
    )


@dataclass
class MySupervision:
    supervised_by: list[Relationship]  # current, normally one
    supervising: list[Relationship]  # current, each with next_at and last_at
    next_session: Session | None  # the supervisee's next session
    upcoming: list[Session]  # every session to come, as either person (for the supervisor's list)
    past: list[Session]  # the supervisee's past sessions, newest first (the latest PAST_SHOWN)
    past_count: int
    ended: list[Relationship]  # the supervisee's ended relationships (their records stay theirs)


PAST_SHOWN = 12


def my_supervision(user: User) -> MySupervision:
    """Everything /supervision/ shows a person, in six queries whatever the number of sessions."""
    now = timezone.now()
    visible = sessions_visible_to(user).filter(cancelled_at__isnull=True)
    supervised_by = list(_with_dates(relationships_visible_to(user).filter(_current(), supervisee=user), now))
    supervising = list(
        _with_dates(relationships_visible_to(user).filter(_current(), supervisor=user), now)
        .order_by("supervisee__full_name", "supervisee__email")
    )
    upcoming = list(visible.filter(starts_at__gt=now).order_by("starts_at", "id")[:50])
    mine_past = visible.filter(relationship__supervisee=user, starts_at__lte=now).order_by("-starts_at", "-id")
    past = list(mine_past[:PAST_SHOWN])
    past_count = len(past) if len(past) < PAST_SHOWN else mine_past.count()
    ended = list(relationships_visible_to(user).filter(supervisee=user).exclude(_current()))
    return MySupervision(
        supervised_by=supervised_by, supervising=supervising,
        next_session=next((s for s in upcoming if s.relationship.supervisee_id == user.pk), None),
        upcoming=upcoming, past=past, past_count=past_count, ended=ended,
    )


def relationship_sessions(relationship: Relationship) -> list[Session]:
    """A relationship's sessions, newest first (cancelled ones too, marked)."""
    return list(relationship.sessions.order_by("-starts_at", "-id"))


def next_session_for(user: User, *, within_days: int = 14) -> Session | None:
    """The soonest session to come (as either person) in the next fortnight: the home page's nudge."""
    now = timezone.now()
    return (
        sessions_visible_to(user).filter(
            cancelled_at__isnull=True, starts_at__gt=now, starts_at__lte=now + timedelta(days=within_days),
        ).order_by("starts_at", "id").first()
    )


# --- A session's page


@dataclass
class SessionView:
    session: Session
    role: Role
    other: User
    checkin: CheckIn | None  # None for the supervisor unless the supervisee shared it
    agenda: list[AgendaItem]  # the supervisee's first
    latest: RecordVersion | None
    agreed_by: set[int]  # who agreed the latest version
    actions: list[Action]  # agreed in this session
    last_time: list[Action]  # still open from earlier sessions of this relationship ("Last time we agreed…")
    reviewed: list[Action]  # looked at in this session (done, carried on or let go)
    previous: Session | None


def session_view(session: Session, user: User) -> SessionView:
    """What a session's page shows `user` (who has passed `access_session_by_id`): eight queries."""
    relationship = session.relationship
    role = role_in(relationship, user)
    checkin = CheckIn.objects.filter(session=session).first()
    if checkin is not None and role == "supervisor" and not checkin.shared:
        checkin = None
    agenda = sorted(
        AgendaItem.objects.filter(session=session).select_related("author"),
        key=lambda item: (item.author_id != relationship.supervisee_id, item.created_at, item.id),
    )
    latest = (
        RecordVersion.objects.filter(session=session, number=session.version).select_related("author").first()
        if session.version else None
    )
    agreed_by = set(latest.agreements.values_list("person_id", flat=True)) if latest else set()
    actions = list(Action.objects.filter(session=session).select_related("owner", "carried_from"))
    earlier = Session.objects.filter(
        relationship=relationship, cancelled_at__isnull=True
    ).filter(Q(starts_at__lt=session.starts_at) | Q(starts_at=session.starts_at, pk__lt=session.pk))
    last_time = list(
        Action.objects.filter(session__in=earlier.values("pk"), status=Action.Status.OPEN)
        .select_related("owner", "session").order_by("session__starts_at", "created_at", "id")
    )
    reviewed = list(Action.objects.filter(reviewed_in=session).select_related("owner").order_by("id"))
    previous = earlier.order_by("-starts_at", "-id").first()
    other = relationship.supervisor if role == "supervisee" else relationship.supervisee
    return SessionView(
        session=session, role=role, other=other, checkin=checkin, agenda=agenda, latest=latest,
        agreed_by=agreed_by, actions=actions, last_time=last_time, reviewed=reviewed, previous=previous,
    )


def record_versions(session: Session) -> list[RecordVersion]:
    """Every version of a session's record, oldest first, with who agreed each."""
    return list(
        RecordVersion.objects.filter(session=session).select_related("author")
        .prefetch_related("agreements__person").order_by("number")
    )


# --- Evidence for admins (/manage/supervision/): dates and agreement only, never content


def supervision_settings() -> SupervisionSettings:
    return SupervisionSettings.objects.filter(singleton=1).first() or SupervisionSettings()


@dataclass
class EvidenceRow:
    supervisee: User
    supervisor: User
    relationship_id: int
    since: date
    last_on: date | None
    next_on: date | None
    last_record: str  # "agreed", "waiting" (written, not agreed by both), "none" (nothing written), "" (no session)
    weeks_since: int | None
    longer_than_chosen: bool


def evidence_rows(*, frequency_weeks: int, tz: object) -> list[EvidenceRow]:
    """Per person supervised now: their supervisor, when they last and next talk (any supervisor), whether the last
    record is agreed, and weeks since against the chosen frequency. Two queries, whatever the number of sessions."""
    now = timezone.now()
    today = timezone.localdate()
    per_person = Session.objects.filter(relationship__supervisee=OuterRef("supervisee"), cancelled_at__isnull=True)
    last = per_person.filter(starts_at__lte=now).order_by("-starts_at", "-id")
    rows = (
        current_relationships().select_related("supervisor", "supervisee")
        .annotate(
            last_at=Subquery(last.values("starts_at")[:1]),
            last_version=Subquery(last.values("version")[:1]),
            last_agreed=Subquery(last.values("agreed_at")[:1]),
            next_at=Subquery(per_person.filter(starts_at__gt=now).order_by("starts_at", "id").values("starts_at")[:1]),
        )
        .order_by("supervisee__full_name", "supervisee__email", "id")
    )
    found = []
    for row in rows:
        last_on = timezone.localtime(row.last_at, tz).date() if row.last_at else None
        weeks = (today - last_on).days // 7 if last_on else None
        if row.last_at is None:
            record = ""
        elif row.last_agreed is not None:
            record = "agreed"
        else:
            record = "waiting" if row.last_version else "none"
        found.append(EvidenceRow(
            supervisee=row.supervisee, supervisor=row.supervisor, relationship_id=row.pk, since=row.starts_on,
            last_on=last_on, next_on=timezone.localtime(row.next_at, tz).date() if row.next_at else None,
            last_record=record, weeks_since=weeks,
            longer_than_chosen=row.next_at is None and (
                weeks >= frequency_weeks if weeks is not None else (today - row.starts_on).days // 7 >= frequency_weeks
            ),
        ))
    return found


def unsupervised_count() -> int:
    """Active members with nobody supervising them now (a number, never a list to chase)."""
    return active_members().exclude(Exists(current_relationships().filter(supervisee=OuterRef("pk")))).count()


def relationships_list(*, include_ended: bool = False) -> QuerySet[Relationship]:
    relationships = Relationship.objects.select_related("supervisor", "supervisee").order_by(
        "supervisee__full_name", "supervisee__email", "-starts_on", "-id"
    )
    if not include_ended:
        relationships = relationships.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=timezone.localdate()))
    else:
        relationships = relationships.filter(ends_on__lte=timezone.localdate())
    return relationships


def people_to_choose() -> QuerySet[User]:
    """Who may supervise or be supervised: active members (supervision does not need a role or a team)."""
    return active_members().order_by("full_name", "email")
