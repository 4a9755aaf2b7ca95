"""What the database work of a sign-up costs: claiming a ready spare schema, against stock django-tenants.

    .venv/bin/python -m config.devrunner exec .venv/bin/python bench/onboarding.py   # or `make bench`
    BENCH_SAMPLES=15 BENCH_SLOW_SAMPLES=5 BENCH_DT_CLONE_SAMPLES=3 BENCH_LEVELS=1,100,500   # the defaults

Four ways to create an organisation, each timed through the SAME service, `tenants.services.organisation_sign_up`
(organisation row, schema, domain row, first admin with roles and allauth email record, one transaction), which
differ only in where the schema comes from:

    claim     Heartwood's path: a ready spare (made earlier, in the background) is claimed with
              SELECT … FOR UPDATE SKIP LOCKED and renamed by UPDATE; no DDL at all
    clone     the pool is empty: Heartwood's fallback, its one-batch copy of the template (tenants.cloning)
    dt_clone  django-tenants' own clone: TENANT_BASE_SCHEMA + its PL/pgSQL clone_schema, then a fake
              `migrate_schemas` (what `clone` replaced; TENANT_FAST_CLONE off)
    migrate   stock django-tenants creation: CREATE SCHEMA, then `migrate_schemas` runs every tenant migration
              (TENANT_CREATION_FAKES_MIGRATIONS off) — the baseline the issue names

Each is measured at 1, 100 and 500 existing organisations; medians in milliseconds, ratios against claim.
"Database work": password hashing (deliberately slow) is set aside by switching to the MD5 hasher, the
verification email is not sent and the background refill is not queued (both happen after commit and are not
database work). Spares for the claim samples are made before each timed series by `spare_pool_refill()` on a
connection of its own (as the Celery worker does; the timed connection meets them cold), outside the timing.

Existing organisations ("fillers") are real: an Organisation row, a Domain row and a full copy of the template
(every table, index, constraint and row, the curriculum included), made by `Organisation.save()`, i.e.
Heartwood's copier (about 0.1 s each, where django-tenants' clone would take minutes for 500), so the catalogue
PostgreSQL searches is as large as with real tenants. Fillers have no people; people live inside each schema, and
no sign-up path reads another organisation's tables. The stock `migrate` path does not seed the curriculum, so
its figure is if anything flattering to it.

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
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _database import fresh_database_url  # noqa: E402  (bench/ is the script's own folder)

DATABASE_NAME = "heartwood_bench_onboarding"
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "15"))
SLOW_SAMPLES = int(os.environ.get("BENCH_SLOW_SAMPLES", "5"))
DT_CLONE_SAMPLES = int(os.environ.get("BENCH_DT_CLONE_SAMPLES", "3"))  # 15–30 s each at 500 organisations
LEVELS = [int(n) for n in os.environ.get("BENCH_LEVELS", "1,100,500").split(",")]
TARGET_CLAIM_MS = 50.0
TARGET_RATIO = 10.0


def _bench_database_url() -> str:
    return fresh_database_url(DATABASE_NAME, "onboarding.py")


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


def _in_another_connection(work: Callable[[], None]) -> None:
    """Run `work` on a connection of its own, as the Celery worker that makes spares does in production (so the
    timed connection finds the new schemas cold, as a web process would)."""
    from django.db import connections

    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # reported in the main thread
            failure.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def add_fillers(count: int) -> float:
    """`count` real organisations: row, domain, and a full copy of the template (Heartwood's copier)."""
    from _organisations import organisations_add

    from tenants.models import Organisation

    start = Organisation.objects.filter(kind=Organisation.Kind.ORGANISATION).count()
    started = time.perf_counter()
    _in_another_connection(lambda: organisations_add(count, prefix="filler", start=start, progress=False))
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
    from tenants.services import spare_pool_refill

    times: list[float] = []
    if mode == "claim":
        # Made ahead on another connection, as the background refill does, and not timed.
        _in_another_connection(lambda: spare_pool_refill(size=samples))
    else:
        Organisation.objects.filter(kind="spare").delete()  # empty pool: force the fallback (drops spares)
    fakes, fast = settings.TENANT_CREATION_FAKES_MIGRATIONS, getattr(settings, "TENANT_FAST_CLONE", True)
    settings.TENANT_CREATION_FAKES_MIGRATIONS = mode != "migrate"  # off: django-tenants migrates the schema
    settings.TENANT_FAST_CLONE = mode != "dt_clone"  # off: django-tenants' clone_schema + fake migrate
    try:
        for _ in range(samples):
            elapsed, from_pool = sign_up_once()
            if from_pool != (mode == "claim"):
                raise SystemExit(f"{mode}: expected from_pool={mode == 'claim'}")
            times.append(elapsed)
    finally:
        settings.TENANT_CREATION_FAKES_MIGRATIONS, settings.TENANT_FAST_CLONE = fakes, fast
    return times


def main() -> None:
    run_started = time.perf_counter()
    setup()
    from django.db import connection

    from tenants.models import Organisation

    def existing() -> int:
        return Organisation.objects.filter(kind="organisation").count()

    # Warm every path once (imports, migration graph, the clone function), outside the figures.
    for mode in ("claim", "clone", "dt_clone", "migrate"):
        measure(mode, 1)
    for warm in Organisation.objects.filter(kind="organisation"):
        warm.delete(force_drop=True)  # the levels count fillers from zero
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s", ["tenant_template"])
        (tables,) = cursor.fetchone()

    results: dict[str, dict[str, object]] = {}
    filler_seconds = 0.0
    print(f"Tenant schema: {tables} tables. Samples: claim {SAMPLES}, clone and migrate {SLOW_SAMPLES}, "
          f"dt_clone {DT_CLONE_SAMPLES}.\n")
    print(f"{'orgs':>6} {'claim ms':>9} {'clone ms':>9} {'dt_clone ms':>12} {'migrate ms':>11} "
          f"{'migrate/claim':>14} {'clone/claim':>12}")
    for level in LEVELS:
        missing = level - existing()
        if missing > 0:
            filler_seconds += add_fillers(missing)
        at = existing()
        samples = {"claim": SAMPLES, "clone": SLOW_SAMPLES, "dt_clone": DT_CLONE_SAMPLES, "migrate": SLOW_SAMPLES}
        figures = {mode: measure(mode, n) for mode, n in samples.items()}
        medians = {mode: statistics.median(times) for mode, times in figures.items()}
        row = {
            "existing_organisations": at,
            **{f"{mode}_median_ms": round(ms, 2) for mode, ms in medians.items()},
            **{f"{mode}_samples_ms": [round(t, 2) for t in figures[mode]] for mode in figures},
            **{f"{mode}_over_claim": round(medians[mode] / medians["claim"], 1)
               for mode in ("migrate", "clone", "dt_clone")},
        }
        results[str(level)] = row
        print(f"{at:>6} {medians['claim']:>9.1f} {medians['clone']:>9.1f} {medians['dt_clone']:>12.1f} "
              f"{medians['migrate']:>11.1f} {row['migrate_over_claim']:>13.1f}x {row['clone_over_claim']:>11.1f}x",
              flush=True)

    top = results[str(LEVELS[-1])]
    claim_ok = top["claim_median_ms"] <= TARGET_CLAIM_MS
    ratio_ok = top["migrate_over_claim"] >= TARGET_RATIO
    print(
        f"\nAt {top['existing_organisations']} organisations: claim {top['claim_median_ms']} ms median "
        f"(target ≤ {TARGET_CLAIM_MS:g} ms: {'met' if claim_ok else 'MISSED'}), "
        f"{top['migrate_over_claim']}× faster than stock creation by migrating "
        f"(target ≥ {TARGET_RATIO:g}×: {'met' if ratio_ok else 'MISSED'}); "
        f"{top['clone_over_claim']}× faster than Heartwood's clone (the empty-pool fallback), "
        f"{top['dt_clone_over_claim']}× faster than django-tenants' clone."
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
