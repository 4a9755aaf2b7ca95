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
    """Member count and last sign-in of each organisation, in ONE query however many there are (one page).

    Counts only: the console never reads what people wrote. Schema names are internal (`org_<hex>`), quoted
    anyway.
    """
    if not organisations:
        return {}
    quote = connection.ops.quote_name
    parts = [
        f"SELECT %s, count(*) FILTER (WHERE is_active), max(last_login) FROM {quote(org.schema_name)}.people_user"
        for org in organisations
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [org.pk for org in organisations])
        return {pk: Membership(members=count, last_activity=last) for pk, count, last in cursor.fetchall()}


def subdomain_of(organisation: Organisation) -> str:
    """From prefetched domains (no query when `domains` was prefetched)."""
    suffix = f".{settings.BASE_DOMAIN}"
    domains = list(organisation.domains.all())
    primary = next((d for d in domains if d.is_primary), domains[0] if domains else None)
    return primary.domain.removesuffix(suffix) if primary else ""
