from __future__ import annotations

import copy
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django_tenants.middleware.main import TenantMainMiddleware

from . import health
from .models import Organisation
from .routing import organisation_for_host

LIVENESS_PATHS = frozenset({"/livez", "/healthz"})
READINESS_PATH = "/readyz"


class ProbeMiddleware:
    """Answer the health probes before anything looks at the Host header.

    Load balancers and orchestrators probe by IP address (`Host: 10.0.0.5:8000`), which is neither an
    organisation nor in ALLOWED_HOSTS: routing would answer 400 and `request.get_host()` would raise
    DisallowedHost. So this comes first in MIDDLEWARE and reads only the path, for every Host.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path not in LIVENESS_PATHS and path != READINESS_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if path == READINESS_PATH:
            checks = health.readiness()
            ready = all(checks.values())
            response = JsonResponse(
                {"status": "ready" if ready else "unavailable",
                 "checks": {name: "ok" if ok else "unavailable" for name, ok in checks.items()}},
                status=200 if ready else 503,
            )
        else:
            response = JsonResponse({"status": "alive"})
        add_never_cache_headers(response)
        return response


class OrganisationMiddleware(TenantMainMiddleware):
    """Route each request to its organisation's schema, from a cached host map.

    Unknown hosts get a friendly page; a host whose organisation is a template or spare schema is unknown.
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return render(request, "tenants/unknown_host.html", status=400)

        organisation = organisation_for_host(hostname)
        if organisation is None or organisation.kind in (Organisation.Kind.TEMPLATE, Organisation.Kind.SPARE):
            connection.set_schema_to_public()
            return render(request, "tenants/unknown_host.html", {"hostname": hostname}, status=404)

        # The cached instance is shared by every request of this process: each request gets its own copy.
        organisation = copy.copy(organisation)
        organisation.domain_url = hostname
        request.tenant = organisation
        connection.set_tenant(organisation)
        self.setup_url_routing(request)
        if organisation.kind == Organisation.Kind.ORGANISATION and not organisation.is_active:
            return self._closed(request, organisation)
        return None

    @staticmethod
    def _closed(request: HttpRequest, organisation: Organisation) -> HttpResponse | None:
        """A suspended organisation shows one page on every path (sign-in refused, data kept); a pending one
        shows "we'll be in touch", but lets its admin confirm their email address while they wait."""
        path = request.path_info
        if path.startswith(settings.STATIC_URL):
            return None  # stylesheets for the page below (WhiteNoise comes after this middleware)
        if organisation.is_suspended:
            return render(request, "tenants/suspended.html", status=403)
        if path.startswith("/accounts/confirm-email/"):
            return None
        return render(request, "tenants/pending.html", status=403)
