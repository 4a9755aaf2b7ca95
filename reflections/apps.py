from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class ReflectionsConfig(AppConfig):
    name = "reflections"
    verbose_name = "Reflections"

    def ready(self) -> None:
        from django_tenants.models import TenantMixin
        from django_tenants.signals import post_schema_sync

        post_schema_sync.connect(seed_template_schema, sender=TenantMixin, dispatch_uid="reflections-seed-prompts")


def seed_template_schema(sender: Any, tenant: Any, **kwargs: Any) -> None:
    """Load the shipped prompts into the template schema, so every organisation cloned from it has them."""
    from django.conf import settings
    from django_tenants.utils import schema_context

    if getattr(tenant, "schema_name", None) != settings.TENANT_BASE_SCHEMA:
        return
    from .services import prompts_load

    with schema_context(tenant.schema_name):
        prompts_load()
