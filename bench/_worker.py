"""A real Celery worker for the benchmarks: started as `celery -A config.celery_app worker`, waited for, its CPU
read and stopped (a helper, not a benchmark: `make bench` skips files starting with "_")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker_start(env: dict[str, str], log: Path, *, name: str, pool: str = "prefork", concurrency: int = 2,
                 include: str | None = None) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "celery", "-A", "config.celery_app", "worker", f"--pool={pool}",
           f"--concurrency={concurrency}", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
           "--without-heartbeat", "-n", f"{name}@%h"]
    if include:
        cmd.append(f"--include={include}")
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def worker_wait(proc: subprocess.Popen[bytes], log: Path) -> None:
    """Until the worker answers a ping (Django must be set up in this process)."""
    import time

    from config.celery_app import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"The worker exited:\n{log.read_text()[-3000:]}")
        if app.control.ping(timeout=0.5):
            return
    raise SystemExit(f"The worker did not answer within 60 s:\n{log.read_text()[-3000:]}")


def worker_cpu(proc: subprocess.Popen[bytes]) -> float | None:
    """CPU seconds (user + system) used so far by the worker and its pool processes (psutil comes with the
    embedded servers' packages); a figure the machine's other load does not inflate much, unlike wall time."""
    try:
        import psutil
    except ImportError:
        return None
    parent = psutil.Process(proc.pid)
    return sum(sum(p.cpu_times()[:2]) for p in [parent, *parent.children(recursive=True)])


def worker_stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
