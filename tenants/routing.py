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
    with _lock:
        _hosts[hostname] = (now + settings.TENANT_HOST_CACHE_SECONDS, organisation)
    return organisation
