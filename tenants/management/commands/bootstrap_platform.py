"""Ensure the public site, the template schema and the pool of spares exist (every deploy runs this after migrating)."""

from typing import Any

from django.core.management.base import BaseCommand

from tenants.services import public_ensure, spare_pool_refill, template_ensure


class Command(BaseCommand):
    help = "Create the public tenant, its domain and the template schema if they are missing."

    def handle(self, *args: Any, **options: Any) -> None:
        public_ensure()
        template = template_ensure()
        made = spare_pool_refill()  # beat keeps it topped up afterwards
        self.stdout.write(f"Spare pool: {made} ready spare schema(s) made.")
        self.stdout.write(f"Public site and template schema ({template.schema_name}) are ready.")
