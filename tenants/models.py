from __future__ import annotations

from django.db import models
from django_tenants.models import DomainMixin, TenantMixin


class Organisation(TenantMixin):
    """A care provider. Each one has its own PostgreSQL schema; its name never comes from user input."""

    class Kind(models.TextChoices):
        PUBLIC = "public", "Public site"
        TEMPLATE = "template", "Template schema"
        SPARE = "spare", "Ready spare"
        ORGANISATION = "organisation", "Organisation"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORGANISATION)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    time_zone = models.CharField(max_length=64, default="Europe/London")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    auto_create_schema = True
    auto_drop_schema = True

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.name or self.schema_name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED


class Domain(DomainMixin):
    """A host that serves an organisation: `<subdomain>.<BASE_DOMAIN>`."""

    def __str__(self) -> str:
        return self.domain
