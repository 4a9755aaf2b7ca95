"""What tenancy costs per request: Heartwood's routing against a plain Django project and stock django-tenants.

    make bench                         # every benchmark, with embedded PostgreSQL and Redis
    .venv/bin/python bench/routing.py  # this one (starts the services itself when DATABASE_URL/REDIS_URL are unset)
    BENCH_ROUNDS=20 BENCH_SECONDS=0.3   # the defaults: rounds per case, seconds per round

Two small views — one ORM query, five ORM queries — are served by three setups, each configured once in its own
process (bench/_routing_settings.py):

    plain      single-tenant Django: stock PostgreSQL backend, the same middleware minus tenancy
    stock      stock django-tenants: TenantMainMiddleware, its backend, TENANT_LIMIT_SET_CALLS False
    heartwood  Heartwood as configured: OrganisationMiddleware (cached host map) + config.db backend

plus "heartwood, 2 hosts": Heartwood serving requests that alternate between two organisations, so every request
moves the connection to another schema (the worst case for the schema cache); and "heartwood, 1,000 hosts":
requests spread across BENCH_HOSTS (default 1,000) organisations in a fixed shuffled order, so the host cache holds
them all and PostgreSQL serves every schema in turn — once with every host in the cache (the steady state within
TENANT_HOST_CACHE_SECONDS), once with a cache that keeps nothing (every request looks its host up: the worst case),
and once warm with DATABASE_POOL_MODE=transaction on the same direct connection (every statement carries its
organisation's path, so moving schema costs no `SET` round trip of its own).
It also prints what the host cache costs in memory per process at that many hosts (tracemalloc and RSS), each
PostgreSQL backend's memory, and the relations in one organisation's schema.

Requests go in-process through Django's WSGI handler (no HTTP parsing, so routing overhead is as visible as it can
be); connections persist between requests (CONN_MAX_AGE) as in production. The parent process warms every setup,
then measures in many short interleaved rounds (each case in turn, ROUNDS times, SECONDS each). Other work on the
machine can only slow a round down, so the headline figure is each case's best round (the least disturbed one, as
timeit does); the median is shown beside it, and the load average is printed so a noisy run shows itself.
Per warm request it counts the queries Django sees (CaptureQueriesContext, i.e. what assertNumQueries counts) and
the statements that reach the server (every psycopg execute, including CONN_HEALTH_CHECKS' `SELECT 1`).

Everything runs in a dedicated database, `heartwood_bench`, on the server DATABASE_URL names, with two organisations
at bench.localhost and bench-other.localhost and the many at org-<n>.localhost; the dev database is never touched.
Making 1,000 organisations takes minutes, so the database is kept while every migration and the template copier are
unchanged (a fingerprint in the database's comment) and made afresh otherwise, or with BENCH_FRESH=1; the time it
took is printed apart from the measurements.
The last line of output is JSON with every figure and ratio.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SETTINGS_MODULE = "bench._routing_settings"
DATABASE_NAME = "heartwood_bench"
HOST = "bench.localhost"
OTHER_HOST = "bench-other.localhost"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "0.3"))
WARMUP_REQUESTS = 300
MANY_HOSTS = int(os.environ.get("BENCH_HOSTS", "1000"))
MANY_PREFIX = "org"  # bench/_organisations.py makes org-<n>.localhost
# The warm many-host case keeps every host for the whole run (the run is longer than the default 30 s); the
# expired case keeps none, so every request asks the database for its host.
WARM_TTL_SECONDS = 3600

SETUPS = {
    "plain": "plain Django",
    "stock": "stock django-tenants",
    "heartwood": "Heartwood",
    "heartwood_2hosts": "Heartwood, 2 hosts",
    "heartwood_many": f"Heartwood, {MANY_HOSTS:,} hosts",
    "heartwood_many_cold": f"Heartwood, {MANY_HOSTS:,} hosts, expired",
    # DATABASE_POOL_MODE=transaction on a direct connection: every statement carries its path (config/db), so a
    # request that moves schema sends no SET of its own.
    "heartwood_many_tx": f"Heartwood, {MANY_HOSTS:,} hosts, tx mode",
}
VIEWS = {"q1": ("1 query", "/bench/one/"), "q5": ("5 queries", "/bench/five/")}
TARGET_RATIO_AT_5 = 0.8


# --- Worker: one setup, configured once, answering JSON commands on a private pipe. -------------------------------


def _environ(host: str, path: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _requester(handler: Callable[..., Iterable[bytes]]) -> Callable[[dict[str, Any]], str]:
    status: list[str] = []

    def start_response(code: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
        status.append(code)

    def request(environ: dict[str, Any]) -> str:
        env = dict(environ)
        env["wsgi.input"] = io.BytesIO(b"")
        status.clear()
        body = handler(env, start_response)
        try:
            for _ in body:
                pass
        finally:
            body.close()  # type: ignore[attr-defined]  # fires request_finished, like a real server
        return status[0]

    return request


class _StatementCounter:
    """Counts every statement psycopg sends (Django's cursors, django-tenants' SET, health-check pings)."""

    def __init__(self) -> None:
        import psycopg

        self._cursor = psycopg.Cursor
        self._original = psycopg.Cursor.execute
        self.statements: list[str] = []

    def __enter__(self) -> _StatementCounter:
        original, statements = self._original, self.statements

        def execute(cursor: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            statements.append(query if isinstance(query, str) else repr(query))
            return original(cursor, query, *args, **kwargs)

        self._cursor.execute = execute  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        self._cursor.execute = self._original  # type: ignore[method-assign]


def _server_cpu(connection: Any) -> tuple[int, float] | None:
    """(backend pid, CPU seconds) of this connection's PostgreSQL backend, when it runs on this machine."""
    raw = connection.connection
    if raw is None:
        return None
    pid = raw.info.backend_pid
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:  # a server on another machine: no server CPU figure
        return None
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def many_hosts() -> list[str]:
    """The many-host case's hosts, in the shuffled order it visits them (the same order every run)."""
    hosts = [f"{MANY_PREFIX}-{n}.localhost" for n in range(MANY_HOSTS)]
    random.Random(14).shuffle(hosts)
    return hosts


def _rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def host_cache_memory(hosts: list[str]) -> dict[str, Any]:
    """What the per-process host cache holds once every host is in it: RSS growth, and tracemalloc's count of the
    bytes that forgetting the hosts frees (the cache's own dict, tuples and Organisation instances, nothing else)."""
    import tracemalloc

    from tenants.routing import forget_hosts, organisation_for_host

    organisation_for_host(HOST)  # the ORM path, compiled once, is not the cache's cost
    forget_hosts()
    gc.collect()
    rss_before = _rss_bytes()
    missing = [h for h in hosts if organisation_for_host(h) is None]
    if missing:
        raise SystemExit(f"{len(missing)} bench hosts are unknown, e.g. {missing[0]}")
    gc.collect()
    rss_after = _rss_bytes()
    forget_hosts()
    gc.collect()
    tracemalloc.start()
    for h in hosts:
        organisation_for_host(h)
    gc.collect()
    filled = tracemalloc.get_traced_memory()[0]
    forget_hosts()
    gc.collect()
    emptied = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {
        "hosts": len(hosts),
        "bytes_held": filled - emptied,
        "bytes_per_host": round((filled - emptied) / len(hosts)),
        "rss_growth_bytes": rss_after - rss_before,
    }


def worker(setup: str) -> None:
    # The protocol gets the real stdout; anything else printed goes to stderr.
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    os.environ["BENCH_ROUTING_SETUP"] = "heartwood" if setup.startswith("heartwood") else setup
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    many = setup.startswith("heartwood_many")
    if many:  # read by config.settings.base, as in production
        os.environ["TENANT_HOST_CACHE_SECONDS"] = "0" if setup == "heartwood_many_cold" else str(WARM_TTL_SECONDS)
    if setup == "heartwood_many_tx":
        os.environ["DATABASE_POOL_MODE"] = "transaction"
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic needed here
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request = _requester(WSGIHandler())
    if many:
        hosts = many_hosts()
    else:
        hosts = [HOST, OTHER_HOST] if setup == "heartwood_2hosts" else [HOST]
    ready: dict[str, Any] = {"ready": setup}
    if setup == "heartwood_many":
        ready["host_cache"] = host_cache_memory(hosts)
    environs = {view: [_environ(h, path) for h in hosts] for view, (_, path) in VIEWS.items()}

    for view, envs in environs.items():
        # Every host once (its first request fills the host cache and PostgreSQL's catalogue cache), then more.
        for i in range(max(WARMUP_REQUESTS, len(envs))):
            code = request(envs[i % len(envs)])
            if not code.startswith("200"):
                raise SystemExit(f"{setup} {view}: {envs[i % len(envs)]['HTTP_HOST']} answered {code}")

    def count(view: str) -> dict[str, Any]:
        envs = environs[view]
        request(envs[-1])  # warm; with two or more hosts the counted request then moves schema
        with CaptureQueriesContext(connection) as ctx:
            request(envs[0])
        queries = len(ctx.captured_queries)  # read now: the next request clears connection.queries
        request(envs[-1])
        with _StatementCounter() as wire:
            request(envs[0])
        return {
            "queries": queries,
            "round_trips": len(wire.statements),
            "statements": [" ".join(s.split())[:72] for s in wire.statements],
        }

    # Each view walks its hosts in order and carries on from where the last round stopped, so the many-host
    # cases visit every host in turn, never the same one twice running.
    position = dict.fromkeys(VIEWS, 0)

    def timed(view: str, seconds: float) -> dict[str, Any]:
        envs = environs[view]
        at = position[view]
        n = 0
        server_before = _server_cpu(connection)
        cpu_start = time.process_time()
        start = time.perf_counter()
        deadline = start + seconds
        while True:
            for _ in range(20):
                request(envs[at])
                at = (at + 1) % len(envs)
            n += 20
            now = time.perf_counter()
            if now >= deadline:
                cpu = time.process_time() - cpu_start
                server_after = _server_cpu(connection)
                same_backend = server_before and server_after and server_before[0] == server_after[0]
                server = server_after[1] - server_before[1] if same_backend else None  # type: ignore[index]
                position[view] = at
                return {"requests": n, "elapsed": now - start, "cpu": cpu, "server_cpu": server}

    def backend_memory() -> dict[str, Any]:
        """This connection's PostgreSQL backend: its memory, and how much of it is the catalogue cache."""
        with connection.cursor() as cursor:
            # A context's own id is path[level]; its descendants carry that id at the same place.
            cursor.execute(
                "WITH c AS MATERIALIZED (SELECT * FROM pg_backend_memory_contexts) "
                "SELECT (SELECT sum(total_bytes) FROM c), (SELECT sum(d.total_bytes) FROM c AS a JOIN c AS d "
                "ON d.path[a.level] = a.path[a.level] WHERE a.name = 'CacheMemoryContext')"
            )
            total, cache = cursor.fetchone()
        return {"total_bytes": int(total), "cache_bytes": int(cache or 0)}

    proto.write(json.dumps(ready) + "\n")
    for line in sys.stdin:
        command = json.loads(line)
        if command["cmd"] == "count":
            reply: Any = {view: count(view) for view in VIEWS}
        elif command["cmd"] == "time":
            reply = timed(command["view"], command["seconds"])
        elif command["cmd"] == "backend_memory":
            reply = backend_memory()
        else:
            break
        proto.write(json.dumps(reply) + "\n")


# --- Parent: database, workers, rounds, report. -----------------------------------------------------------------


def prepare_database() -> dict[str, Any]:
    """Make heartwood_bench ready (in a child process): answers what it did and how long it took."""
    env = {**os.environ, "BENCH_ROUTING_SETUP": "heartwood", "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}
    done = subprocess.run(
        [sys.executable, __file__, "--prepare"], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _schema_fingerprint() -> str:
    """Everything a bench organisation's schema is made from: every migration on disk and the code that copies the
    template. A database made from the same fingerprint is reused; any change makes it afresh."""
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        digest.update(repr(key).encode())
        digest.update(Path(sys.modules[type(loader.disk_migrations[key]).__module__].__file__).read_bytes())  # type: ignore[arg-type]
    for module in ("tenants/cloning.py", "tenants/models.py", "tenants/services.py"):
        digest.update((ROOT / module).read_bytes())
    digest.update(json.dumps(_versions(), sort_keys=True).encode())
    return f"bench/routing.py {digest.hexdigest()}"


def prepare_in_process() -> None:
    """Reuse heartwood_bench when it was made from the same migrations and copier, else drop and make it afresh
    (migrate, template, the two bench organisations); then add whichever of the many-host organisations it lacks.
    BENCH_FRESH=1 always starts afresh. Prints one line of JSON: what it did, and the seconds each part took."""
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    os.environ["BENCH_ROUTING_SETUP"] = "heartwood"
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()
    import psycopg
    from django.core.management import call_command

    from bench._organisations import organisations_add
    from tenants.models import Domain
    from tenants.services import organisation_create, public_ensure, template_ensure

    began = time.perf_counter()
    fingerprint = _schema_fingerprint()
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        reused = row is not None and row[0] == fingerprint and os.environ.get("BENCH_FRESH") != "1"
        if not reused:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    if not reused:
        call_command("migrate_schemas", executor="standard", verbosity=0, interactive=False)
        public_ensure()
        template_ensure()
        for host, name in ((HOST, "Bench Care"), (OTHER_HOST, "Bench Other Care")):
            organisation_create(name=name, subdomain=host.removesuffix(".localhost"))
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            # Only now, with the base complete: an interrupted build is never taken for a finished one.
            conn.execute(f"COMMENT ON DATABASE \"{DATABASE_NAME}\" IS '{fingerprint}'")
    based = time.perf_counter()

    pattern = rf"^{MANY_PREFIX}-[0-9]+\.localhost$"
    have = {int(d.split(".")[0].rsplit("-", 1)[1])
            for d in Domain.objects.filter(domain__regex=pattern).values_list("domain", flat=True)}
    missing = sorted(set(range(MANY_HOSTS)) - have)
    # organisations_add makes a contiguous run of numbers; an interrupted earlier run leaves one gap at the end.
    runs: list[list[int]] = []
    for n in missing:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    for numbers in runs:
        print(f"  making {len(numbers)} organisations ({MANY_PREFIX}-{numbers[0]} onwards)…", file=sys.stderr,
              flush=True)
        organisations_add(len(numbers), prefix=MANY_PREFIX, start=numbers[0])
    finished = time.perf_counter()
    proto.write(json.dumps({
        "database": "reused" if reused else "made afresh",
        "organisations_reused": len(have & set(range(MANY_HOSTS))),
        "organisations_made": len(missing),
        "seconds_base": round(based - began, 1),
        "seconds_organisations": round(finished - based, 1),
        "seconds_per_organisation_made": round((finished - based) / len(missing), 3) if missing else None,
    }) + "\n")


def catalogue() -> dict[str, Any]:
    """The catalogue PostgreSQL searches: schemas, relations in one organisation's schema, and its size."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    info = conninfo_to_dict(os.environ["DATABASE_URL"])
    with psycopg.connect(make_conninfo(**{**info, "dbname": DATABASE_NAME})) as conn:
        schema = conn.execute(
            "SELECT o.schema_name FROM tenants_domain d JOIN tenants_organisation o ON o.id = d.tenant_id "
            "WHERE d.domain = %s", [f"{MANY_PREFIX}-0.localhost"]
        ).fetchone()[0]
        kinds = dict(conn.execute(
            "SELECT c.relkind, count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s GROUP BY c.relkind", [schema]
        ).fetchall())
        schemas, relations, catalogue_bytes = conn.execute(
            "SELECT (SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname <> 'information_schema'), (SELECT count(*) FROM pg_class), "
            "(SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r')"
        ).fetchone()
        database_bytes = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return {
        "schemas": schemas,
        "relations_per_organisation": sum(kinds.values()),
        "tables_per_organisation": kinds.get("r", 0),
        "indexes_per_organisation": kinds.get("i", 0),
        "sequences_per_organisation": kinds.get("S", 0),
        "relations_in_database": relations,
        "catalogue_bytes": int(catalogue_bytes),
        "catalogue_bytes_per_schema": round(int(catalogue_bytes) / schemas),
        "database_bytes": database_bytes,
    }


class Worker:
    def __init__(self, setup: str) -> None:
        self.setup = setup
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", setup], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, bufsize=1,
        )

    def read(self) -> Any:
        line = self.proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise SystemExit(f"the {self.setup} worker exited (code {self.proc.wait()}); see its errors above")
        return json.loads(line)

    def ask(self, **command: Any) -> Any:
        self.proc.stdin.write(json.dumps(command) + "\n")  # type: ignore[union-attr]
        return self.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(json.dumps({"cmd": "quit"}) + "\n")  # type: ignore[union-attr]
                self.proc.stdin.close()  # type: ignore[union-attr]
                self.proc.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return None if numerator is None or not denominator else numerator / denominator


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    return {
        "python": platform.python_version(),
        "django": version("django"),
        "django_tenants": version("django-tenants"),
        "psycopg": version("psycopg"),
    }


def main() -> int:
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        # Started by hand: let the runner start PostgreSQL and Redis, then come back.
        os.chdir(ROOT)
        cmd = [sys.executable, "-m", "config.devrunner", "exec", sys.executable, __file__, *sys.argv[1:]]
        os.execv(sys.executable, cmd)

    began = time.monotonic()
    print(f"Routing benchmark: preparing the {DATABASE_NAME} database ({MANY_HOSTS:,} organisations for the "
          "many-host cases)…", flush=True)
    setup_info = prepare_database()
    setup_info["catalogue"] = catalogue()
    prepared = time.monotonic()
    load_before = os.getloadavg()

    workers = {setup: Worker(setup) for setup in SETUPS}
    try:
        ready = {setup: w.read() for setup, w in workers.items()}  # configured and warmed
        host_cache = ready["heartwood_many"]["host_cache"]
        counts = {setup: w.ask(cmd="count") for setup, w in workers.items()}

        cases = [(setup, view) for setup in SETUPS for view in VIEWS]
        rates: dict[tuple[str, str], list[float]] = {case: [] for case in cases}
        cpu: dict[tuple[str, str], list[tuple[int, float, float | None]]] = {case: [] for case in cases}
        print(f"Measuring {len(cases)} cases × {ROUNDS} rounds × {SECONDS:g} s, interleaved…", flush=True)
        for round_no in range(ROUNDS):
            shift = round_no % len(cases)
            for setup, view in cases[shift:] + cases[:shift]:
                result = workers[setup].ask(cmd="time", view=view, seconds=SECONDS)
                rates[(setup, view)].append(result["requests"] / result["elapsed"])
                cpu[(setup, view)].append((result["requests"], result["cpu"], result["server_cpu"]))
        backend = {setup: w.ask(cmd="backend_memory") for setup, w in workers.items()}
    finally:
        for w in workers.values():
            w.stop()

    load_after = os.getloadavg()
    median = {case: statistics.median(r) for case, r in rates.items()}
    django_us = {case: sum(c for _, c, _ in r) / sum(n for n, _, _ in r) * 1e6 for case, r in cpu.items()}
    # PostgreSQL's CPU is read in clock ticks (10 ms), so it is summed over all rounds of a case.
    server_us: dict[tuple[str, str], float | None] = {}
    for case, r in cpu.items():
        known = [(n, s) for n, _, s in r if s is not None]
        server_us[case] = sum(s for _, s in known) / sum(n for n, _ in known) * 1e6 if known else None
    total_us = {
        case: django_us[case] + server_us[case] if server_us[case] is not None else None for case in cpu  # type: ignore[operator]
    }
    best = {case: max(r) for case, r in rates.items()}
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for setup in SETUPS:
        results[setup] = {}
        for view in VIEWS:
            c = counts[setup][view]
            results[setup][view] = {
                "req_per_s": round(best[(setup, view)], 1),
                "req_per_s_median": round(median[(setup, view)], 1),
                "req_per_s_rounds": [round(r, 1) for r in rates[(setup, view)]],
                "cpu_us_per_request_django": round(django_us[(setup, view)], 1),
                "cpu_us_per_request_postgres": _rounded(server_us[(setup, view)]),
                "cpu_us_per_request": _rounded(total_us[(setup, view)]),
                "cpu_ratio_to_plain": _rounded(_ratio(total_us[("plain", view)], total_us[(setup, view)]), 3),
                "queries": c["queries"],
                "round_trips": c["round_trips"],
                "extra_queries_vs_plain": c["queries"] - counts["plain"][view]["queries"],
                "extra_round_trips_vs_plain": c["round_trips"] - counts["plain"][view]["round_trips"],
                "ratio_to_plain": round(best[(setup, view)] / best[("plain", view)], 3),
                "ratio_to_plain_median": round(median[(setup, view)] / median[("plain", view)], 3),
            }

    print()
    header = (
        f"{'setup':<32} {'view':<10} {'req/s':>7} {'median':>7} {'vs plain':>9} {'queries':>8} {'round trips':>12} "
        f"{'CPU µs':>7} {'vs plain':>9}"
    )
    print(header)
    print("-" * len(header))
    for setup, label in SETUPS.items():
        for view, (view_label, _) in VIEWS.items():
            r = results[setup][view]
            cpu_total = "—" if r["cpu_us_per_request"] is None else f"{r['cpu_us_per_request']:,.0f}"
            cpu_ratio = "—" if r["cpu_ratio_to_plain"] is None else f"{r['cpu_ratio_to_plain']:.2f}"
            print(
                f"{label:<32} {view_label:<10} {r['req_per_s']:>7,.0f} {r['req_per_s_median']:>7,.0f} "
                f"{r['ratio_to_plain']:>9.2f} {r['queries']:>8} {r['round_trips']:>12} {cpu_total:>7} {cpu_ratio:>9}"
            )
    busiest = max(load_before[0], load_after[0])
    print(
        "\nreq/s = best round (median beside it); vs plain = ratio of best rounds.\n"
        "queries = what Django sees (CaptureQueriesContext); round trips = every statement sent, including the "
        "CONN_HEALTH_CHECKS ping.\nCPU µs = CPU time per request of the Django process plus its PostgreSQL backend, "
        "over all rounds; vs plain = plain's CPU µs / this one's.\n"
        "  It ignores time spent waiting, so it holds up on a busy machine where req/s does not.\n"
        f"One client, in-process WSGI, persistent connection. Load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after, on {os.cpu_count()} CPUs."
    )
    if busiest > (os.cpu_count() or 1):
        print("  The machine was busy during this run: trust the CPU columns over req/s, or run again when quiet.")
    many, many5, cold5 = SETUPS["heartwood_many"], results["heartwood_many"]["q5"], results["heartwood_many_cold"]["q5"]
    print(
        f"\n{many}: every request goes to another organisation (the hosts in a fixed shuffled order), so each one\n"
        f"  moves the connection to another schema. Warm: every host is in the cache (a TTL of {WARM_TTL_SECONDS} s "
        "outlasts the run),\n  the steady state of a process that saw each host within TENANT_HOST_CACHE_SECONDS. "
        "Expired: a TTL of 0,\n  so every request also asks the database for its host — the worst case, what each "
        "host's first request\n  after its entry expires costs."
    )
    # With the default TTL a process looks each host up at most once per TTL, however busy it is.
    default_ttl = 30
    lookups_per_s = MANY_HOSTS / default_ttl
    miss_share = min(1.0, lookups_per_s / many5["req_per_s"])
    blended_us = (1 - miss_share) / many5["req_per_s"] + miss_share / cold5["req_per_s"]
    blended_ratio = (1 / blended_us) / results["plain"]["q5"]["req_per_s"]
    print(
        f"  With the default TTL ({default_ttl} s) a busy process looks up at most {lookups_per_s:,.0f} hosts a "
        f"second: at the warm\n  rate for 5 queries that is {miss_share:.1%} of requests, {blended_ratio:.2f}× plain "
        "overall (weighting the two rows)."
    )
    c = setup_info["catalogue"]
    print(
        f"\nHost cache, per process, at {host_cache['hosts']:,} hosts: {host_cache['bytes_held'] / 1e6:.2f} MB held "
        f"({host_cache['bytes_per_host']:,} bytes a host, tracemalloc: what forgetting them frees); "
        f"RSS grew {host_cache['rss_growth_bytes'] / 1e6:.2f} MB filling it."
    )
    print(
        "PostgreSQL backend memory after the run (its catalogue cache beside it): "
        + "; ".join(f"{SETUPS[s]} {b['total_bytes'] / 1e6:.1f} MB ({b['cache_bytes'] / 1e6:.1f} MB)"
                    for s, b in backend.items() if s in ("plain", "heartwood", "heartwood_many"))
        + "."
    )
    print(
        f"Catalogue: {c['schemas']:,} schemas; one organisation's schema holds {c['relations_per_organisation']} "
        f"relations ({c['tables_per_organisation']} tables, {c['indexes_per_organisation']} indexes, "
        f"{c['sequences_per_organisation']} sequences); pg_class {c['relations_in_database']:,} rows; pg_catalog "
        f"{c['catalogue_bytes'] / 1e6:.0f} MB ({c['catalogue_bytes_per_schema'] / 1e3:.0f} kB a schema); database "
        f"{c['database_bytes'] / 1e6:.0f} MB."
    )
    print("\nWhat a warm 1-query request sends:")
    for setup, label in SETUPS.items():
        print(f"  {label}:")
        for statement in counts[setup]["q1"]["statements"]:
            print(f"    {statement}")

    ours, ours5 = results["heartwood"], results["heartwood"]["q5"]
    extra_trips = max(ours[v]["extra_round_trips_vs_plain"] for v in VIEWS)
    targets = {
        "ratio_at_5_queries": ours5["ratio_to_plain"],
        "cpu_ratio_at_5_queries": ours5["cpu_ratio_to_plain"],
        "ratio_at_5_queries_met": ours5["ratio_to_plain"] >= TARGET_RATIO_AT_5,
        "extra_round_trips_same_host": extra_trips,
        "extra_round_trips_after_schema_change": max(
            results["heartwood_2hosts"][v]["extra_round_trips_vs_plain"] for v in VIEWS
        ),
        "host_lookup_queries_when_known": sum(
            "tenants_domain" in s for v in VIEWS for s in counts["heartwood"][v]["statements"]
        ),
    }
    targets["round_trips_met"] = (
        targets["extra_round_trips_same_host"] == 0
        and targets["extra_round_trips_after_schema_change"] <= 1
        and targets["host_lookup_queries_when_known"] == 0
    )
    print(
        f"\nTargets (issue 2, item 10): Heartwood/plain at 5 queries {ours5['ratio_to_plain']:.2f} "
        f"(≥ {TARGET_RATIO_AT_5}: {'met' if targets['ratio_at_5_queries_met'] else 'MISSED'}; "
        f"by CPU per request {_rounded(ours5['cpu_ratio_to_plain'], 2)}); "
        f"extra round trips {extra_trips} on the same host, "
        f"{targets['extra_round_trips_after_schema_change']} after a schema change, "
        f"{targets['host_lookup_queries_when_known']} host lookups once known "
        f"({'met' if targets['round_trips_met'] else 'MISSED'})."
    )
    targets["many_hosts"] = MANY_HOSTS
    targets["ratio_at_5_queries_many_hosts"] = many5["ratio_to_plain"]
    targets["cpu_ratio_at_5_queries_many_hosts"] = many5["cpu_ratio_to_plain"]
    targets["ratio_at_5_queries_many_hosts_met"] = many5["ratio_to_plain"] >= TARGET_RATIO_AT_5
    targets["ratio_at_5_queries_many_hosts_expired"] = cold5["ratio_to_plain"]
    targets["ratio_at_5_queries_many_hosts_default_ttl"] = round(blended_ratio, 3)
    print(
        f"Target (issue 14): {many}/plain at 5 queries {many5['ratio_to_plain']:.2f} warm, "
        f"{cold5['ratio_to_plain']:.2f} with every lookup expired (≥ {TARGET_RATIO_AT_5} warm: "
        f"{'met' if targets['ratio_at_5_queries_many_hosts_met'] else 'MISSED'}; by CPU per request "
        f"{_rounded(many5['cpu_ratio_to_plain'], 2)} and {_rounded(cold5['cpu_ratio_to_plain'], 2)})."
    )
    finished = time.monotonic()
    made = setup_info["organisations_made"]
    print(
        f"Took {finished - began:.0f} s, of which {prepared - began:.0f} s setting up: database "
        f"{setup_info['database']} ({setup_info['seconds_base']:.0f} s), {setup_info['organisations_reused']:,} "
        f"organisations reused and {made:,} made ({setup_info['seconds_organisations']:.0f} s"
        + (f", {setup_info['seconds_per_organisation_made']:.2f} s each" if made else "")
        + ")."
    )
    print(
        json.dumps(
            {
                "bench": "routing",
                "method": "in-process WSGI handler, one client, persistent connection, best of interleaved rounds",
                "rounds": ROUNDS,
                "seconds_per_round": SECONDS,
                "cpus": os.cpu_count(),
                "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
                "versions": _versions(),
                "setup": setup_info,
                "host_cache": host_cache,
                "postgres_backend_memory": backend,
                "results": results,
                "targets": targets,
            },
            separators=(",", ":"),
        )
    )
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2])
    elif sys.argv[1:2] == ["--prepare"]:
        prepare_in_process()
    else:
        sys.exit(main())
