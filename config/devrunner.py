"""The local runner behind `make run` and `make test`.

It owns the embedded PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL point elsewhere), hands their
URLs to every process it starts, and on Ctrl-C or SIGTERM stops all of them: children first, then Redis,
then PostgreSQL.

    python -m config.devrunner run            # migrate, demo organisation, web + worker + beat
    python -m config.devrunner test [ARGS]    # the test suite (pytest ARGS)
    python -m config.devrunner exec CMD ...   # any command with the services up (benchmarks)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from config.embedded import BASE_DIR, EmbeddedRedis, drop_stale_test_databases, free_port, postgres_url

PYTHON = sys.executable
COLOURS = {"web": "\033[36m", "worker": "\033[35m", "beat": "\033[33m"}


class Stop(Exception):
    pass


def _raise_stop(signum: int, frame: object) -> None:
    raise Stop()


class Services:
    """PostgreSQL and Redis for as long as the runner lives."""

    def __init__(self, redis_name: str, per_process: bool = False) -> None:
        self.redis = None if os.environ.get("REDIS_URL") else EmbeddedRedis(redis_name, per_process)

    def __enter__(self) -> dict[str, str]:
        env = dict(os.environ)
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = postgres_url()  # stopped by pgserver's atexit when we exit
            drop_stale_test_databases(env["DATABASE_URL"])
        if self.redis:
            env["REDIS_URL"] = self.redis.start()
        env.setdefault("PYTHONUNBUFFERED", "1")
        return env

    def __exit__(self, *exc: object) -> None:
        if self.redis:
            self.redis.stop()


def _pump(label: str, stream: object, width: int) -> None:
    colour = COLOURS.get(label, "") if sys.stdout.isatty() else ""
    reset = "\033[0m" if colour else ""
    for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
        line = raw.decode(errors="replace").rstrip()
        sys.stdout.write(f"{colour}{label:<{width}}{reset} | {line}\n")
        sys.stdout.flush()


def _start(label: str, cmd: Sequence[str], env: dict[str, str], width: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        list(cmd), cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so stopping it stops its children too
    )
    threading.Thread(target=_pump, args=(label, proc.stdout, width), daemon=True).start()
    return proc


GROUPS_FILE = Path(BASE_DIR, ".local", "run-process-groups.json")


def group_members(pgid: int, markers: tuple[bytes, ...] = (b"manage.py", b"config.celery_app")) -> list[int]:
    """Live processes of a process group that are ours, by a marker in their command line (a reused group id must
    never hit a stranger); zombies are left out."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if int(fields[2]) == pgid and fields[0] != "Z" and any(marker in cmdline for marker in markers):
            members.append(int(entry.name))
    return members


def _kill_leftover_groups() -> None:
    """A runner killed with -9 could not stop its web, worker and beat: stop whatever of them is left."""
    try:
        groups = [int(pgid) for pgid in json.loads(GROUPS_FILE.read_text())]
    except (OSError, ValueError, TypeError):
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        members = [pid for pgid in groups for pid in group_members(pgid)]
        for pid in members:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        if members and sig == signal.SIGTERM:
            time.sleep(3)
    GROUPS_FILE.unlink(missing_ok=True)


def _remember_groups(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    GROUPS_FILE.parent.mkdir(parents=True, exist_ok=True)
    GROUPS_FILE.write_text(json.dumps([proc.pid for proc in procs.values()]))


def _stop_all(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 10
    for proc in procs.values():
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def _web_port() -> int:
    wanted = int(os.environ.get("PORT", "8000"))
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", wanted))
            return wanted
        except OSError:
            return free_port()


def run() -> int:
    env_settings = os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    _kill_leftover_groups()
    with Services("redis") as env:
        env["DJANGO_SETTINGS_MODULE"] = env_settings
        port = _web_port()
        env["SITE_PORT"] = str(port)
        print("Migrating the public schema and every organisation…", flush=True)
        _manage(env, "migrate_schemas", "--executor=heartwood", "-v", "0")
        # Shipped content changed since the last run (a module's version raised) reaches the demo too.
        _manage(env, "curriculum_sync", "-v", "0")
        _manage(env, "bootstrap_demo")
        celery = [PYTHON, "-m", "celery", "-A", "config.celery_app"]
        procs = {
            "web": _start("web", [PYTHON, "manage.py", "runserver", f"0.0.0.0:{port}"], env, 6),
            "worker": _start("worker", [*celery, "worker", "--loglevel=INFO", "--concurrency=2"], env, 6),
            "beat": _start(
                "beat",
                [*celery, "beat", "--loglevel=INFO", "-s", str(Path(BASE_DIR, ".local", "celerybeat-schedule"))],
                env, 6,
            ),
        }
        _remember_groups(procs)
        # Development settings keep every email in the local inbox (config.inbox) instead of sending it.
        inbox = f"  local inbox        http://localhost:{port}/inbox/  (every email sent, links work)\n"
        print(
            "\nHeartwood is starting:\n"
            f"  public site        http://localhost:{port}/\n"
            f"  demo organisation  http://demo.localhost:{port}/accounts/login/\n"
            f"{inbox if env_settings == 'config.settings.dev' else ''}"
            "  (logins above; Ctrl-C stops everything)\n",
            flush=True,
        )
        try:
            while all(p.poll() is None for p in procs.values()):
                time.sleep(0.5)
            dead = [name for name, p in procs.items() if p.poll() is not None]
            print(f"{', '.join(dead)} stopped; shutting the rest down.", flush=True)
            return 1
        except Stop:
            print("\nStopping web, worker and beat…", flush=True)
            return 0
        finally:
            _stop_all(procs)
            GROUPS_FILE.unlink(missing_ok=True)
            print("Stopped Redis and PostgreSQL.", flush=True)


def run_command(cmd: Sequence[str], redis_name: str, settings_module: str | None = None) -> int:
    with Services(redis_name, per_process=True) as env:
        if settings_module:
            env["DJANGO_SETTINGS_MODULE"] = settings_module
        proc = subprocess.Popen(list(cmd), cwd=BASE_DIR, env=env, start_new_session=True)
        try:
            return proc.wait()
        except Stop:
            _stop_all({"cmd": proc})
            return 130


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    signal.signal(signal.SIGHUP, _raise_stop)
    os.chdir(BASE_DIR)
    command, rest = (argv[0], argv[1:]) if argv else ("run", [])
    try:
        if command == "run":
            return run()
        if command == "test":
            return run_command(
                [PYTHON, "-m", "pytest", *rest], "redis-test", settings_module="config.settings.test"
            )
        if command == "exec":
            return run_command(rest, "redis-bench")
    except Stop:
        return 130
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
