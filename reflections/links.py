"""Absolute links into the current organisation, for emails sent from tasks (which have no request)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def organisation_link(path: str = "") -> str:
    """`http(s)://<organisation host>[:port]<path>` for the organisation the connection is in."""
    domain = connection.tenant.get_primary_domain()
    host = domain.domain if domain else settings.BASE_DOMAIN
    if settings.SITE_PORT:
        host = f"{host}:{settings.SITE_PORT}"
    return f"{settings.SITE_SCHEME}://{host}{path}"
