"""Writes on organisations. Everything here runs in the public schema."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django_tenants.utils import schema_exists

from .models import Domain, Organisation
from .urls_helpers import organisation_url


def new_schema_name() -> str:
    # Internal and never derived from user input: the subdomain lives only in the Domain row.
    return f"org_{secrets.token_hex(6)}"


def public_ensure() -> Organisation:
    """The public tenant (landing page, sign-up, operator console) and its domain."""
    public, _ = Organisation.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME,
        defaults={"name": "Heartwood", "kind": Organisation.Kind.PUBLIC},
    )
    Domain.objects.get_or_create(domain=settings.BASE_DOMAIN, defaults={"tenant": public, "is_primary": True})
    return public


def template_ensure() -> Organisation:
    """The migrated schema every new organisation is cloned from (TENANT_BASE_SCHEMA)."""
    template = Organisation.objects.filter(schema_name=settings.TENANT_BASE_SCHEMA).first()
    if template is None:
        template = Organisation(
            schema_name=settings.TENANT_BASE_SCHEMA, name="Template", kind=Organisation.Kind.TEMPLATE
        )
        template.save(verbosity=0)
    elif not schema_exists(template.schema_name):
        # The row survived but the schema did not (a reused test database): create it again.
        template.create_schema(check_if_exists=True, verbosity=0)
    return template


@transaction.atomic
def organisation_create(
    *, name: str, subdomain: str, time_zone: str = "Europe/London",
    status: str = Organisation.Status.ACTIVE,
) -> Organisation:
    """Create an organisation by cloning the template schema (no migrations run), with its domain."""
    organisation = Organisation(
        schema_name=new_schema_name(), name=name, time_zone=time_zone, status=status,
        kind=Organisation.Kind.ORGANISATION,
    )
    organisation.save(verbosity=0)
    Domain.objects.create(domain=f"{subdomain}.{settings.BASE_DOMAIN}", tenant=organisation, is_primary=True)
    return organisation


def organisation_subdomain(organisation: Organisation) -> str:
    domain = organisation.get_primary_domain()
    suffix = f".{settings.BASE_DOMAIN}"
    return domain.domain.removesuffix(suffix) if domain else ""


def organisation_home_url(organisation: Organisation, path: str = "/") -> str:
    return organisation_url(organisation_subdomain(organisation), path)
