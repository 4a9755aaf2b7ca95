"""Password rules of Heartwood that Django's own validators do not cover.

Registered in AUTH_PASSWORD_VALIDATORS, so every way a password is chosen (accepting an invitation, changing or
resetting it through allauth, the admin) goes through them. `people` never imports `tenants`: the organisation
is the one the connection is in (`connection.tenant`), or, at provider sign-up where it does not exist yet, the
name and web address the form was given.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import get_public_schema_name, get_tenant_model

# A password made of the organisation's name plus a few characters ("oakfieldcare2024!", "oakfieldoakfield") is
# guessed as easily as the name itself; one with the name inside a longer passphrase is not.
_EXTRA_CHARACTERS = 4
_MAX_SIMILARITY = 0.8
_MIN_WORD = 3

MESSAGE = (
    "This password is too like your organisation's name or web address, which anyone could guess. "
    "Choose something that has nothing to do with where you work."
)


def _letters(value: str) -> str:
    return "".join(character for character in value.casefold() if character.isalnum())


def _too_like(password: str, word: str) -> bool:
    if len(word) < _MIN_WORD:
        return False
    # The name (once or repeated) with at most a few characters around it.
    if word in password and len(password.replace(word, "")) <= _EXTRA_CHARACTERS:
        return True
    return SequenceMatcher(a=password, b=word).ratio() >= _MAX_SIMILARITY


def validate_password_not_like_organisation(password: str, *, names: Iterable[str]) -> None:
    """Raise ValidationError when `password` equals, or is very like, any of `names` (an organisation's name and
    its web addresses, full or just the subdomain)."""
    typed = _letters(password)
    for name in names:
        words = {_letters(name), _letters(name.split(".", 1)[0])}
        if any(_too_like(typed, word) for word in words if word):
            raise ValidationError(MESSAGE, code="password_too_like_organisation")


def _current_organisation_names() -> list[str]:
    if connection.schema_name == get_public_schema_name():
        return []
    tenant = getattr(connection, "tenant", None)
    if not hasattr(tenant, "domains"):
        # schema_context() (commands, tasks) knows only the schema's name: find its organisation.
        tenant = get_tenant_model().objects.filter(schema_name=connection.schema_name).first()
        if tenant is None:
            return []
    return [tenant.name, *tenant.domains.values_list("domain", flat=True)]


class OrganisationSimilarityValidator:
    """Refuses a password that is the organisation's name or web address, or very like them."""

    def validate(self, password: str, user: Any = None) -> None:
        validate_password_not_like_organisation(password, names=_current_organisation_names())

    def get_help_text(self) -> str:
        return "Your password can't be like your organisation's name or web address."
