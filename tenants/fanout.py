"""One beat entry, many organisations: run a named task in every active organisation's schema.

Beat sends `tenants.fan_out` (which runs in public) every minute or five; it splits the active organisations
(suspended, pending, template and spare schemas get nothing) into batches of FAN_OUT_BATCH and sends one
`tenants.run_in_organisations` message per batch, which runs the task in each organisation of its batch in turn,
each in its own schema. Tasks are named, not imported, so the tenants app never depends on the apps whose work
it fans out.

Why batches: one message per organisation cost a broker round trip, a worker's task bookkeeping, an organisation
lookup and a connection check for each one — at 1,000 organisations beat's minute sent 1,000 prompt dispatches, and
one worker of concurrency 2 on a busy 2-core machine fell behind (4,544 dispatches expired unrun in bench/faults.py).
A batch pays that once. One organisation's failure is logged (with its id) and stops nothing: the rest of the
batch runs, and every fanned-out task is a tick that catches up at its next run.
"""

from __future__ import annotations

import logging

from celery import current_app, shared_task
from django.conf import settings
from django.db.models import QuerySet
from django_tenants.utils import tenant_context

from .models import Organisation

logger = logging.getLogger(__name__)


def _active() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.ORGANISATION, status=Organisation.Status.ACTIVE)


def active_schemas() -> list[str]:
    return list(_active().order_by("id").values_list("schema_name", flat=True))


@shared_task(name="tenants.fan_out", public_ok=True)
def fan_out(task_name: str) -> int:
    current_app.tasks[task_name]  # an unknown name fails here, in beat's task, not once per batch
    schemas = active_schemas()
    size = settings.FAN_OUT_BATCH
    for start in range(0, len(schemas), size):
        run_in_organisations.apply_async(args=[task_name, schemas[start:start + size]], expires=300)
    return len(schemas)


@shared_task(name="tenants.run_in_organisations", public_ok=True)
def run_in_organisations(task_name: str, schemas: list[str]) -> int:
    """Run `task_name` in each of these organisations that is still active, one after another; answers how many
    ran without an error."""
    task = current_app.tasks[task_name]
    ran = 0
    for organisation in _active().filter(schema_name__in=schemas).order_by("id"):
        try:
            with tenant_context(organisation):
                task()  # in this process, through the task's own checks (HeartwoodTask refuses public)
            ran += 1
        except Exception:
            logger.exception("%s failed in organisation %s; the rest of the batch goes on", task_name,
                             organisation.pk)
    return ran
