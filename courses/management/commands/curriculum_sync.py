"""Bring the shipped curriculum up to date in every organisation schema (the template too, public excluded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django_tenants.utils import get_tenant_model, schema_context

from courses.loader import DEFAULT_PROGRAMME_DIR, SyncResult, curriculum_sync

BAR_WIDTH = 24


def progress_bar(done: int, total: int) -> str:
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    return f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total}"


class Command(BaseCommand):
    help = "Update shipped modules and lessons (by slug and version) in every organisation, keeping progress."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--content", type=Path, default=DEFAULT_PROGRAMME_DIR, help="The programme folder to load."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection.set_schema_to_public()
        schemas = list(
            get_tenant_model().objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)
            .order_by("pk").values_list("schema_name", flat=True)
        )
        total = SyncResult()
        quiet = options["verbosity"] == 0
        if not quiet:
            self.stdout.write(f"Syncing the curriculum into {len(schemas)} schema{'s' if len(schemas) != 1 else ''}.")
        for index, schema_name in enumerate(schemas, start=1):
            with schema_context(schema_name):
                result = curriculum_sync(options["content"])
            total = total + result
            if not quiet:
                self.stdout.write(f"{progress_bar(index, len(schemas))} {schema_name}: {result}")
        if not quiet:
            self.stdout.write(self.style.SUCCESS(f"Done: {total}."))
