"""`migrate_schemas` at a thousand organisations: Heartwood's executor beside stock django-tenants, in one run.

    .venv/bin/python -m config.devrunner exec .venv/bin/python bench/migrations.py   # or `make bench`
    BENCH_ORGS=1000 BENCH_SPARES=3 BENCH_STOCK_NOOP_MULTIPROCESSING=0   # the defaults (about 45 minutes on 2 cores)

Everything runs in a database of its own, `heartwood_bench_migrations` (dropped and made afresh on each run), with
BENCH_ORGS real organisations made by the product's own service (bench/_organisations.py: a row, a domain and a
full copy of the template each), BENCH_SPARES ready spares and the template: all of them tenant schemas that
`migrate_schemas` walks.

Every contender is the real command in a child process, `manage.py migrate_schemas -v 0 --executor=<name>`,
timed from start to exit (Python and Django starting included, as a deploy pays them):

  (a) nothing to apply: Heartwood (one query finds no schema lacking anything) against stock `standard` (Django's
      whole `migrate` command per schema); stock `multiprocessing` too when BENCH_STOCK_NOOP_MULTIPROCESSING=1.
      Heartwood's command is run three times (median), plain and with --skip-checks (Django's system checks,
      which import every URL conf and view, are about half of it); stock's once.
      Heartwood's in-process part is also timed: `migrate_schemas` through call_command in a process already set
      up, and the tenant part alone (tenants.migrating.tenant_schemas_migrate) with its detection query.
  (b) one new tenant migration, a column and an index on the journal entry table (bench/_migration_extra.py, put
      in through MIGRATION_MODULES, as a deploy brings one): Heartwood (applied once in the template, the SQL
      replayed in every other schema over TENANT_MIGRATION_CONNECTIONS connections), stock `standard`
      (sequential) and stock `multiprocessing` (TENANT_MULTIPROCESSING_MAX_PROCESSES processes). Between
      contenders the column, its index and the migration's row are taken out of every schema again.
  (c) the catalogue: relations in one organisation's schema, and the bytes PostgreSQL's catalogue grew by per
      organisation (pg_total_relation_size of every pg_catalog table before and after making the organisations,
      divided by their number).
  (d) consistency, after each contender of (b): every schema's columns, indexes, constraints and
      `django_migrations` rows against the template's (tenants.migrating.schemas_inconsistent); any difference is
      printed and fails the run.

The last line of output is JSON with every figure.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (ROOT, BENCH):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from _database import fresh_database_url  # noqa: E402  (bench/ is the script's own folder)
from _migration_extra import extra_migration_package, extra_migration_undo_sql  # noqa: E402
from _organisations import organisations_add  # noqa: E402

DATABASE_NAME = "heartwood_bench_migrations"
ORGS = int(os.environ.get("BENCH_ORGS", "1000"))
SPARES = int(os.environ.get("BENCH_SPARES", "3"))
STOCK_NOOP_MULTIPROCESSING = os.environ.get("BENCH_STOCK_NOOP_MULTIPROCESSING", "0") == "1"
# Re-measure on the organisations a previous run left (no new database, no catalogue figures), and choose who runs.
REUSE = os.environ.get("BENCH_REUSE_DATABASE", "0") == "1"
NOOP_STOCK = os.environ.get("BENCH_NOOP_STOCK", "1") == "1"
CONTENDERS = os.environ.get("BENCH_CONTENDERS", "heartwood,standard,multiprocessing").split(",")
NOOP_SAMPLES = 3
TARGET_NOOP_SECONDS = 2.0
TARGET_OVER_STANDARD = 5.0


def setup() -> str:
    if REUSE:
        from urllib.parse import urlsplit, urlunsplit

        url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{DATABASE_NAME}"))
    else:
        url = fresh_database_url(DATABASE_NAME, "migrations.py")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "_migration_settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    from tenants import services

    services.spare_pool_refill_soon = lambda: None  # no worker here
    print(f"Database {DATABASE_NAME}: migrating the public schema, making the template…", flush=True)
    call_command("migrate_schemas", verbosity=0, interactive=False)
    services.public_ensure()
    services.template_ensure()
    return url


def catalogue_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(pg_total_relation_size(oid)) FROM pg_class "
                       "WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r'")
        return int(cursor.fetchone()[0])


def tenant_schemas() -> list[str]:
    from django.conf import settings

    from tenants.models import Organisation

    return list(Organisation.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)
                .order_by("pk").values_list("schema_name", flat=True))


def command(executor: str, env: dict[str, str], *extra: str) -> tuple[float, int, str]:
    """`manage.py migrate_schemas` in a child process: wall seconds, exit code, the tail of its output."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "-v", "0", "--noinput", f"--executor={executor}", *extra],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - started
    return elapsed, done.returncode, (done.stdout + done.stderr)[-2000:]


def child_env(extra_module: str | None, directory: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(BENCH), str(directory), str(ROOT), env.get("PYTHONPATH", "")])
    env["DJANGO_SETTINGS_MODULE"] = "_migration_settings"
    env.pop("BENCH_EXTRA_MIGRATIONS", None)
    if extra_module:
        env["BENCH_EXTRA_MIGRATIONS"] = extra_module
    return env


def undo_extra(schemas: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(extra_migration_undo_sql(["public", *schemas]))


def extra_applied(schemas: list[str]) -> int:
    """How many schemas have the extra column (every one should, after a contender)."""
    from _migration_extra import FIELD, TABLE
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = %s AND a.attname = %s "
            "AND NOT a.attisdropped AND n.nspname = ANY(%s)", [TABLE, FIELD, schemas],
        )
        return int(cursor.fetchone()[0])


def consistent(schemas: list[str]) -> dict[str, list[str]]:
    from tenants.migrating import schemas_inconsistent

    return schemas_inconsistent(schemas)


def main() -> None:
    run_started = time.perf_counter()
    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from tenants.migrating import tenant_schemas_migrate
    from tenants.services import spare_pool_refill

    before = catalogue_bytes()
    started = time.perf_counter()
    if REUSE:
        undo_extra(tenant_schemas())  # a run stopped half-way may have left the new migration in some schemas
    else:
        organisations_add(ORGS, prefix="bench")
        spare_pool_refill(size=SPARES)
    made_seconds = time.perf_counter() - started
    after = catalogue_bytes()
    schemas = tenant_schemas()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE relkind = 'r'), count(*) FILTER (WHERE relkind = 'i')"
                       " FROM pg_class WHERE relnamespace = %s::regnamespace", [settings.TENANT_BASE_SCHEMA])
        relations, tables, indexes = cursor.fetchone()
    catalogue = {
        "relations_per_schema": relations, "tables_per_schema": tables, "indexes_per_schema": indexes,
        "catalogue_bytes_before": before, "catalogue_bytes_after": after,
        "catalogue_bytes_per_organisation": None if REUSE else round((after - before) / (ORGS + SPARES)),
    }
    print(f"{ORGS} organisations, {SPARES} spares and the template: {len(schemas)} tenant schemas "
          f"(made in {made_seconds:.0f} s). Each schema: {relations} relations ({tables} tables, {indexes} indexes); "
          f"the catalogue grew {(catalogue['catalogue_bytes_per_organisation'] or 0) / 1024:.0f} KiB per organisation "
          f"({before / 2**20:.0f} → {after / 2**20:.0f} MiB).\n", flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="hw-bench-migrations-"))
    plain_env = child_env(None, workdir)
    connection.close()

    # (a) Nothing to apply.
    noop: dict[str, float] = {}
    command("heartwood", plain_env)  # warm the file cache, outside the figures
    runs = [("heartwood", ()), ("heartwood_skip_checks", ("--skip-checks",)),
            *([("standard", ())] if NOOP_STOCK else []),
            *([("multiprocessing", ())] if STOCK_NOOP_MULTIPROCESSING else [])]
    samples: dict[str, list[float]] = {}
    for label, extra in runs:
        # Heartwood's runs are short and the machine is shared: the median of three. Stock's once.
        for _ in range(NOOP_SAMPLES if label.startswith("heartwood") else 1):
            elapsed, code, tail = command(label.removesuffix("_skip_checks"), plain_env, *extra)
            if code:
                raise SystemExit(f"{label} failed with nothing to apply:\n{tail}")
            samples.setdefault(label, []).append(round(elapsed, 3))
        noop[label] = statistics.median(samples[label])
        print(f"  nothing to apply, {label}: {noop[label]:.2f} s (samples {samples[label]})", flush=True)
    started = time.perf_counter()
    call_command("migrate_schemas", verbosity=0, interactive=False)
    noop["heartwood_in_process"] = time.perf_counter() - started
    report = tenant_schemas_migrate(schemas, verbosity=0)
    noop["heartwood_tenants_only"] = report.timings["total_seconds"]
    noop["heartwood_detect_query"] = report.timings["detect_seconds"]
    noop["heartwood_graph_load"] = report.timings["load_seconds"]
    connection.close()

    # (b) One new migration applied to every schema, (d) consistency after each.
    extra = extra_migration_package(workdir)
    extra_env = child_env(extra, workdir)
    applied: dict[str, dict[str, object]] = {}
    for name in CONTENDERS:
        elapsed, code, tail = command(name, extra_env)
        if code:
            raise SystemExit(f"{name} failed applying the new migration:\n{tail}")
        with_column = extra_applied(schemas)
        wrong = consistent(schemas)
        applied[name] = {"seconds": round(elapsed, 2), "schemas_with_column": with_column,
                         "inconsistent_schemas": len(wrong)}
        print(f"  new migration, {name}: {elapsed:.1f} s, column in {with_column}/{len(schemas)} schemas, "
              f"{len(wrong)} inconsistent with the template", flush=True)
        if wrong or with_column != len(schemas):
            raise SystemExit(f"{name} left schemas inconsistent: {dict(list(wrong.items())[:10])}")
        undo_extra(schemas)
        connection.close()

    def ratio(slower: float | None, faster: float) -> float | None:
        return None if slower is None else slower / faster

    seconds_of = {name: figures["seconds"] for name, figures in applied.items()}
    noop_ratio = ratio(noop.get("standard"), noop["heartwood"])
    over_standard = ratio(seconds_of.get("standard"), seconds_of["heartwood"])
    over_multiprocessing = ratio(seconds_of.get("multiprocessing"), seconds_of["heartwood"])
    load = [round(x, 2) for x in os.getloadavg()]
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}"
    print(f"\nMachine: {machine}; load average {load[0]} {load[1]} {load[2]}.")
    print(f"\n{'migrate_schemas, ' + str(len(schemas)) + ' tenant schemas':<44} {'seconds':>9} {'vs heartwood':>13}")
    rows = [("nothing to apply: heartwood (whole command)", noop["heartwood"], 1.0)]
    rows.append(("  the same with --skip-checks", noop["heartwood_skip_checks"], None))
    rows.append(("  in process (call_command)", noop["heartwood_in_process"], None))
    rows.append(("  tenant schemas only", noop["heartwood_tenants_only"], None))
    rows.append(("  of which the detection query", noop["heartwood_detect_query"], None))
    for name in ("standard", "multiprocessing"):
        if name in noop:
            rows.append((f"nothing to apply: stock {name}", noop[name], noop[name] / noop["heartwood"]))
    for name, seconds in seconds_of.items():
        rows.append((f"new migration: {'stock ' if name != 'heartwood' else ''}{name}", seconds,
                     seconds / seconds_of["heartwood"]))
    for label, seconds, times in rows:
        print(f"{label:<44} {seconds:>9.2f} {'' if times is None else f'{times:.1f}x':>13}")
    noop_ok = noop["heartwood"] <= TARGET_NOOP_SECONDS
    apply_ok = (over_standard or 0) >= TARGET_OVER_STANDARD and (over_multiprocessing or 0) > 1

    def told(value: float | None) -> str:
        return "not run" if value is None else f"{value:.1f}×"

    print(f"\nNothing to apply: {noop['heartwood']:.2f} s for the whole command (target ≤ {TARGET_NOOP_SECONDS:g} s: "
          f"{'met' if noop_ok else 'MISSED'}). New migration: {told(over_standard)} faster than stock sequential "
          f"(target ≥ {TARGET_OVER_STANDARD:g}×) and {told(over_multiprocessing)} faster than stock multiprocessing "
          f"(target > 1×): {'met' if apply_ok else 'MISSED or not run'}. Every schema consistent with the template "
          "after each contender.")
    total = time.perf_counter() - run_started
    print(f"Organisations took {made_seconds:.0f} s to make; the whole run {total:.0f} s.")
    print(json.dumps({
        "bench": "migrations",
        "database": DATABASE_NAME,
        "organisations": ORGS,
        "spares": SPARES,
        "tenant_schemas": len(schemas),
        "catalogue": catalogue,
        "noop_seconds": {k: round(v, 3) for k, v in noop.items()},
        "noop_samples_seconds": samples,
        "noop_standard_over_heartwood": noop_ratio and round(noop_ratio, 1),
        "new_migration": applied,
        "new_migration_standard_over_heartwood": over_standard and round(over_standard, 1),
        "new_migration_multiprocessing_over_heartwood": over_multiprocessing and round(over_multiprocessing, 1),
        "reused_database": REUSE,
        "migration_connections": settings.TENANT_MIGRATION_CONNECTIONS,
        "multiprocessing_processes": getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 2),
        "targets": {"noop_seconds": TARGET_NOOP_SECONDS, "over_standard": TARGET_OVER_STANDARD,
                    "noop_met": noop_ok, "apply_met": apply_ok},
        "organisations_seconds": round(made_seconds, 1),
        "run_seconds": round(total, 1),
        "machine": machine,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": load,
    }))


if __name__ == "__main__":
    main()
