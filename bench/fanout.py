"""Beat's fan-out at 1,000 organisations: one message per organisation against one per batch of organisations.

    .venv/bin/python -m config.devrunner exec .venv/bin/python bench/fanout.py    # or `make bench`
    BENCH_BATCHES=1,25 BENCH_ROUNDS=3 BENCH_CONCURRENCY=2 BENCH_HOSTS=1000          # the defaults

Every minute beat sends `tenants.fan_out("reflections.prompts_dispatch")`, and every five minutes four more
fan-outs (feedback, supervision, learning sets, the invitation relay). The fan-out runs the task in every active
organisation. It used to send one message per organisation; it now sends one per FAN_OUT_BATCH organisations
(tenants/fanout.py), each running the task in its organisations in turn. This bench times a minute's prompt
dispatch at both sizes through a real `celery -A config.celery_app worker` (prefork, BENCH_CONCURRENCY processes):
the clock runs from `tenants.fan_out` sending its messages (as beat's task does, in public) until every message's
result is in, and the worker's CPU (its processes' user + system time) is read before and after. Batch size 1 is
the old shape: a broker round trip, the worker's task bookkeeping, an organisation lookup and a connection check
for every organisation.

It uses the routing bench's database, `heartwood_bench`, made ready by that bench's own preparation (its 1,000
organisations are real copies of the template: curriculum and prompt library, no people; made once, reused while
nothing they are made from changes); nobody is due, so each dispatch does its
fixed queries and records nothing — the fan-out's own cost is what differs. The rounds alternate the sizes after an
untimed warm-up. The last line of output is JSON with every figure.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _worker import worker_cpu, worker_start, worker_stop, worker_wait  # noqa: E402

SETTINGS_MODULE = "bench._routing_settings"  # the heartwood_bench database, DEBUG off
TASK = "reflections.prompts_dispatch"
BATCHES = [int(n) for n in os.environ.get("BENCH_BATCHES", "1,25").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "2"))
WANTED = int(os.environ.get("BENCH_HOSTS", "1000"))


def _minute(batch: int, worker) -> dict[str, float]:
    from django.conf import settings
    from django.db import connection

    from tenants import fanout

    settings.FAN_OUT_BATCH = batch
    sent = []
    send = fanout.run_in_organisations.apply_async

    def collect(*args, **kwargs):
        result = send(*args, **kwargs)
        sent.append(result)
        return result

    fanout.run_in_organisations.apply_async = collect
    try:
        connection.set_schema_to_public()
        cpu_before, started = worker_cpu(worker), time.perf_counter()
        organisations = fanout.fan_out.run(TASK)
        ran = sum(result.get(timeout=900) for result in sent)
        seconds = time.perf_counter() - started
        cpu = worker_cpu(worker) - cpu_before if cpu_before is not None else None
    finally:
        fanout.run_in_organisations.apply_async = send
        for result in sent:
            result.forget()
    if ran != organisations:
        raise SystemExit(f"batch {batch}: {ran} of {organisations} organisations ran the dispatch")
    return {"seconds": seconds, "messages": len(sent), "organisations": organisations,
            "worker_cpu_s": cpu, "dispatches_per_minute": organisations / seconds * 60}


def main() -> None:
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "config.devrunner", "exec", sys.executable, __file__])
    # The routing bench's organisations: made on the first run (minutes), reused while nothing they are made from
    # has changed (`make bench` runs this before bench/routing.py).
    from routing import prepare_database

    prepared = prepare_database()
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()
    import reflections.prompt_tasks  # noqa: F401  (the fan-out checks the task's name in this process)
    from config.celery_app import app
    from tenants.fanout import active_schemas

    organisations = len(active_schemas())
    if organisations < WANTED:
        raise SystemExit(f"heartwood_bench has {organisations} organisations, not BENCH_HOSTS={WANTED}")
    load_before = os.getloadavg()
    app.control.purge()
    log = Path(tempfile.mkdtemp(prefix="heartwood-bench-fanout-")) / "worker.log"
    worker = worker_start(dict(os.environ), log, name="bench-fanout", concurrency=CONCURRENCY)
    try:
        worker_wait(worker, log)
        print(f"heartwood_bench {prepared.get('database', 'ready')}; "
              f"{organisations:,} organisations; a worker of concurrency {CONCURRENCY}; warming up…", flush=True)
        _minute(max(BATCHES), worker)
        runs: dict[int, list[dict[str, float]]] = {batch: [] for batch in BATCHES}
        for _ in range(ROUNDS):
            for batch in BATCHES:
                runs[batch].append(_minute(batch, worker))
    finally:
        worker_stop(worker)
    load_after = os.getloadavg()

    def median(batch: int, key: str) -> float:
        return statistics.median(run[key] for run in runs[batch])

    base = BATCHES[0]
    print(f"\nA minute's prompt dispatch ({TASK}) in every one of {organisations:,} organisations, median of "
          f"{ROUNDS} rounds:\n")
    print(f"{'organisations per message':>26} {'messages':>9} {'seconds':>8} {'dispatches/min':>15} "
          f"{'worker CPU s':>13} {'vs ' + str(base):>7}")
    for batch in BATCHES:
        print(f"{batch:>26} {runs[batch][0]['messages']:>9,} {median(batch, 'seconds'):>8.1f} "
              f"{median(batch, 'dispatches_per_minute'):>15,.0f} {median(batch, 'worker_cpu_s'):>13.1f} "
              f"{median(base, 'seconds') / median(batch, 'seconds'):>6.1f}x")
    print(f"\nMachine: {platform.machine()}, {os.cpu_count()} CPUs; load average {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after.")
    print(json.dumps({
        "bench": "fanout", "task": TASK, "organisations": organisations, "concurrency": CONCURRENCY,
        "rounds": ROUNDS, "runs": {str(batch): runs[batch] for batch in BATCHES},
        "median_seconds": {str(batch): round(median(batch, "seconds"), 2) for batch in BATCHES},
        "median_worker_cpu_s": {str(batch): round(median(batch, "worker_cpu_s"), 2) for batch in BATCHES},
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs", "load_average": [load_before[0], load_after[0]],
    }))


if __name__ == "__main__":
    main()
