"""Reads on organisations for the operator console (public schema)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from .models import Organisation


def organisations_for_console(*, search: str = "") -> QuerySet[Organisation]:
    """Real organisations (never the public site, the template or spares), newest first."""
    organisations = (
        Organisation.objects.filter(kind=Organisation.Kind.ORGANISATION)
        .prefetch_related("domains").order_by("-created_at", "-pk")
    )
    search = search.strip()
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(domains__domain__icontains=search)
        ).distinct()
    return organisations


@dataclass(frozen=True)
class Membership:
    members: int
    last_activity: datetime | None


def membership_of(organisations: list[Organisation]) -> dict[int, Membership]:
    """Member count and last sign-in of each organisation: one small query per organisation, in its own schema.

    Counts only: the console never reads what people wrote. Never one query across schemas (it once was a
    UNION ALL): with Citus schema-based sharding each organisation's schema may live on another node, and a
    statement that touches one schema goes straight to that node (docs/scale-out.md; tests/test_citus_ready.py
    checks every request). A console page shows at most CONSOLE_PAGE_SIZE organisations, so this is bounded.
    Schema names are internal (`org_<hex>`), quoted anyway.
    """
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for org in organisations:
            cursor.execute(
                f"SELECT count(*) FILTER (WHERE is_active), max(last_login) FROM {quote(org.schema_name)}.people_user"
            )
            count, last = cursor.fetchone()
            found[org.pk] = Membership(members=count, last_activity=last)
    return found


def subdomain_of(organisation: Organisation) -> str:
    """From prefetched domains (no query when `domains` was prefetched)."""
    suffix = f".{settings.BASE_DOMAIN}"
    domains = list(organisation.domains.all())
    primary = next((d for d in domains if d.is_primary), domains[0] if domains else None)
    return primary.domain.removesuffix(suffix) if primary else ""
