"""Reads about action learning sets that carry a rule. Run inside the organisation's schema.

The one rule of a set's content: only a person with an open place in the set who has accepted its agreement (a
member or the facilitator) sees anything in it: its people, meetings, briefs, questions, actions and report backs.
Someone invited who has not accepted yet sees only the invitation and the agreement; someone who left or was
removed sees nothing, from their next request. `access_set_by_id` and `access_meeting_by_id` hold the rule, each
in one query, and answer one Http404 for missing and forbidden alike. Admins read counts and dates only, through
`sets_for_admin` and `set_outline_for_admin`, which never touch a brief, a question, an action or a report.

Other pieces of the app call these:
- `accepted_places()`, `open_places()`: the places that count now (of active people).
- `sets_of(user)`, `invitations_for(user)`: the sets a person is in, and the invitations waiting for them.
- `set_people(learning_set)`: who is in the set now, the facilitator first, each with `has_accepted`.
- `rota(learning_set)`: members in the order the rota suggests they present (fewest times, then longest ago).
- `meetings_of(learning_set)`, `previous_meeting(meeting)`, `next_meeting(learning_set)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, DateTimeField, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.http import Http404
from django.utils import timezone

from people.models import User
from teams.selectors import live_teams, teams_led_by

from .models import Attendance, LearningSet, Meeting, Question, SetMember

# --- Places


def open_places() -> QuerySet[SetMember]:
    """Places not ended, of people who are still active members of the organisation."""
    return SetMember.objects.filter(ended_at__isnull=True, user__is_active=True, user__is_staff=False)


def accepted_places() -> QuerySet[SetMember]:
    return open_places().filter(accepted_at__isnull=False)


def _viewer_ok(viewer: object) -> bool:
    return bool(getattr(viewer, "is_authenticated", False)) and viewer.is_active and not viewer.is_staff


def access_set_by_id(viewer: User, pk: int) -> LearningSet:
    """The set `pk`, for a person with an open, accepted place in it. Annotated with `viewer_place_id`,
    `viewer_is_member` and `viewer_is_facilitator`. Anyone else (admins included) and a missing id: one Http404.
    One query."""
    if not _viewer_ok(viewer):
        raise Http404
    place = accepted_places().filter(user=viewer, learning_set=OuterRef("pk"))
    found = (
        LearningSet.objects.filter(pk=pk)
        .annotate(
            viewer_place_id=Subquery(place.values("pk")[:1]),
            viewer_is_member=Subquery(place.values("is_member")[:1]),
            viewer_is_facilitator=Subquery(place.values("is_facilitator")[:1]),
        )
        .filter(viewer_place_id__isnull=False)
        .first()
    )
    if found is None:
        raise Http404
    return found


def invitation_for(viewer: User, pk: int) -> SetMember:
    """`viewer`'s open invitation to set `pk` that they have not accepted yet (with the set and who invited them),
    or one Http404. One query."""
    if not _viewer_ok(viewer):
        raise Http404
    place = (
        open_places().filter(user=viewer, learning_set_id=pk, accepted_at__isnull=True)
        .select_related("learning_set", "invited_by").first()
    )
    if place is None:
        raise Http404
    return place


def access_meeting_by_id(viewer: User, set_pk: int, pk: int) -> Meeting:
    """Meeting `pk` of set `set_pk`, for a person with an open, accepted place in the set; with its set and presenter,
    and the viewer's part annotated on the meeting (`viewer_is_member`, `viewer_is_facilitator`). One Http404 for
    missing and forbidden alike. One query."""
    if not _viewer_ok(viewer):
        raise Http404
    place = accepted_places().filter(user=viewer, learning_set=OuterRef("learning_set_id"))
    meeting = (
        Meeting.objects.filter(pk=pk, learning_set_id=set_pk)
        .select_related("learning_set", "presenter")
        .annotate(
            viewer_place_id=Subquery(place.values("pk")[:1]),
            viewer_is_member=Subquery(place.values("is_member")[:1]),
            viewer_is_facilitator=Subquery(place.values("is_facilitator")[:1]),
        )
        .filter(viewer_place_id__isnull=False)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def sets_of(user: User) -> QuerySet[LearningSet]:
    """The sets `user` has accepted a place in, in name order, each with `viewer_is_facilitator` and the next
    meeting's id, start and presenter (`next_meeting_id`, `next_starts_at`, `next_presenter_id`). One query."""
    mine = accepted_places().filter(user=user)
    upcoming = Meeting.objects.filter(
        learning_set=OuterRef("pk"), cancelled_at__isnull=True, starts_at__gt=timezone.now()
    ).order_by("starts_at", "id")
    return (
        LearningSet.objects.filter(Exists(mine.filter(learning_set=OuterRef("pk"))))
        .annotate(
            viewer_is_facilitator=Exists(mine.filter(learning_set=OuterRef("pk"), is_facilitator=True)),
            next_meeting_id=Subquery(upcoming.values("pk")[:1]),
            next_starts_at=Subquery(upcoming.values("starts_at")[:1]),
            next_presenter_id=Subquery(upcoming.values("presenter_id")[:1]),
        )
        .order_by(Lower("name"), "id")
    )


def invitations_for(user: User) -> QuerySet[SetMember]:
    """Invitations waiting for `user` (open places not yet accepted), oldest first, with the set and who invited."""
    return (
        open_places().filter(user=user, accepted_at__isnull=True)
        .select_related("learning_set", "invited_by").order_by("invited_at", "id")
    )


def places_for_home(user: User) -> list[SetMember]:
    """`user`'s open places (invitations first, then sets in name order), each with its set, who invited them, and
    the set's next meeting (`next_meeting_id`, `next_starts_at`, `next_presenter_id`). One query."""
    if not _viewer_ok(user):
        return []
    upcoming = Meeting.objects.filter(
        learning_set=OuterRef("learning_set_id"), cancelled_at__isnull=True, starts_at__gt=timezone.now()
    ).order_by("starts_at", "id")
    return list(
        open_places().filter(user=user).select_related("learning_set", "invited_by")
        .annotate(
            next_meeting_id=Subquery(upcoming.values("pk")[:1]),
            next_starts_at=Subquery(upcoming.values("starts_at")[:1]),
            next_presenter_id=Subquery(upcoming.values("presenter_id")[:1]),
        )
        .order_by(F("accepted_at").asc(nulls_first=True), Lower("learning_set__name"), "id")
    )


def set_people(learning_set: LearningSet) -> list[SetMember]:
    """Everyone with an open place now (accepted or invited), the facilitator first, then by name. One query."""
    return list(
        open_places().filter(learning_set=learning_set).select_related("user")
        .order_by(F("is_facilitator").desc(), Lower("user__full_name"), "user__email", "id")
    )


def can_start_a_set(user: User) -> bool:
    """Admins and team leads start sets."""
    if not _viewer_ok(user):
        return False
    return user.is_org_admin or teams_led_by(user).exists()


def teams_to_draw_from(user: User):
    """The teams a set may be drawn from by `user`: every live team for an admin, the teams they lead otherwise."""
    return live_teams() if user.is_org_admin else teams_led_by(user)


def people_to_invite(learning_set: LearningSet | None = None) -> QuerySet[User]:
    """Active people of the organisation without an open place in the set, in name order."""
    from people.selectors import active_members

    people = active_members()
    if learning_set is not None:
        people = people.exclude(pk__in=open_places().filter(learning_set=learning_set).values("user_id"))
    return people.order_by(Lower("full_name"), "email", "username", "id")


# --- Meetings


def live_meetings(learning_set: LearningSet) -> QuerySet[Meeting]:
    return Meeting.objects.filter(learning_set=learning_set, cancelled_at__isnull=True)


def meetings_of(learning_set: LearningSet) -> QuerySet[Meeting]:
    """The set's meetings (cancelled ones too, marked), oldest first, with their presenters and question counts."""
    return (
        Meeting.objects.filter(learning_set=learning_set).select_related("presenter")
        .annotate(question_count=Count("questions"))
        .order_by("starts_at", "id")
    )


def next_meeting(learning_set: LearningSet, now: datetime | None = None) -> Meeting | None:
    now = now or timezone.now()
    upcoming = live_meetings(learning_set).filter(starts_at__gt=now)
    return upcoming.select_related("presenter").order_by("starts_at").first()


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The set's last meeting before `meeting` that was held (not cancelled), with its presenter: its action is
    the one reported back on first at `meeting`."""
    return (
        live_meetings(meeting.learning_set)
        .filter(Q(starts_at__lt=meeting.starts_at) | Q(starts_at=meeting.starts_at, pk__lt=meeting.pk))
        .select_related("presenter").order_by("-starts_at", "-id").first()
    )


def questions_of(meeting: Meeting) -> QuerySet[Question]:
    return Question.objects.filter(meeting=meeting).order_by("created_at", "id")


def attendance_of(meeting: Meeting) -> dict[int, bool]:
    """Who was recorded as there ({user id: attended}). One query."""
    return dict(Attendance.objects.filter(meeting=meeting).values_list("user_id", "attended"))


@dataclass(frozen=True)
class RotaLine:
    place: SetMember
    presented: int
    last_presented_at: datetime | None
    booked: int


def rota(learning_set: LearningSet, now: datetime | None = None) -> list[RotaLine]:
    """The members (not a facilitator who only facilitates) with an accepted place, in the order the rota suggests
    they present: whoever presented least, then whoever presented longest ago (never first), then by name. Meetings
    booked ahead with a presenter count as turns taken, so booking three meetings suggests three people. One
    query."""
    now = now or timezone.now()
    theirs = live_meetings(learning_set).filter(presenter=OuterRef("user_id"))

    def count(meetings: QuerySet[Meeting]) -> Coalesce:
        return Coalesce(Subquery(
            meetings.order_by().values("presenter").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ), Value(0))

    places = (
        accepted_places().filter(learning_set=learning_set, is_member=True).select_related("user")
        .annotate(
            presented=count(theirs.filter(starts_at__lte=now)),
            booked=count(theirs.filter(starts_at__gt=now)),
            last_presented_at=Subquery(
                theirs.order_by().values("presenter").annotate(last=Max("starts_at")).values("last")[:1],
                output_field=DateTimeField(),
            ),
        )
        .order_by(
            (F("presented") + F("booked")).asc(), F("last_presented_at").asc(nulls_first=True),
            Lower("user__full_name"), "id",
        )
    )
    return [RotaLine(place=p, presented=p.presented, last_presented_at=p.last_presented_at, booked=p.booked)
            for p in places]


def rota_suggestion(learning_set: LearningSet, now: datetime | None = None) -> User | None:
    lines = rota(learning_set, now)
    return lines[0].place.user if lines else None


def is_accepted_member(user: User, learning_set: LearningSet) -> bool:
    return accepted_places().filter(user=user, learning_set=learning_set).exists()


def own_attended(user: User) -> QuerySet[Attendance]:
    """`user`'s own attended meetings (not cancelled), with the meeting and set: their CPD."""
    return (
        Attendance.objects.filter(user=user, attended=True, meeting__cancelled_at__isnull=True)
        .select_related("meeting__learning_set").order_by("meeting__starts_at", "id")
    )


# --- Admins: counts and dates, never content


def sets_for_admin() -> QuerySet[LearningSet]:
    """Every set with its facilitator's name (`has_facilitator` false when nobody facilitates: their account was
    closed, or they declined), how many members have accepted and are invited, meetings held and
    booked, and attendances recorded: numbers and dates only. One query."""
    now = timezone.now()
    open_ = Q(members__ended_at__isnull=True, members__user__is_active=True)
    facilitator = open_places().filter(learning_set=OuterRef("pk"), is_facilitator=True)
    return (
        LearningSet.objects.annotate(
            member_count=Count("members", filter=open_ & Q(members__accepted_at__isnull=False), distinct=True),
            invited_count=Count("members", filter=open_ & Q(members__accepted_at__isnull=True), distinct=True),
            facilitator_name=Subquery(facilitator.values("user__full_name")[:1]),
            has_facilitator=Exists(facilitator),
            held_count=Subquery(
                Meeting.objects.filter(learning_set=OuterRef("pk"), cancelled_at__isnull=True, starts_at__lte=now)
                .order_by().values("learning_set").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            next_starts_at=Subquery(
                Meeting.objects.filter(learning_set=OuterRef("pk"), cancelled_at__isnull=True, starts_at__gt=now)
                .order_by("starts_at").values("starts_at")[:1]
            ),
            attended_count=Subquery(
                Attendance.objects.filter(meeting__learning_set=OuterRef("pk"), attended=True,
                                          meeting__cancelled_at__isnull=True)
                .order_by().values("meeting__learning_set").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
        )
        .order_by(Lower("name"), "id")
    )


def set_outline_for_admin(pk: int) -> tuple[LearningSet, list[SetMember], list[Meeting]]:
    """A set for an admin: its people (open and past places) and its meetings' dates with attendance counts. Only
    columns that carry no content are read (`only`), so a brief, a question or an action never leaves the
    database for this page. Three queries; Http404 for a missing set."""
    learning_set = LearningSet.objects.select_related("team").filter(pk=pk).first()
    if learning_set is None:
        raise Http404
    people = list(
        SetMember.objects.filter(learning_set=learning_set).select_related("user")
        .order_by(F("ended_at").asc(nulls_first=True), F("is_facilitator").desc(), Lower("user__full_name"), "id")
    )
    meetings = list(
        Meeting.objects.filter(learning_set=learning_set)
        .only("id", "learning_set_id", "starts_at", "minutes", "cancelled_at", "attendance_recorded_at")
        .annotate(
            attended_count=Count("attendance", filter=Q(attendance__attended=True)),
            recorded_count=Count("attendance"),
        )
        .order_by("starts_at", "id")
    )
    return learning_set, people, meetings

