"""A real PgBouncer (Debian's `pgbouncer` binary) in front of the test PostgreSQL, for the pooling tests.

It listens on a unix socket in a directory of its own (no TCP port, so nothing clashes with other runs) and
forwards every database name to the server behind it with trust authentication, as the embedded server has.
PgBouncer refuses to run as root: as root it is started as the owner of PostgreSQL's socket directory (the
embedded server runs as `pgserver` there), which can also reach that socket.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import psycopg

T = TypeVar("T")

# Only a name for the socket file (.s.PGSQL.<port>): PgBouncer listens on no TCP address here.
LISTEN_PORT = 6432
DEBIAN_BINARY = "/usr/sbin/pgbouncer"


class PgBouncerMissing(RuntimeError):
    pass


def pgbouncer_binary() -> str:
    found = shutil.which("pgbouncer") or (DEBIAN_BINARY if os.access(DEBIAN_BINARY, os.X_OK) else None)
    if not found:
        raise PgBouncerMissing(
            "PgBouncer is not installed: the transaction-pooling tests need Debian's `pgbouncer` binary "
            "(apt-get install pgbouncer; .ci/run installs it)."
        )
    return found


@dataclass(frozen=True)
class PgBouncer:
    socket_dir: str
    port: int
    log: Path

    user: str

    def log_text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def totals(self, database: str) -> tuple[int, int]:
        """(messages, transactions) PgBouncer has passed to `database` so far (SHOW STATS total_query_count and
        total_xact_count): a multi-statement message counts once, so messages are round trips."""
        with psycopg.connect(host=self.socket_dir, port=self.port, user=self.user, dbname="pgbouncer",
                             autocommit=True) as admin:
            cursor = admin.execute("SHOW STATS")
            names = [column.name for column in cursor.description]
            for row in cursor.fetchall():
                stats = dict(zip(names, row, strict=True))
                if stats["database"] == database:
                    return int(stats["total_query_count"]), int(stats["total_xact_count"])
        return 0, 0


@contextmanager
def running_pgbouncer(
    *, server_host: str, server_port: int | str | None, user: str, pool_mode: str = "transaction",
    pool_size: int = 2, max_clients: int = 100,
) -> Iterator[PgBouncer]:
    """Start PgBouncer in front of the PostgreSQL at `server_host` (a socket directory or a host name); stop it
    and remove its directory on the way out."""
    binary = pgbouncer_binary()
    workdir = Path(tempfile.mkdtemp(prefix="heartwood-pgbouncer-"))
    run_as = None
    if os.geteuid() == 0:
        owner = Path(server_host).stat().st_uid if server_host.startswith("/") else 65534
        import pwd

        run_as = pwd.getpwuid(owner).pw_name
        os.chown(workdir, owner, -1)
    log = workdir / "pgbouncer.log"
    port_part = f" port={server_port}" if server_port else ""
    (workdir / "users.txt").write_text(f'"{user}" ""\n')
    (workdir / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={server_host}{port_part}\n"
        "[pgbouncer]\n"
        f"unix_socket_dir = {workdir}\n"
        f"listen_port = {LISTEN_PORT}\n"
        "auth_type = trust\n"
        f"admin_users = {user}\n"
        f"auth_file = {workdir / 'users.txt'}\n"
        f"pool_mode = {pool_mode}\n"
        f"default_pool_size = {pool_size}\n"
        "min_pool_size = 0\n"
        "reserve_pool_size = 0\n"
        f"max_client_conn = {max_clients}\n"
        f"logfile = {log}\n"
        f"pidfile = {workdir / 'pgbouncer.pid'}\n"
        # Django's connection health check and reconnects must not wait on a dead server for long.
        "server_connect_timeout = 5\n"
    )
    for name in ("users.txt", "pgbouncer.ini"):
        if run_as:
            os.chown(workdir / name, Path(workdir).stat().st_uid, -1)
    command = [binary, *(["-u", run_as] if run_as else []), str(workdir / "pgbouncer.ini")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    bouncer = PgBouncer(socket_dir=str(workdir), port=LISTEN_PORT, log=log, user=user)
    try:
        _wait_until_ready(process, bouncer)
        yield bouncer
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # immediate shutdown: clients are the test's own
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout:
            process.stdout.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_until_ready(process: subprocess.Popen, bouncer: PgBouncer) -> None:
    deadline = time.monotonic() + 15
    socket_file = Path(bouncer.socket_dir) / f".s.PGSQL.{bouncer.port}"
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"PgBouncer exited at start ({process.returncode}):\n{output}\n{bouncer.log_text()}")
        if socket_file.exists():
            try:
                # The admin console answers without a server connection.
                with psycopg.connect(host=bouncer.socket_dir, port=bouncer.port, user=bouncer.user, dbname="pgbouncer",
                                     autocommit=True, connect_timeout=2):
                    return
            except psycopg.OperationalError as error:
                last_error = error
        time.sleep(0.05)
    raise RuntimeError(f"PgBouncer did not answer within 15 s ({last_error}):\n{bouncer.log_text()}")


def point_default_connection_at(bouncer: PgBouncer, mode: str, **overrides: Any) -> None:
    """Send this thread's default Django connection through `bouncer`, in `mode` (the DATABASE_POOL_MODE
    setting). Each thread has a connection of its own, so other threads keep theirs."""
    from django.db import connections

    pooled = connections["default"]
    pooled.close()
    pooled.settings_dict = {
        **pooled.settings_dict, "HOST": bouncer.socket_dir, "PORT": str(bouncer.port), "POOL_MODE": mode,
        "DISABLE_SERVER_SIDE_CURSORS": mode == "transaction", **overrides,
    }


def in_threads(works: list[Callable[[], T]]) -> list[T]:
    """Run every callable at once, each in a thread of its own (with Django connections of its own, closed at the
    end); answer their results in order, or raise the first failure."""
    from django.db import connections

    results: list[Any] = [None] * len(works)
    failures: list[BaseException] = []

    def run(index: int, work: Callable[[], T]) -> None:
        try:
            results[index] = work()
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, work)) for index, work in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results
