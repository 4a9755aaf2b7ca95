"""Ensure the public site and the template schema exist (every deploy runs this after migrating)."""

from typing import Any

from django.core.management.base import BaseCommand

from tenants.services import public_ensure, template_ensure


class Command(BaseCommand):
    help = "Create the public tenant, its domain and the template schema if they are missing."

    def handle(self, *args: Any, **options: Any) -> None:
        public_ensure()
        template = template_ensure()
        self.stdout.write(f"Public site and template schema ({template.schema_name}) are ready.")
