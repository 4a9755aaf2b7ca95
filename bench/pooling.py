"""What transaction pooling costs per request: Heartwood behind a real PgBouncer, session mode against transaction
mode (DATABASE_POOL_MODE), on the same page and organisations.

    .venv/bin/python -m config.devrunner exec .venv/bin/python bench/pooling.py   # or `make bench`
    BENCH_REQUESTS=200 BENCH_ROUNDS=5   # the defaults: requests per round, rounds per case

Cases, each through Debian's `pgbouncer` (started here, unix socket, pool of 2 server connections):

    session      PgBouncer pool_mode=session, DATABASE_POOL_MODE=session (today's default): the connection
                 remembers its schema and sends `SET search_path` only when the schema changes
    transaction  PgBouncer pool_mode=transaction, DATABASE_POOL_MODE=transaction: every statement carries
                 `SET LOCAL search_path …;` in its own message, nothing is remembered

and two request patterns: "same org" (every request to one organisation, the best case for session mode) and
"rotating" (each request to the next of 4 organisations, so every request moves the connection to another
schema). The page is an organisation admin's /welcome/ (routing, session, user, roles, one ORM query of its own),
through Django's test client in one thread. Per request it reports the queries Django sees, the messages that
reach PgBouncer (its SHOW STATS total_query_count: one per round trip, BEGIN and COMMIT included) and
transactions, and the median time per request of the rounds (best round beside it; the rounds of all four cases
interleave). The load average is printed so a noisy run shows itself. Everything runs in a dedicated database,
`heartwood_bench_pooling`, made afresh.
The last line of output is JSON with every figure.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _database import fresh_database_url  # noqa: E402  (bench/ is the script's own folder)

DATABASE_NAME = "heartwood_bench_pooling"
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
ORGANISATIONS = 4
PAGE = "/welcome/"


def setup() -> list[tuple[Any, Any, str]]:
    os.environ["DATABASE_URL"] = fresh_database_url(DATABASE_NAME, "pooling.py")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import tenant_context

    from people.services import user_create
    from tenants import services

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    get_hashers.cache_clear()
    print(f"Database {DATABASE_NAME}: migrating, making {ORGANISATIONS} organisations…", flush=True)
    call_command("migrate_schemas", executor="standard", verbosity=0, interactive=False)
    services.public_ensure()
    services.template_ensure()
    places = []
    for number in range(ORGANISATIONS):
        organisation = services.organisation_create(name=f"Pooling {number}", subdomain=f"pooling{number}")
        email = f"admin@pooling{number}.example"
        with tenant_context(organisation):
            admin = user_create(email=email, full_name=f"Admin {number}", roles=["admin"], password="bench-pass-1")
            client = Client(HTTP_HOST=f"pooling{number}.{settings.BASE_DOMAIN}")
            client.force_login(admin)
        places.append((organisation, client, email))
    connection.set_schema_to_public()
    connection.close()
    return places


MODES = ("session", "transaction")
PATTERNS = ("same org", "rotating")


def measure(places: list[tuple[Any, Any, str]]) -> dict[str, dict[str, dict[str, float]]]:
    """Both PgBouncers run at once; one thread moves its connection between them, so the rounds of every case
    interleave and a busy moment of the machine slows them all alike."""
    from contextlib import ExitStack

    from django.db import connection, connections

    from tests.tenants.pgbouncer_server import in_threads, point_default_connection_at, running_pgbouncer

    server = connection.settings_dict
    database = server["NAME"]
    with ExitStack() as stack:
        bouncers = {mode: stack.enter_context(running_pgbouncer(
            server_host=server["HOST"], server_port=server["PORT"] or None, user=server["USER"], pool_mode=mode,
            pool_size=2)) for mode in MODES}

        def work() -> dict[str, dict[str, dict[str, float]]]:
            pooled = connections["default"]

            def use(mode: str) -> None:
                point_default_connection_at(bouncers[mode], mode, CONN_MAX_AGE=600)

            def request(i: int, pattern: str) -> None:
                _, client, email = places[i % len(places) if pattern == "rotating" else 0]
                response = client.get(PAGE)
                assert response.status_code == 200 and email in response.content.decode(), response.status_code

            figures: dict[str, dict[str, dict[str, float]]] = {mode: {} for mode in MODES}
            for mode in MODES:
                use(mode)
                for pattern in PATTERNS:
                    for i in range(20):  # warm: connection open, host map and templates cached
                        request(i, pattern)
                    seen: list[str] = []

                    def count(execute: Any, sql: str, params: Any, many: bool, context: Any,
                              seen: list[str] = seen) -> Any:
                        seen.append(sql)
                        return execute(sql, params, many, context)

                    messages_before, xacts_before = bouncers[mode].totals(database)
                    with pooled.execute_wrapper(count):
                        for i in range(REQUESTS):
                            request(i, pattern)
                    messages_after, xacts_after = bouncers[mode].totals(database)
                    figures[mode][pattern] = {
                        "django_queries": len(seen) / REQUESTS,
                        "messages": (messages_after - messages_before) / REQUESTS,
                        "transactions": (xacts_after - xacts_before) / REQUESTS,
                    }
            times: dict[tuple[str, str], list[float]] = {(m, p): [] for m in MODES for p in PATTERNS}
            for _ in range(ROUNDS):
                for mode in MODES:
                    use(mode)
                    for pattern in PATTERNS:
                        for i in range(5):
                            request(i, pattern)
                        started = time.perf_counter()
                        for i in range(REQUESTS):
                            request(i, pattern)
                        times[mode, pattern].append((time.perf_counter() - started) / REQUESTS * 1000)
            for (mode, pattern), samples in times.items():
                figures[mode][pattern]["ms_median"] = round(statistics.median(samples), 2)
                figures[mode][pattern]["ms_best"] = round(min(samples), 2)
            return figures

        return in_threads([work])[0]


def main() -> None:
    places = setup()
    load_before = os.getloadavg()
    figures = measure(places)
    load_after = os.getloadavg()
    print(f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} cores; load average "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after; {REQUESTS} requests × {ROUNDS} rounds per case")
    print(f"{'mode':<12} {'pattern':<9} {'queries':>8} {'messages':>9} {'xacts':>6} {'ms median':>10} {'ms best':>8}")
    for mode, patterns in figures.items():
        for pattern, row in patterns.items():
            print(f"{mode:<12} {pattern:<9} {row['django_queries']:>8.2f} {row['messages']:>9.2f} "
                  f"{row['transactions']:>6.2f} {row['ms_median']:>10.2f} {row['ms_best']:>8.2f}")
    ratios = {pattern: round(figures["transaction"][pattern]["ms_median"] / figures["session"][pattern]["ms_median"], 3)
              for pattern in ("same org", "rotating")}
    print(f"transaction/session time per request (median): same org {ratios['same org']}, "
          f"rotating {ratios['rotating']}")
    print(json.dumps({"bench": "pooling", "load_average": [load_before[0], load_after[0]], "figures": figures,
                      "transaction_over_session": ratios}))


if __name__ == "__main__":
    main()
