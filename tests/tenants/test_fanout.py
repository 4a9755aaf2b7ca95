"""One beat entry reaches every active organisation, each in its own schema, through a real worker."""

from celery import shared_task
from django.db import connection
from django_tenants.utils import tenant_context

from people.models import User
from tenants.fanout import fan_out
from tests.conftest import worker_drained


@shared_task(name="tests.record_schema_visit")
def _visit() -> None:
    User.objects.create_user(email=f"visit-{connection.schema_name}@example.org")


def test_fan_out_sends_the_task_into_every_active_organisation(celery_worker, alpha, beta):
    beta.status = "suspended"
    beta.save()
    try:
        connection.set_schema_to_public()
        assert fan_out.delay("tests.record_schema_visit").get(timeout=20) >= 1
        worker_drained()  # every task the fan-out queued has run
        with tenant_context(alpha):
            assert User.objects.filter(email=f"visit-{alpha.schema_name}@example.org").exists()
        with tenant_context(beta):
            assert not User.objects.filter(email__startswith="visit-").exists()  # suspended: nothing
    finally:
        beta.status = "active"
        beta.save()
