"""Life in the demo organisation: every app that has demo data seeds its own.

The hook: an app that wants demo data has a `demo.py` module with

    def seed(*, people: dict[str, User]) -> None

`people` holds the demo organisation's people by part: "admin", "leader" and "mentor" (the leader has the mentor
as a current mentor). `demo_seed` calls each app's `seed` inside the demo organisation's schema, in
INSTALLED_APPS order (so `courses` runs before `reflections`, as the import rules in DESIGN.md run), each in one
transaction. Apps are found through the app registry, as the Django admin finds `admin.py`: tenants never imports
courses or reflections, and a later feature adds its demo data by adding its own `demo.py`.

What a seeder must do: use its app's services (so the data obeys every rule), write warm, clearly fictional
words, and change nothing when run again (check for its own data first). Back-dating what the services stamp
"now" with an update afterwards is fine. Never called outside `make run` (bootstrap_demo refuses without DEBUG).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import module_has_submodule
from django_tenants.utils import tenant_context

from people.models import User
from tenants.models import Organisation

Seeder = Callable[..., None]


def demo_seeders() -> list[tuple[str, Seeder]]:
    """(app label, seed) for every installed app with a `demo.py`, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "demo"):
            found.append((config.label, import_module(f"{config.name}.demo").seed))
    return found


def demo_seed(*, organisation: Organisation, people: dict[str, User]) -> list[str]:
    """Run every app's demo seeder in `organisation`; returns the labels of the apps that have one."""
    labels = []
    with tenant_context(organisation):
        for label, seed in demo_seeders():
            with transaction.atomic():
                seed(people=people)
            labels.append(label)
    return labels
