"""Writes on people. Run inside the organisation's schema."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from .models import User


@transaction.atomic
def user_create(
    *, email: str, full_name: str, roles: list[str], password: str | None = None, verified: bool = False,
    is_staff: bool = False, is_superuser: bool = False,
) -> User:
    """Create a person and their allauth email record (verified when we know the address is theirs)."""
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, roles=sorted(set(roles)),
        is_staff=is_staff, is_superuser=is_superuser,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    return user
