"""The base class of every Heartwood task."""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection
from django_tenants.utils import get_public_schema_name
from tenant_schemas_celery.task import TenantTask

from people.relays import BROKER_UNREACHABLE

logger = logging.getLogger(__name__)


class NoTenantError(RuntimeError):
    """A tenant task was sent, or started, outside any organisation."""


class HeartwoodTask(TenantTask):
    """Runs in the schema it was sent from, and refuses to run in `public` unless it says it may.

    A task sent with no tenant would otherwise run in `public` silently, where the shared tables hold the
    platform operators' accounts. Tasks that really belong to the platform set `public_ok = True`.
    """

    abstract = True
    public_ok = False
    # True when the work is already recorded in the database and a periodic relay picks up whatever was not
    # sent: then an unreachable broker must not fail the web request that queued it.
    relayed = False

    def _refuse_public(self, schema_name: str | None) -> None:
        if not self.public_ok and schema_name in (None, get_public_schema_name()):
            raise NoTenantError(
                f"Task {self.name} needs an organisation: send it inside a tenant "
                "(django_tenants.utils.tenant_context) or mark the task public_ok."
            )

    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        headers = options.get("headers") or {}
        self._refuse_public(headers.get("_schema_name", connection.schema_name))
        try:
            return super().apply_async(args, kwargs, **options)
        except BROKER_UNREACHABLE:
            if not self.relayed:
                raise
            logger.warning("Broker unreachable: %s will be sent by its database relay", self.name)
            return None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # tenant-schemas-celery has switched the connection in task_prerun by now.
        self._refuse_public(connection.schema_name)
        return super().__call__(*args, **kwargs)
