"""Faults under load: PostgreSQL restarted, a Celery worker killed, Redis stopped, beat stopped for an hour.

    .venv/bin/python bench/faults.py        # or through the runner; it needs neither
    BENCH_ORGS=1000 BENCH_FAULT_USERS=10 BENCH_FAULT_SECONDS=90 BENCH_FAULT_AT=20    # the defaults
    BENCH_FAULT_PROMPTS=30 BENCH_FAULT_PROMPT_WAIT=300 BENCH_FAULTS=postgres,worker,redis,beat

The stack and the load are bench/load.py's (bench/_stack.py: its own PostgreSQL and Redis, gunicorn, a Celery worker
and beat on production settings; bench/_load_locustfile.py: people of 1,000 organisations signing in, reading
lessons, writing and searching their journal, mentors reading what was shared with them). Each fault gets a load run
of its own, BENCH_FAULT_SECONDS long, and starts BENCH_FAULT_AT seconds in:

    postgres   pg_ctl restart (fast): every connection cut, the server back
    worker     the worker's process group killed with SIGKILL, a new worker started at once, as an orchestrator would
    redis      Redis stopped for 30 s, then started again on its port with its append-only file
    beat       beat stopped; while it is away, BENCH_FAULT_PROMPTS leaders get rhythms whose slots fell over the last
               hour (in a time zone where it is just past midnight, so some slots belong to yesterday and are only
               delivered through the catch-up window); beat started again 20 s later: an hour of simulated time

For the other three, as many leaders get a slot that falls inside the fault. Meanwhile a provider signs up on the
public site through gunicorn every 3 s, from 4 s before the fault until 4 s after it.

Reported per fault: failed requests inside the fault window (and outside it: must be none), seconds to recover (the
first successful request after the fault ended), every journal write answered with success looked up in the
database by its marker, every planted prompt recorded exactly once for its person and slot and emailed exactly
once (counted in the stack's mail files; the check waits for a further beat minute first), and every sign-up made
in full (domain, organisation and admin) or not at all. A table, then one line of JSON. Exit status 1 if anything
was lost, duplicated or half made, or a request failed outside a fault window.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from _faults import PlantedPrompts, SignUps  # noqa: E402  (bench/ is the script's own folder)
from _load_run import run_load, writes_missing  # noqa: E402
from _load_seed import seed  # noqa: E402
from _stack import Stack  # noqa: E402
from load import machine  # noqa: E402

ORGS = int(os.environ.get("BENCH_ORGS", "1000"))
USERS = int(os.environ.get("BENCH_FAULT_USERS", "10"))
SECONDS = int(os.environ.get("BENCH_FAULT_SECONDS", "90"))
FAULT_AT = int(os.environ.get("BENCH_FAULT_AT", "20"))
PROMPTS = int(os.environ.get("BENCH_FAULT_PROMPTS", "30"))
PROMPT_WAIT = int(os.environ.get("BENCH_FAULT_PROMPT_WAIT", "300"))
FAULTS = os.environ.get("BENCH_FAULTS", "postgres,worker,redis,beat").split(",")
REDIS_DOWN = 30
BEAT_AWAY = 20  # real seconds beat is stopped; the prompts planted meanwhile fell due over the past hour
SIGNUP_MARGIN = 4


def _midnight_zone(now: datetime) -> str:
    """An Etc/GMT zone where it is now between 00:00 and 01:00 (Etc/GMT-3 is three hours ahead of UTC)."""
    ahead = (24 - now.hour) % 24
    if ahead > 14:
        ahead -= 24
    return "UTC" if ahead == 0 else f"Etc/GMT{'-' if ahead > 0 else '+'}{abs(ahead)}"


class Fault:
    """One fault run: `tick(elapsed)` is called about once a second by run_load; it plants prompts, starts the
    sign-ups, does the fault and records its window (unix times)."""

    def __init__(self, name: str, stack: Stack, prompts: PlantedPrompts) -> None:
        self.name = name
        self.stack = stack
        self.prompts = prompts
        self.signups = SignUps(stack, label=name)
        self.signups_stop = threading.Event()
        self.start = self.end = 0.0
        self.notes: dict[str, Any] = {}
        self.stage = "before"
        self.error: str | None = None

    def _plant_inside(self, run_started: float, offset: float) -> None:
        moment = datetime.fromtimestamp(run_started + FAULT_AT + offset, tz=UTC)
        self.prompts.plant({n: (moment, "UTC") for n in self.prompts.leaders})

    def tick(self, elapsed: float) -> None:
        try:
            self._tick(elapsed)
        except Exception as error:  # reported, never left to stop the load half-way
            self.error = f"{type(error).__name__}: {error}"
            self.stage = "done"

    def _tick(self, elapsed: float) -> None:
        run_started = time.time() - elapsed
        if self.stage == "before" and elapsed >= FAULT_AT - 10:
            if self.name != "beat":
                self._plant_inside(run_started, {"postgres": 0.3, "worker": 2.0, "redis": 10.0}[self.name])
            self.stage = "planted"
        if self.stage == "planted" and elapsed >= FAULT_AT - SIGNUP_MARGIN:
            self.signups.run_while(self.signups_stop)
            self.stage = "signing up"
        if self.stage == "signing up" and elapsed >= FAULT_AT:
            self.start = time.time()
            self._fault()
            self.end = time.time()
            self.stage = "after"
        if self.stage in ("after", "done"):
            self.restart_policy()
        if self.stage == "after" and time.time() >= self.end + SIGNUP_MARGIN:
            self.signups_stop.set()
            self.stage = "done"

    def restart_policy(self) -> None:
        """What docker-compose's `restart: unless-stopped` does for a process that exited: start it again (and
        say so: a process that needed this did not survive the fault by itself)."""
        for name, start in (("worker", self.stack.worker_start), ("beat", self.stack.beat_start),
                            ("web", self.stack.web_start)):
            if not self.stack.running(name):
                self.notes.setdefault("restarted_after_exit", []).append(name)
                start()

    def _fault(self) -> None:
        stack = self.stack
        if self.name == "postgres":
            self.notes["restart_s"] = round(stack.postgres_restart(), 2)
        elif self.name == "worker":
            stack.worker_kill(signal.SIGKILL)
            self.notes["in_flight_at_kill"] = _unacked(stack)
            self.notes["worker_ready_s"] = round(stack.worker_start(), 2)
        elif self.name == "redis":
            stack.redis_stop()
            time.sleep(REDIS_DOWN)
            stack.redis_start()
        elif self.name == "beat":
            stack.beat_stop()
            now = datetime.now(UTC)
            zone = _midnight_zone(now)
            leaders = sorted(self.prompts.leaders)
            # Spread over the hour beat "missed", newest first: slots 1 … 60 minutes ago.
            slots = {n: (now - timedelta(minutes=1 + (i * 59) // max(1, len(leaders) - 1)), zone)
                     for i, n in enumerate(leaders)}
            self.prompts.plant(slots)
            today = now.astimezone(_zone(zone)).date()
            self.notes["zone"] = zone
            self.notes["slots_before_local_midnight"] = sum(
                1 for moment, _ in slots.values() if moment.astimezone(_zone(zone)).date() < today
            )
            time.sleep(BEAT_AWAY)
            self.notes["beat_ready_s"] = round(stack.beat_start(), 2)


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _unacked(stack: Stack) -> int | None:
    """Messages the killed worker had taken and not acknowledged (they wait for Redis's visibility timeout)."""
    import redis

    try:
        return int(redis.Redis.from_url(f"{stack.redis_url}/1").hlen("unacked"))
    except Exception:
        return None


def _window_figures(events: list[dict[str, Any]], start: float, end: float) -> dict[str, Any]:
    requests = [e for e in events if e["type"] != "journey"]
    inside = [e for e in requests if start <= e["t"] <= end]
    outside_failed = [e for e in requests if not e["ok"] and not start <= e["t"] <= end]
    # A request that failed just after the fault ended was cut by it (a connection broken in the restart): counted
    # with the fault while no successful request has been answered since the end.
    after = sorted((e for e in requests if e["t"] > end), key=lambda e: e["t"])
    first_ok = next((e for e in after if e["ok"]), None)
    tail = [e for e in after if not e["ok"] and first_ok is not None and e["t"] < first_ok["t"]]
    later_failed = [e for e in outside_failed if e not in tail and e["t"] > end]
    before_failed = [e for e in outside_failed if e["t"] < start]
    samples: dict[str, int] = {}
    for e in [*inside, *tail]:
        if not e["ok"]:
            key = f"{e['name']}: {e['error']}"[:120]
            samples[key] = samples.get(key, 0) + 1
    return {
        "window_s": round(end - start, 2), "requests_in_window": len(inside),
        "errors_in_window": sum(1 for e in inside if not e["ok"]) + len(tail),
        "errors_outside": len(later_failed) + len(before_failed),
        "recover_s": round(first_ok["t"] - end, 2) if first_ok else None,
        "error_samples": sorted(samples.items(), key=lambda kv: -kv[1])[:5],
    }


def _read_events(path: str) -> list[dict[str, Any]]:
    out = []
    for line in Path(path).read_text().splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def run_fault(name: str, stack: Stack, info: dict[str, Any], orgs: list[int],
              say: Callable[[str], None]) -> dict[str, Any]:
    prompts = PlantedPrompts(stack, orgs)
    fault = Fault(name, stack, prompts)
    result = run_load(stack, SECONDS, USERS, on_tick=fault.tick, seeded=info, label=f"fault-{name}")
    fault.signups_stop.set()
    fault.signups.join()
    fault.restart_policy()
    if fault.error or not fault.start:
        raise RuntimeError(f"the {name} fault did not run: {fault.error or 'the load ended first'}")
    events = _read_events(result["events_file"])
    figures = {"fault": name, **_window_figures(events, fault.start, fault.end), **fault.notes}
    writes = result["writes"]
    figures.update(requests=result["requests"], rps=result["rps"], writes=len(writes),
                   writes_missing=len(writes_missing(stack, writes)), load_average=result["load_average"])
    say(f"  {name}: load done; waiting for the {len(prompts.slots)} planted prompts…")
    waited = prompts.wait(PROMPT_WAIT)
    figures["prompts_delivered_s"] = round(time.time() - fault.end, 1) if waited is not None else None
    # One more beat minute after the last delivery: a second delivery or email would show up now.
    time.sleep(65)
    figures.update(prompts.check())
    figures.update(fault.signups.check())
    fault.signups.clear()
    prompts.clear()
    return figures


def _lost(f: dict[str, Any]) -> bool:
    return bool(
        f["writes_missing"] or f["missing"] or f["duplicated"] or f["emailed_twice"] or f["not_emailed"]
        or f["signups_half_made"] or f["signups_success_lost"] or f["errors_outside"]
        or (f.get("restarted_after_exit") and f["fault"] != "worker")
    )


def main() -> int:
    box = machine()
    say = lambda text: print(text, flush=True)  # noqa: E731
    say(f"Machine: {box['cpus']} CPUs ({box['cpu']}), {box['memory']}, Python {box['python']}; "
        f"load average now {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    stack = Stack()
    stack.start(processes=False)
    results: list[dict[str, Any]] = []
    try:
        info = seed(stack, ORGS)
        stack.processes_start()
        say(f"Set-up: {time.perf_counter() - started:.0f} s; {ORGS} organisations; gunicorn {stack.web_workers} × "
            f"{stack.web_threads}, worker concurrency {stack.worker_concurrency}, beat; {USERS} users, "
            f"{SECONDS} s a fault run, the fault at {FAULT_AT} s")
        for i, name in enumerate(FAULTS):
            # Each fault's prompts go to leaders of organisations of their own, from the last one down.
            orgs = [ORGS - 1 - i * PROMPTS - j for j in range(PROMPTS)]
            say(f"Fault: {name} …")
            results.append(run_fault(name, stack, info, orgs, say))
    finally:
        stack.stop()

    header = (f"{'fault':<9} {'window s':>8} {'errors in':>9} {'outside':>7} {'recover s':>9} {'writes (missing)':>16} "
              f"{'prompts once/due':>16} {'emails once':>11} {'delivered s':>11} {'sign-ups made/none/half':>23} "
              f"{'load max':>8}")
    say(f"\nFaults under load ({USERS} users, {ORGS} organisations):\n{header}")
    for f in results:
        say(f"{f['fault']:<9} {f['window_s']:>8} {f['errors_in_window']:>9} {f['errors_outside']:>7} "
            f"{str(f['recover_s']):>9} {str(f['writes']) + ' (' + str(f['writes_missing']) + ')':>16} "
            f"{str(f['delivered_once']) + '/' + str(f['prompts_due']):>16} {f['emailed_once']:>11} "
            f"{str(f['prompts_delivered_s']):>11} "
            f"{'/'.join(str(f[k]) for k in ('signups_made', 'signups_not_made', 'signups_half_made')):>23} "
            f"{f['load_average']['max']:>8}")
        for sample, count in f["error_samples"]:
            say(f"          {count} × {sample}")
        extras = {k: f[k] for k in ("restart_s", "in_flight_at_kill", "worker_ready_s", "zone",
                                    "slots_before_local_midnight", "beat_ready_s", "signup_answers",
                                    "restarted_after_exit") if k in f}
        say(f"          {extras}")
    lost = [f["fault"] for f in results if _lost(f)]
    say("Nothing lost, duplicated or half made." if not lost else f"LOST OR DUPLICATED in: {', '.join(lost)}")
    print(json.dumps({"bench": "faults", "orgs": ORGS, "users": USERS, "seconds": SECONDS, "machine": box,
                      "faults": results, "lost": lost}))
    return 1 if lost or len(results) < len(FAULTS) else 0


if __name__ == "__main__":
    sys.exit(main())
