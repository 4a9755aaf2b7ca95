"""Reads about people that carry a rule. Run inside the organisation's schema."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import MentorPairing, User


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
