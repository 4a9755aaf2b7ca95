"""Heartwood under load at the production shape, with 1,000 organisations: what this machine sustains with zero errors.

    .venv/bin/python bench/load.py          # or through the runner / `make bench`; it needs neither
    BENCH_ORGS=1000 BENCH_USERS=10,20,30 BENCH_SECONDS=60 BENCH_WARMUP=15   # the defaults
    BENCH_WEB_WORKERS=3 BENCH_WEB_THREADS=1 BENCH_WORKER_CONCURRENCY=2      # the stack (bench/_stack.py)

The stack is the bench's own (bench/_stack.py): its own PostgreSQL and Redis, gunicorn serving config.wsgi (three
sync workers, as the Dockerfile), a Celery worker and beat (which fans prompts out to every organisation each
minute, as in production), all on production settings over plain HTTP on `*.localhost` (bench/_load_settings.py).
Organisations are seeded once and kept (bench/_load_seed.py: a leader, a mentor, a shared entry and a marker each;
the set-up time is printed apart from the load).

Locust (headless, in a subprocess) runs BENCH_SECONDS at each number of virtual users in BENCH_USERS, after an
unreported warm-up. Each virtual user belongs to one random organisation and signs in, reads lessons, writes an
entry and finds it with the journal search, or (a third of them) reads as the mentor the entry shared with them;
between journeys it pauses 1–3 s, as a person reading would (bench/_load_locustfile.py). Every page is checked
for its own organisation's marker and for any other's (a crossing). After each level every write answered with
success is looked up in the database.

Reported per level: requests a second, p50/p95/p99 of every request, failed requests and journeys, crossings,
writes missing from the database, and the 1-minute load average (before and at its highest); then each journey's
figures at the highest level with no error, no crossing, nothing missing and a p95 within BENCH_P95_MS (5,000 ms;
"sustained": with 30 s timeouts a swamped server still answers everything, only late). Levels stop rising after the
first that is not sustained. The last line is JSON with every figure. Exit status 1 on any crossing or missing
write, or when no level was sustained.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from _load_run import run_load, writes_missing  # noqa: E402  (bench/ is the script's own folder)
from _load_seed import seed  # noqa: E402
from _stack import Stack  # noqa: E402

ORGS = int(os.environ.get("BENCH_ORGS", "1000"))
LEVELS = [int(n) for n in os.environ.get("BENCH_USERS", "10,20,30").split(",")]
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "15"))
# Zero errors alone says little: with 30 s timeouts a swamped server still answers everything, only late. A level is
# sustained when it is clean AND its p95 stays within this budget (a page a person waits for, on a phone).
P95_BUDGET_MS = float(os.environ.get("BENCH_P95_MS", "5000"))


def machine() -> dict[str, object]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"cpus": os.cpu_count(), "cpu": model, "memory": memory, "python": platform.python_version(),
            "system": platform.platform(terse=True)}


def _clean(result: dict[str, object]) -> bool:
    return not (result["errors"] or result["journey_failures"] or result["crossings"] or result["writes_missing"])


def _sustained(result: dict[str, object]) -> bool:
    return _clean(result) and result["overall"]["p95"] <= P95_BUDGET_MS  # type: ignore[index]


def main() -> int:
    box = machine()
    started = time.perf_counter()
    stack = Stack()
    stack.start(processes=False)  # waits while another run uses the stack's directory
    started += stack.lock_wait
    print(f"Machine: {box['cpus']} CPUs ({box['cpu']}), {box['memory']}, Python {box['python']}; "
          f"load average now {os.getloadavg()[0]:.2f}", flush=True)
    try:
        info = seed(stack, ORGS)
        seed_seconds = time.perf_counter() - started
        stack.processes_start()
        setup_seconds = time.perf_counter() - started
        print(f"Set-up: {setup_seconds:.0f} s ({info['reused']} organisations reused, seeding {info['seconds']} s); "
              f"gunicorn {stack.web_workers} workers × {stack.web_threads} threads on :{stack.port}, Celery worker "
              f"concurrency {stack.worker_concurrency}, beat; {ORGS} organisations", flush=True)
        if WARMUP:
            warm = run_load(stack, WARMUP, LEVELS[0], seeded=info, label="warmup")
            print(f"Warm-up ({WARMUP} s, {LEVELS[0]} users, not reported): {warm['requests']} requests, "
                  f"{warm['errors']} errors", flush=True)

        header = (f"{'users':>5} {'req/s':>6} {'requests':>8} {'errors':>6} {'journeys failed':>15} {'crossings':>9} "
                  f"{'writes (missing)':>16} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'load before/max':>15}")
        print(f"\nLoad, {SECONDS} s a level:\n{header}", flush=True)
        levels = []
        for users in LEVELS:
            result = run_load(stack, SECONDS, users, seeded=info)
            writes = result.pop("writes")
            missing = writes_missing(stack, writes)
            result.update(writes=len(writes), writes_missing=len(missing))
            overall, load = result["overall"], result["load_average"]
            load_text = f"{load['before']}/{load['max']}"
            writes_text = f"{len(writes)} ({len(missing)})"
            print(f"{users:>5} {result['rps']:>6} {result['requests']:>8} {result['errors']:>6} "
                  f"{result['journey_failures']:>15} {result['crossings']:>9} "
                  f"{writes_text:>16} {overall['p50']:>7} {overall['p95']:>7} {overall['p99']:>7} {load_text:>15}",
                  flush=True)
            for name, error, count in result["error_samples"]:
                print(f"      {count} × {name}: {error}", flush=True)
            levels.append(result)
            if not _sustained(result):
                break
    finally:
        stack.stop()

    good = [r for r in levels if _sustained(r)]
    sustained = max(good, key=lambda r: r["users"]) if good else None
    if sustained:
        print(f"\nSustained (zero errors, p95 within {P95_BUDGET_MS:.0f} ms): {sustained['users']} users, "
              f"{sustained['rps']} requests/s (load average max {sustained['load_average']['max']}). Journeys:")
        print(f"  {'journey':<22} {'count':>6} {'failed':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
        for name, figures in sustained["journeys"].items():
            print(f"  {name:<22} {figures['count']:>6} {figures['failures']:>6} {figures['p50']:>7} "
                  f"{figures['p95']:>7} {figures['p99']:>7}")
    else:
        print(f"\nNo level ran without errors within a p95 of {P95_BUDGET_MS:.0f} ms.")
    crossings = sum(r["crossings"] for r in levels)
    missing = sum(r["writes_missing"] for r in levels)
    summary = {
        "bench": "load", "orgs": ORGS, "seconds": SECONDS, "machine": box,
        "stack": {"web_workers": stack.web_workers, "web_threads": stack.web_threads,
                  "worker_concurrency": stack.worker_concurrency},
        "setup_seconds": round(setup_seconds, 1), "seed_seconds": round(seed_seconds, 1),
        "organisations_reused": info["reused"],
        "p95_budget_ms": P95_BUDGET_MS,
        "sustained_users": sustained["users"] if sustained else 0,
        "sustained_rps": sustained["rps"] if sustained else 0.0,
        "crossings": crossings, "writes_missing": missing,
        "levels": [{k: v for k, v in r.items() if k not in ("events_file", "dir", "started_at", "ended_at")}
                   for r in levels],
    }
    print(json.dumps(summary))
    return 1 if crossings or missing or sustained is None else 0


if __name__ == "__main__":
    sys.exit(main())
