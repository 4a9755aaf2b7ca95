"""Tasks run in the organisation they were sent from, through a real worker; no tenant, no run."""

import pytest
from celery import shared_task
from django.db import connection
from django_tenants.utils import tenant_context

from config.celery_task import NoTenantError
from people.models import User


@shared_task
def _record_schema(email: str) -> str:
    User.objects.create_user(email=email, password=None)
    return connection.schema_name


def test_task_from_a_runs_and_writes_only_in_a(celery_worker, alpha, beta):
    with tenant_context(alpha):
        result = _record_schema.delay("made-by-task@example.org")
    assert result.get(timeout=10) == alpha.schema_name
    with tenant_context(alpha):
        assert User.objects.filter(email="made-by-task@example.org").exists()
    with tenant_context(beta):
        assert not User.objects.filter(email="made-by-task@example.org").exists()
    assert not User.objects.filter(email="made-by-task@example.org").exists()  # public


def test_task_sent_without_a_tenant_is_refused(celery_worker):
    connection.set_schema_to_public()
    with pytest.raises(NoTenantError):
        _record_schema.delay("nobody@example.org")


def test_task_that_reaches_the_worker_without_a_tenant_fails(celery_worker):
    from config.celery_app import app

    connection.set_schema_to_public()
    result = app.send_task(_record_schema.name, args=["sneaky@example.org"])
    with pytest.raises(NoTenantError):
        result.get(timeout=10)
    assert not User.objects.filter(email="sneaky@example.org").exists()
