"""A new tenant migration for the migration bench and tests, without touching the app's real migrations.

`extra_migration_package` copies an app's migrations into a package of its own (under a directory the caller
puts on sys.path) and adds one migration after the app's last: a column and an index on the journal entry table,
the busiest table an organisation has. Point settings.MIGRATION_MODULES at the answered module name and the
migration graph has one more tenant migration to apply, exactly as a deploy would bring one.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

APP = "reflections"
TABLE = "reflections_journalentry"
FIELD = "bench_marker"
INDEX = "reflections_bench_marker_idx"
NAME = "0900_bench_marker"

_MIGRATION = '''from django.db import migrations, models
{imports}

class Migration(migrations.Migration):
    dependencies = [("{app}", "{leaf}")]
    operations = [
        migrations.AddField("journalentry", "{field}", models.CharField(max_length=40, blank=True, default="")),
        migrations.AddIndex("journalentry", models.Index(fields=["author", "{field}"], name="{index}")),{python}
    ]
'''
_PYTHON = '''

def forwards(apps, schema_editor):
    apps.get_model("reflections", "JournalEntry").objects.update(bench_marker="set by Python")
'''


def extra_migration_package(directory: Path, *, python: bool = False) -> str:
    """Write the package under `directory` (put on sys.path here) and answer its module name.

    With `python`, the migration also runs a RunPython step (it cannot be replayed as SQL).
    """
    from django.db.migrations.loader import MigrationLoader

    leaf = max(name for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()
               if app == APP)
    source = Path(__import__(f"{APP}.migrations", fromlist=["_"]).__file__).parent
    module = f"hw_extra_{APP}_migrations{'_python' if python else ''}"
    target = directory / module
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for path in source.glob("*.py"):
        shutil.copy(path, target / path.name)
    (target / f"{NAME}.py").write_text(_MIGRATION.format(
        app=APP, leaf=leaf, field=FIELD, index=INDEX,
        imports=_PYTHON if python else "",
        python="\n        migrations.RunPython(forwards, migrations.RunPython.noop)," if python else "",
    ))
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))
    return module


def extra_migration_undo_sql(schemas: list[str]) -> str:
    """SQL that takes the extra migration back out of every schema (its column, index and record)."""
    return "".join(
        f'ALTER TABLE IF EXISTS "{schema}".{TABLE} DROP COLUMN IF EXISTS {FIELD}; '
        f"DELETE FROM \"{schema}\".django_migrations WHERE app = '{APP}' AND name = '{NAME}'; "
        for schema in schemas
    )
