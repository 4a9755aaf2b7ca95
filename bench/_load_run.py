"""Drive the stack with Locust and read what happened (a helper of bench/load.py, reused by the fault bench).

    from _load_run import run_load, writes_missing
    result = run_load(stack, seconds=60, users=20, on_tick=None, seeded=info)

Locust runs headless in a subprocess (`python -m locust -f bench/_load_locustfile.py`), so gevent never patches
the orchestrating process, bounded by `seconds` (users are spawned at `spawn_rate` a second, all of them within
the first ten seconds by default). While it runs, `on_tick(elapsed_seconds)` is called about once a second from
the calling thread: the place to start and end a fault (a slow on_tick delays the next tick, never the load).

`seeded` is what bench/_load_seed.seed answered (organisations, password, lesson paths); without it the stack's
seed.json is read. The answer (a dict):

    users, seconds, started_at / ended_at (unix), requests, rps, errors (failed requests), journey_failures, crossings,
    overall {count, failures, p50, p95, p99 ms}, journeys {name: {count, failures, p50, p95, p99}},
    pages {request name: {...}}, error_samples [[name, error, count]], load_average (1-minute, before / max
    during / after), writes [{"t", "org", "token", "entry"}] (every journal write answered with success),
    events_file (one JSON line per request and journey: t, type, name, ms, ok, error), dir (this run's files).

`writes_missing(stack, writes)` answers the writes that are not in the database (token looked up in the entry's
organisation schema): after any run, faults or not, it must be empty.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "_load_locustfile.py"


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values) + 0.5) - 1))
    return round(sorted_values[index], 1)


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    times = sorted(r["ms"] for r in records)
    return {
        "count": len(records), "failures": sum(1 for r in records if not r["ok"]),
        "p50": _percentile(times, 0.50), "p95": _percentile(times, 0.95), "p99": _percentile(times, 0.99),
    }


def _read_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:  # a line cut short by the end of the run
            pass
    return out


def _seeded(stack: Any, seeded: dict[str, Any] | None) -> dict[str, Any]:
    if seeded is not None:
        return seeded
    from _load_seed import PASSWORD

    state = json.loads((Path(stack.root) / "seed.json").read_text())
    return {"orgs": state["orgs"], "password": PASSWORD, "lessons": state["lessons"]}


def run_load(
    stack: Any, seconds: int, users: int, on_tick: Callable[[float], None] | None = None, *,
    seeded: dict[str, Any] | None = None, spawn_rate: float | None = None, label: str = "load",
) -> dict[str, Any]:
    info = _seeded(stack, seeded)
    run_dir = Path(stack.root) / "runs" / f"{time.strftime('%Y%m%d-%H%M%S')}-{label}-{users}u"
    run_dir.mkdir(parents=True, exist_ok=True)
    files = {"BENCH_LOAD_EVENTS": run_dir / "events.jsonl", "BENCH_LOAD_WRITES": run_dir / "writes.jsonl",
             "BENCH_LOAD_CROSSINGS": run_dir / "crossings.jsonl"}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update({name: str(path) for name, path in files.items()})
    env.update({
        "BENCH_LOAD_ORGS": str(info["orgs"]), "BENCH_LOAD_PORT": str(stack.port),
        "BENCH_LOAD_PASSWORD": info["password"], "BENCH_LOAD_LESSONS": json.dumps(info["lessons"]),
        "PYTHONUNBUFFERED": "1",
    })
    rate = spawn_rate or max(1.0, users / 10)
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--users", str(users),
        "--spawn-rate", str(rate), "--run-time", f"{seconds}s", "--stop-timeout", "10", "--only-summary",
        "--exit-code-on-error", "0", "--loglevel", "WARNING", "--host", f"http://127.0.0.1:{stack.port}",
    ]
    load_before = os.getloadavg()[0]
    load_max = load_before
    started = time.time()
    with (run_dir / "locust.log").open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=HERE.parent, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            next_tick = started
            while proc.poll() is None:
                now = time.time()
                if now >= next_tick:
                    load_max = max(load_max, os.getloadavg()[0])
                    if on_tick is not None:
                        on_tick(now - started)
                    next_tick += 1.0
                time.sleep(min(0.2, max(0.0, next_tick - time.time())))
        finally:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(30)
    ended = time.time()

    events = _read_lines(files["BENCH_LOAD_EVENTS"])
    requests = [e for e in events if e["type"] != "journey"]
    by_journey: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_page: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        (by_journey if event["type"] == "journey" else by_page)[event["name"]].append(event)
    failures = Counter((e["name"], e["error"]) for e in events if not e["ok"])
    crossings = _read_lines(files["BENCH_LOAD_CROSSINGS"])
    duration = seconds if requests else 0
    if requests:
        duration = max(1e-9, min(seconds, max(e["t"] for e in requests) - started))
    return {
        "users": users, "seconds": seconds, "started_at": started, "ended_at": ended,
        "requests": len(requests), "rps": round(len(requests) / duration, 1) if duration else 0.0,
        "errors": sum(1 for e in requests if not e["ok"]), "crossings": len(crossings),
        "journey_failures": sum(1 for e in events if e["type"] == "journey" and not e["ok"]),
        "overall": summarise(requests),
        "journeys": {name: summarise(records) for name, records in sorted(by_journey.items())},
        "pages": {name: summarise(records) for name, records in sorted(by_page.items())},
        "error_samples": [[name, error, count] for (name, error), count in failures.most_common(8)],
        "load_average": {"before": round(load_before, 2), "max": round(load_max, 2),
                         "after": round(os.getloadavg()[0], 2)},
        "writes": _read_lines(files["BENCH_LOAD_WRITES"]),
        "events_file": str(files["BENCH_LOAD_EVENTS"]), "dir": str(run_dir),
        "locust_exit": proc.returncode,
    }


def writes_missing(stack: Any, writes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The writes answered with success whose entry is not in its organisation's schema (by id and token)."""
    from _load_seed import organisation_host, written_title

    if not writes:
        return []
    schemas = dict(stack.run_sql(
        "SELECT d.domain, o.schema_name FROM tenants_domain d JOIN tenants_organisation o ON o.id = d.tenant_id "
        "WHERE d.domain LIKE 'org-%%.localhost'"
    ))
    by_org: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for write in writes:
        by_org[write["org"]].append(write)
    missing = []
    for org, org_writes in by_org.items():
        schema = schemas.get(organisation_host(org))
        if schema is None:
            missing += org_writes
            continue
        tokens = [w["token"] for w in org_writes]
        rows = stack.run_sql(
            f'SELECT id, title FROM "{schema}".reflections_journalentry '
            "WHERE title = ANY(%s) AND NOT is_draft",
            [[written_title(token) for token in tokens]],
        )
        found = {(entry_id, title) for entry_id, title in rows}
        missing += [w for w in org_writes if (w["entry"], written_title(w["token"])) not in found]
    return missing
