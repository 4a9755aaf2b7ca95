"""What the database work of a sign-up costs: claiming a ready spare schema, against stock django-tenants.

    .venv/bin/python -m config.devrunner exec .venv/bin/python bench/onboarding.py   # or `make bench`
    BENCH_SAMPLES=15 BENCH_SLOW_SAMPLES=5 BENCH_LEVELS=1,100,500                       # the defaults

Three ways to create an organisation, each timed through the SAME service, `tenants.services.organisation_sign_up`
(organisation row, schema, domain row, first admin with roles and allauth email record, one transaction), which
differs only in where the schema comes from:

    claim    Heartwood's path: a ready spare (a clone of the template made earlier, in the background) is claimed
             with SELECT … FOR UPDATE SKIP LOCKED and renamed by UPDATE; no DDL at all
    clone    the pool is empty: Heartwood's fallback, django-tenants' clone of the template schema
             (TENANT_BASE_SCHEMA + clone_schema, then its fake `migrate_schemas`)
    migrate  stock django-tenants creation: CREATE SCHEMA, then `migrate_schemas` runs every tenant migration
             (TENANT_CREATION_FAKES_MIGRATIONS off) — the baseline the issue names

Each is measured at 1, 100 and 500 existing organisations; medians in milliseconds, ratios against claim.
"Database work": password hashing (deliberately slow) is set aside by switching to the MD5 hasher, the
verification email is not sent and the background refill is not queued (both happen after commit and are not
database work). Spares for the claim samples are made before each timed series, outside the timing, as the
Celery refill does in production (by the same clone as the fillers below: the claim only updates their rows).

Existing organisations ("fillers") are real: each is an Organisation row, a Domain row and a full schema cloned
from the template with its data (every table, index, constraint and the curriculum), so the catalogue PostgreSQL
searches is as large as with real tenants. They are made by calling django-tenants' `clone_schema` SQL function
directly, without the per-tenant fake `migrate_schemas` that `Organisation.save()` adds (it only records migrations
the clone already copied, and costs most of the time), so that 500 of them fit in the run time. Fillers have no
people; people live inside each schema, and no sign-up path reads another organisation's tables.

Everything runs in a database of its own, `heartwood_bench_onboarding` (dropped and created afresh on each run, on
the server DATABASE_URL names; not `heartwood_bench`, which bench/routing.py drops and re-creates on its own
runs), so the dev data is never touched. The last line of output is JSON with every figure.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATABASE_NAME = "heartwood_bench_onboarding"
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "15"))
SLOW_SAMPLES = int(os.environ.get("BENCH_SLOW_SAMPLES", "5"))
LEVELS = [int(n) for n in os.environ.get("BENCH_LEVELS", "1,100,500").split(",")]
TARGET_CLAIM_MS = 50.0
TARGET_RATIO = 10.0


def _bench_database_url() -> str:
    import psycopg

    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("Run me through the runner: .venv/bin/python -m config.devrunner exec "
                         ".venv/bin/python bench/onboarding.py")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{DATABASE_NAME}"))


def setup() -> None:
    os.environ["DATABASE_URL"] = _bench_database_url()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers
    from django.core.management import call_command

    from tenants import services

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    services.spare_pool_refill_soon = lambda: None  # no worker here; the bench makes its own spares
    print(f"Database {DATABASE_NAME}: migrating the public schema, making the template…", flush=True)
    call_command("migrate_schemas", executor="standard", verbosity=0, interactive=False)
    services.public_ensure()
    services.template_ensure()


class FastCloner:
    """A full copy of the template schema in ONE round trip: every table (LIKE … INCLUDING ALL: columns, defaults,
    identity sequences, checks, indexes, unique constraints), its rows, then its foreign keys.

    The same objects django-tenants' `clone_schema` SQL function makes, but as one batch of plain DDL on a
    connection of its own, instead of a PL/pgSQL walk of the catalogue (which slows as the catalogue grows).
    """

    def __init__(self) -> None:
        import psycopg
        from django.conf import settings

        self.conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
        template = settings.TENANT_BASE_SCHEMA
        self.conn.execute(f'SET search_path TO "{template}"')  # names come back unqualified
        tables = [r[0] for r in self.conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", [template]
        )]
        foreign_keys = self.conn.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND connamespace = %s::regnamespace", [template],
        ).fetchall()
        self.conn.execute("SET search_path TO public")
        self.batch = ";".join([
            *(f'CREATE TABLE "{t}" (LIKE "{template}"."{t}" INCLUDING ALL)' for t in tables),
            *(f'INSERT INTO "{t}" SELECT * FROM "{template}"."{t}"' for t in tables),
            *(f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {definition}' for t, name, definition in foreign_keys),
        ])

    def clone(self, schema: str) -> None:
        with self.conn.transaction():
            self.conn.execute(f'CREATE SCHEMA "{schema}"; SET LOCAL search_path TO "{schema}"; {self.batch}')


_cloner: FastCloner | None = None


def _fast_clone(kind: str) -> object:
    """An organisation (or spare) row, its domain, and a full copy of the template schema (see FastCloner)."""
    global _cloner
    from django.conf import settings
    from django.db import transaction

    from tenants.models import Domain, Organisation
    from tenants.services import new_schema_name

    if _cloner is None:
        _cloner = FastCloner()
    schema = new_schema_name()
    _cloner.clone(schema)
    with transaction.atomic():
        organisation = Organisation(schema_name=schema, name="Filler" if kind == "organisation" else "", kind=kind)
        organisation.auto_create_schema = False
        organisation.save(verbosity=0)
        if kind == "organisation":
            Domain.objects.create(domain=f"filler-{organisation.pk}.{settings.BASE_DOMAIN}", tenant=organisation,
                                  is_primary=True)
    return organisation


def add_fillers(count: int) -> float:
    """`count` real organisations (row, domain, cloned schema with data). Returns seconds taken."""
    started = time.perf_counter()
    for _ in range(count):
        _fast_clone("organisation")
    return time.perf_counter() - started


_counter = 0


def sign_up_once() -> tuple[float, bool]:
    global _counter
    from django.db import connection

    from tenants.services import organisation_sign_up

    _counter += 1
    started = time.perf_counter()
    result = organisation_sign_up(
        name=f"Bench Care {_counter}", subdomain=f"bench-{_counter}", full_name="Bea Bench",
        email=f"bea{_counter}@bench.example", password="kind-hearted-lantern-73", time_zone="Europe/London",
    )
    elapsed = (time.perf_counter() - started) * 1000
    connection.set_schema_to_public()
    return elapsed, result.from_pool


def measure(mode: str, samples: int) -> list[float]:
    from django.conf import settings

    from tenants.models import Organisation

    times: list[float] = []
    if mode == "claim":
        # Made ahead, as the background refill does, and not timed. The same schema spare_pool_refill() makes
        # (a clone of the template), minus its fake migrate, to keep the run short.
        for _ in range(samples - Organisation.objects.filter(kind="spare").count()):
            _fast_clone("spare")
    else:
        Organisation.objects.filter(kind="spare").delete()  # empty pool: force the fallback (drops spares)
    fakes = settings.TENANT_CREATION_FAKES_MIGRATIONS
    settings.TENANT_CREATION_FAKES_MIGRATIONS = mode != "migrate"  # off: django-tenants migrates the schema
    try:
        for _ in range(samples):
            elapsed, from_pool = sign_up_once()
            if from_pool != (mode == "claim"):
                raise SystemExit(f"{mode}: expected from_pool={mode == 'claim'}")
            times.append(elapsed)
    finally:
        settings.TENANT_CREATION_FAKES_MIGRATIONS = fakes
    return times


def main() -> None:
    run_started = time.perf_counter()
    setup()
    from django.db import connection

    from tenants.models import Organisation

    def existing() -> int:
        return Organisation.objects.filter(kind="organisation").count()

    # Warm every path once (imports, migration graph, the clone function), outside the figures.
    for mode in ("claim", "clone", "migrate"):
        measure(mode, 1)
    for warm in Organisation.objects.filter(kind="organisation"):
        warm.delete(force_drop=True)  # the levels count fillers from zero
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s", ["tenant_template"])
        (tables,) = cursor.fetchone()

    results: dict[str, dict[str, object]] = {}
    filler_seconds = 0.0
    print(f"Tenant schema: {tables} tables. Samples: claim {SAMPLES}, clone and migrate {SLOW_SAMPLES}.\n")
    print(f"{'orgs':>6} {'claim ms':>9} {'clone ms':>9} {'migrate ms':>11} {'migrate/claim':>14} {'clone/claim':>12}")
    for level in LEVELS:
        missing = level - existing()
        if missing > 0:
            filler_seconds += add_fillers(missing)
        at = existing()
        modes: dict[str, Callable[[], list[float]]] = {
            "claim": lambda: measure("claim", SAMPLES),
            "clone": lambda: measure("clone", SLOW_SAMPLES),
            "migrate": lambda: measure("migrate", SLOW_SAMPLES),
        }
        figures = {mode: run() for mode, run in modes.items()}
        medians = {mode: statistics.median(times) for mode, times in figures.items()}
        row = {
            "existing_organisations": at,
            **{f"{mode}_median_ms": round(ms, 2) for mode, ms in medians.items()},
            **{f"{mode}_samples_ms": [round(t, 2) for t in figures[mode]] for mode in figures},
            "migrate_over_claim": round(medians["migrate"] / medians["claim"], 1),
            "clone_over_claim": round(medians["clone"] / medians["claim"], 1),
        }
        results[str(level)] = row
        print(f"{at:>6} {medians['claim']:>9.1f} {medians['clone']:>9.1f} {medians['migrate']:>11.1f} "
              f"{row['migrate_over_claim']:>13.1f}x {row['clone_over_claim']:>11.1f}x", flush=True)

    top = results[str(LEVELS[-1])]
    claim_ok = top["claim_median_ms"] <= TARGET_CLAIM_MS
    ratio_ok = top["migrate_over_claim"] >= TARGET_RATIO
    print(
        f"\nAt {top['existing_organisations']} organisations: claim {top['claim_median_ms']} ms median "
        f"(target ≤ {TARGET_CLAIM_MS:g} ms: {'met' if claim_ok else 'MISSED'}), "
        f"{top['migrate_over_claim']}× faster than stock creation by migrating "
        f"(target ≥ {TARGET_RATIO:g}×: {'met' if ratio_ok else 'MISSED'}); "
        f"{top['clone_over_claim']}× faster than cloning."
    )
    total = time.perf_counter() - run_started
    print(f"Fillers took {filler_seconds:.0f} s; the whole run {total:.0f} s.")
    print(json.dumps({
        "bench": "onboarding",
        "database": DATABASE_NAME,
        "tenant_tables": tables,
        "levels": results,
        "targets": {"claim_ms_at_top": TARGET_CLAIM_MS, "migrate_over_claim_at_top": TARGET_RATIO,
                    "claim_met": claim_ok, "ratio_met": ratio_ok},
        "filler_seconds": round(filler_seconds, 1),
        "run_seconds": round(total, 1),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }))


if __name__ == "__main__":
    main()
