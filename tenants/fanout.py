"""One beat entry, many organisations: send a named task into every active organisation's schema.

Beat sends `tenants.fan_out` (which runs in public) every minute; it sends one task per active organisation
(suspended, pending, template and spare schemas get nothing). Tasks are named, not imported, so the tenants
app never depends on the apps whose work it fans out.
"""

from __future__ import annotations

from celery import current_app, shared_task
from django_tenants.utils import schema_context

from .models import Organisation


def active_schemas() -> list[str]:
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.ORGANISATION, status=Organisation.Status.ACTIVE)
        .order_by("id").values_list("schema_name", flat=True)
    )


@shared_task(name="tenants.fan_out", public_ok=True)
def fan_out(task_name: str) -> int:
    task = current_app.tasks[task_name]
    schemas = active_schemas()
    for schema in schemas:
        with schema_context(schema):
            task.apply_async(expires=300)
    return len(schemas)
