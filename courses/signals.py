"""Seed schemas with the shipped curriculum, so every organisation starts with it.

- The template schema (settings.TENANT_BASE_SCHEMA) is seeded when it is created and brought up to date whenever
  it is migrated; organisations and spares are cloned from it with its data.
- Any other schema that is migrated while holding no shipped programme at all (an organisation created before
  the curriculum existed) is filled once. Updating organisations that already have it is `curriculum_sync`'s job.

courses never imports tenants (see DESIGN.md): it listens to django-tenants' own signals.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.dispatch import receiver
from django_tenants.signals import post_schema_sync, schema_migrated
from django_tenants.utils import schema_context

logger = logging.getLogger(__name__)


def schema_seed(schema_name: str) -> None:
    from .loader import curriculum_sync
    from .models import Programme, Source

    if schema_name == settings.PUBLIC_SCHEMA_NAME:
        return
    with schema_context(schema_name):
        try:
            # A savepoint: a schema whose courses tables are not there yet must not break the caller's transaction.
            with transaction.atomic():
                if schema_name != settings.TENANT_BASE_SCHEMA and Programme.objects.filter(
                    source=Source.SHIPPED
                ).exists():
                    return
                result = curriculum_sync()
        except DatabaseError:
            logger.warning("Could not seed the curriculum into %s", schema_name, exc_info=True)
            return
    logger.info("Curriculum in %s: %s", schema_name, result)


@receiver(post_schema_sync, dispatch_uid="courses_seed_after_create")
def seed_after_create(sender: Any, tenant: Any, **kwargs: Any) -> None:
    if tenant.schema_name == settings.TENANT_BASE_SCHEMA:
        schema_seed(tenant.schema_name)


@receiver(schema_migrated, dispatch_uid="courses_seed_after_migrate")
def seed_after_migrate(sender: Any, schema_name: str, **kwargs: Any) -> None:
    schema_seed(schema_name)
