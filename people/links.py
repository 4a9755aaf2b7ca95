"""Absolute URLs: the one place that knows how a host becomes a link (scheme, base domain, local port).

It lives in `people`, the base app, so every app can build links without importing `tenants` (DESIGN.md's import
direction). Emails sent from tasks have no request, so their links are built from the organisation's primary domain.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection


def _absolute(host: str, path: str) -> str:
    if settings.SITE_PORT:
        host = f"{host}:{settings.SITE_PORT}"
    return f"{settings.SITE_SCHEME}://{host}{path}"


def public_url(path: str = "/") -> str:
    """A page of the public site (landing, sign-up, the operator console)."""
    return _absolute(settings.BASE_DOMAIN, path)


def subdomain_url(subdomain: str, path: str = "/") -> str:
    """A page of the organisation at `<subdomain>.<BASE_DOMAIN>` (sign-up knows the subdomain before the row)."""
    return _absolute(f"{subdomain}.{settings.BASE_DOMAIN}", path)


def organisation_url(organisation: Any, path: str = "/") -> str:
    """A page of `organisation`, at its primary domain."""
    domain = organisation.get_primary_domain()
    return _absolute(domain.domain if domain else settings.BASE_DOMAIN, path)


def current_organisation_url(path: str = "/") -> str:
    """A page of the organisation the database connection is in (for tasks and services, which have no request)."""
    return organisation_url(connection.tenant, path)
