"""The base class of every Heartwood task."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django_tenants.utils import get_public_schema_name
from tenant_schemas_celery.task import TenantTask


class NoTenantError(RuntimeError):
    """A tenant task was sent, or started, outside any organisation."""


class HeartwoodTask(TenantTask):
    """Runs in the schema it was sent from, and refuses to run in `public` unless it says it may.

    A task sent with no tenant would otherwise run in `public` silently, where the shared tables hold the
    platform operators' accounts. Tasks that really belong to the platform set `public_ok = True`.
    """

    abstract = True
    public_ok = False

    def _refuse_public(self, schema_name: str | None) -> None:
        if not self.public_ok and schema_name in (None, get_public_schema_name()):
            raise NoTenantError(
                f"Task {self.name} needs an organisation: send it inside a tenant "
                "(django_tenants.utils.tenant_context) or mark the task public_ok."
            )

    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        headers = options.get("headers") or {}
        self._refuse_public(headers.get("_schema_name", connection.schema_name))
        return super().apply_async(args, kwargs, **options)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # tenant-schemas-celery has switched the connection in task_prerun by now.
        self._refuse_public(connection.schema_name)
        return super().__call__(*args, **kwargs)
