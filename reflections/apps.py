from __future__ import annotations

import logging
from typing import Any

from django.apps import AppConfig

logger = logging.getLogger(__name__)


class ReflectionsConfig(AppConfig):
    name = "reflections"
    verbose_name = "Reflections"

    def ready(self) -> None:
        # reflections never imports tenants (see DESIGN.md): it listens to django-tenants' own signals and
        # recognises the template schema by its name (settings.TENANT_BASE_SCHEMA).
        from django_tenants.signals import post_schema_sync, schema_migrated

        post_schema_sync.connect(seed_after_create, dispatch_uid="reflections_seed_prompts_after_create")
        schema_migrated.connect(seed_after_migrate, dispatch_uid="reflections_seed_prompts_after_migrate")

        # What the home page shows from the journal (people.home: people cannot import reflections).
        from people.home import home_section_register

        from . import home_sections

        home_section_register("reflections.journal", home_sections.journal_news_section,
                              priority=home_sections.JOURNAL_NEWS_PRIORITY)
        home_section_register("reflections.mentoring", home_sections.mentoring_news_section,
                              priority=home_sections.MENTORING_NEWS_PRIORITY)
        home_section_register("reflections.prompts", home_sections.prompts_section,
                              priority=home_sections.PROMPTS_PRIORITY)


def template_seed(schema_name: str | None) -> None:
    """Load the shipped prompts into the template schema, so every organisation cloned from it has them."""
    from django.conf import settings
    from django_tenants.utils import schema_context

    if schema_name != settings.TENANT_BASE_SCHEMA:
        return
    from .services.prompts import prompts_load

    with schema_context(schema_name):
        count = prompts_load()
    logger.info("Prompts in %s: %s loaded", schema_name, count)


def seed_after_create(sender: Any, tenant: Any, **kwargs: Any) -> None:
    template_seed(getattr(tenant, "schema_name", None))


def seed_after_migrate(sender: Any, schema_name: str, **kwargs: Any) -> None:
    # Every deploy migrates the template: bring its prompts up to date too, so new organisations get them.
    template_seed(schema_name)
