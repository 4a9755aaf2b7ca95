"""Seed the template schema with the shipped curriculum, so every organisation cloned from it starts with it.

courses never imports tenants (see DESIGN.md): it listens to django-tenants' own signals and recognises the
template by its schema name (settings.TENANT_BASE_SCHEMA).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django_tenants.signals import post_schema_sync, schema_migrated
from django_tenants.utils import schema_context

logger = logging.getLogger(__name__)


def template_seed(schema_name: str) -> None:
    from .loader import curriculum_sync

    if schema_name != settings.TENANT_BASE_SCHEMA:
        return
    with schema_context(schema_name):
        result = curriculum_sync()
    logger.info("Curriculum in %s: %s", schema_name, result)


@receiver(post_schema_sync, dispatch_uid="courses_seed_template_after_create")
def seed_after_create(sender: Any, tenant: Any, **kwargs: Any) -> None:
    template_seed(tenant.schema_name)


@receiver(schema_migrated, dispatch_uid="courses_seed_template_after_migrate")
def seed_after_migrate(sender: Any, schema_name: str, **kwargs: Any) -> None:
    # Every deploy migrates the template: bring its curriculum up to date too, so new organisations get it.
    template_seed(schema_name)
