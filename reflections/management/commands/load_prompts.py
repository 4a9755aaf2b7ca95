"""Upsert the shipped prompts (reflections/content/prompts.yaml) into one schema.

Run it in every schema after a content change: `manage.py all_tenants_command load_prompts`, or in one:
`manage.py tenant_command load_prompts --schema=tenant_template`.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from reflections.services.prompts import prompts_load


class Command(BaseCommand):
    help = "Load the shipped reflection prompts into the current schema (upsert by slug)."

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.schema_name == "public":
            self.stderr.write("Prompts live inside organisations: use tenant_command or all_tenants_command.")
            return
        count = prompts_load()
        self.stdout.write(f"{count} prompts loaded into {connection.schema_name}.")
