"""Host -> organisation lookup, cached per process.

Stock django-tenants asks the database for the domain on every request. Here a process remembers each
host for TENANT_HOST_CACHE_SECONDS; saving or deleting a Domain or Organisation in this process forgets
everything at once, and other processes catch up within that window.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

from .models import Domain, Organisation

_lock = threading.Lock()
_hosts: dict[str, tuple[float, Organisation | None]] = {}


def forget_hosts() -> None:
    with _lock:
        _hosts.clear()


def organisation_for_host(hostname: str) -> Organisation | None:
    now = time.monotonic()
    cached = _hosts.get(hostname)
    if cached and cached[0] > now:
        return cached[1]
    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    organisation = domain.tenant if domain else None
    # An unknown host is remembered only briefly: it may be signed up a moment later (in another process, whose
    # save this process never hears about), and its new admin is redirected there at once.
    ttl = settings.TENANT_HOST_CACHE_SECONDS if organisation is not None else min(1, settings.TENANT_HOST_CACHE_SECONDS)
    with _lock:
        _hosts[hostname] = (now + ttl, organisation)
    return organisation
