"""Settings for the migration bench's child processes: development settings, plus the extra migration when the
bench names its package (BENCH_EXTRA_MIGRATIONS, see bench/_migration_extra.py)."""

import os

from config.settings.dev import *  # noqa: F403

if os.environ.get("BENCH_EXTRA_MIGRATIONS"):
    MIGRATION_MODULES = {"reflections": os.environ["BENCH_EXTRA_MIGRATIONS"]}
