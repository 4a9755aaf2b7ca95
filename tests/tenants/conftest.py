"""Fixtures for sign-up, the spare pool and the operator console (non-autouse)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from people.models import User
from people.services import user_create
from tenants.models import Organisation

OPERATOR_PASSWORD = "an-operator-password-77"


def org_schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'org\\_%'")
        return {name for (name,) in cursor.fetchall()}


@pytest.fixture
def operator(db) -> User:
    """A platform operator: a staff user of the public schema."""
    with schema_context("public"):
        return user_create(
            email="olu@operators.example", full_name="Olu Operator", roles=[], password=OPERATOR_PASSWORD,
            verified=True, is_staff=True,
        )


@pytest.fixture
def no_spares(django_db_blocker) -> Iterator[None]:
    """Committed spares (made by live tests or a real worker) are dropped afterwards: other tests expect none."""
    yield
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for spare in Organisation.objects.filter(kind=Organisation.Kind.SPARE):
            spare.delete(force_drop=True)


@pytest.fixture
def empty_pool(db) -> None:
    """No ready spare when the test starts, whatever an earlier test's late refill left committed (dropped inside
    this test's transaction, so the rollback puts them back)."""
    connection.set_schema_to_public()
    for spare in Organisation.objects.filter(kind=Organisation.Kind.SPARE):
        spare.delete(force_drop=True)
