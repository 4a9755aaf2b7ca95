"""Reads about people that carry a rule. Run inside the organisation's schema."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Window
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .home import welcome_steps_registered
from .models import Invitation, MentorPairing, OrganisationSettings, Role, User
from .relays import RELAY_AFTER


def members() -> QuerySet[User]:
    """Everyone who belongs to the organisation, active or not. Staff users are platform operators, who live in the
    public schema and never belong to an organisation."""
    return User.objects.filter(is_staff=False)


def access_member_by_id(pk: int) -> User:
    """A member of the organisation (active or not), for its admins; one 404 for missing and for a platform
    operator's id alike."""
    return get_object_or_404(members(), pk=pk)


def active_members() -> QuerySet[User]:
    """The one definition of who counts as a member now: not deactivated, not a platform operator."""
    return members().filter(is_active=True)


def current_pairings(on: date | None = None) -> QuerySet[MentorPairing]:
    """Pairings in force on `on` (today): started, and not yet ended. A pairing ending today has ended."""
    on = on or timezone.localdate()
    return MentorPairing.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=on), starts_on__lte=on,
        leader__is_active=True, mentor__is_active=True,
    )


def current_mentors_of(leader: User, on: date | None = None) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=current_pairings(on).filter(leader=leader).values("mentor_id")
    ).order_by("full_name", "email")


def current_mentees_of(mentor: User, on: date | None = None) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=current_pairings(on).filter(mentor=mentor).values("leader_id")
    ).order_by("full_name", "email")


def is_current_mentor(*, mentor: User, leader: User, on: date | None = None) -> bool:
    return current_pairings(on).filter(mentor=mentor, leader=leader).exists()


# --- Management (admins only; views check the role)


def members_list(*, search: str = "", role: str = "", status: str = "") -> QuerySet[User]:
    """People of the organisation for the member list, filtered by name/email search and role."""
    found = members().order_by("full_name", "email")
    search = search.strip()
    if search:
        found = found.filter(
            Q(full_name__icontains=search) | Q(email__icontains=search) | Q(username__icontains=search)
        )
    if role in Role.values:
        found = found.filter(roles__contains=[role])
    if status == "active":
        found = found.filter(is_active=True)
    elif status == "inactive":
        found = found.filter(is_active=False)
    return found.only("id", "email", "username", "full_name", "roles", "is_active", "date_joined", "last_login")


def invitations_list(*, state: str = "waiting") -> QuerySet[Invitation]:
    invitations = Invitation.objects.select_related("invited_by").order_by("-created", "-id")
    now = timezone.now()
    if state == "waiting":
        invitations = invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires__gt=now)
    elif state == "expired":
        invitations = invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires__lte=now)
    elif state == "accepted":
        invitations = invitations.filter(accepted_at__isnull=False)
    elif state == "revoked":
        invitations = invitations.filter(revoked_at__isnull=False)
    return invitations


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to (whatever its state), found by the token's hash."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("invited_by").filter(token_hash=Invitation.hash_token(token)).first()


def pairings_list(*, include_ended: bool = False, on: date | None = None) -> QuerySet[MentorPairing]:
    on = on or timezone.localdate()
    pairings = MentorPairing.objects.select_related("leader", "mentor").order_by(
        "leader__full_name", "mentor__full_name", "-starts_on"
    )
    if not include_ended:
        pairings = pairings.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
    return pairings


def people_with_role(role: str) -> QuerySet[User]:
    """Active members who hold `role`, in name order (the pairing form offers only these)."""
    return active_members().filter(roles__contains=[role]).order_by("full_name", "email")


def mentors_with_leader_counts(on: date | None = None) -> QuerySet[User]:
    """Active mentors, each with `leader_count`: the leaders paired with them now or from a later start, not yet
    ended. The count is part of the one query that lists them."""
    on = on or timezone.localdate()
    not_ended = Q(mentee_pairings__ends_on__isnull=True) | Q(mentee_pairings__ends_on__gt=on)
    return people_with_role(Role.MENTOR).annotate(
        leader_count=Count(
            "mentee_pairings__leader", filter=not_ended & Q(mentee_pairings__leader__is_active=True), distinct=True,
        )
    )


def pairings_of(person: User) -> QuerySet[MentorPairing]:
    """Every pairing a person has been in, as leader or as mentor, ended ones included (the history is kept)."""
    return (
        MentorPairing.objects.filter(Q(leader=person) | Q(mentor=person))
        .select_related("leader", "mentor").order_by("-starts_on", "-id")
    )


def organisation_settings() -> OrganisationSettings:
    """The organisation's settings; defaults when the row has not been written yet."""
    return OrganisationSettings.objects.filter(singleton=1).first() or OrganisationSettings()


def welcome_checklist(user: User | None = None) -> dict[str, bool]:
    """The admin's first steps, each True once done. Steps other apps know the answer to ("take your first lesson")
    come through `people.home.welcome_step_register`, asked about `user`."""
    steps = {
        "invited": Invitation.objects.exists() or members().count() > 1,
        "paired": MentorPairing.objects.exists(),
    }
    if user is not None:
        for key, check in welcome_steps_registered().items():
            steps[key] = check(user)
    return steps


INVITATION_NUDGE_AFTER = timedelta(days=7)


def invitations_to_resend(limit: int = 5) -> tuple[list[Invitation], int]:
    """Invitations nobody has taken up a week after they went (or whose link has run out): the first `limit`,
    oldest first, and how many there are. One query."""
    shown = list(
        Invitation.objects.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, created__lte=timezone.now() - INVITATION_NUDGE_AFTER,
        ).annotate(total=Window(Count("id"))).order_by("created", "id")[:limit]
    )
    return shown, (shown[0].total if shown else 0)


def invitations_never_sent(limit: int = 500) -> list[int]:
    """Waiting invitations whose email never went (Redis was down when they were made): ids, oldest first."""
    now = timezone.now()
    return list(
        Invitation.objects.filter(
            sent_at__isnull=True, accepted_at__isnull=True, revoked_at__isnull=True, expires__gt=now,
            created__lt=now - RELAY_AFTER,
        ).order_by("created", "id").values_list("id", flat=True)[:limit]
    )
