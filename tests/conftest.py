"""Shared fixtures: two organisations created once per session, clients per host, a committed-data mode for
tests that need a real Celery worker or a live server (see ../shared/PITFALLS.md, "Tests")."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.test import Client
from django_tenants.utils import schema_context, tenant_context

from people.models import User
from people.services import user_create
from tenants.models import Domain, Organisation
from tenants.routing import forget_hosts
from tenants.services import organisation_create, public_ensure, template_ensure

PASSWORD = "a-long-test-password-42"
TEST_ORGS = {"alpha": "Alpha Care", "beta": "Beta Support"}
# Tables that hold what migrations made, not what tests wrote.
KEEP_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


def host(subdomain: str | None = None) -> str:
    return f"{subdomain}.{settings.BASE_DOMAIN}" if subdomain else settings.BASE_DOMAIN


def ensure_test_organisations() -> dict[str, Organisation]:
    connection.set_schema_to_public()
    public_ensure()
    template_ensure()
    orgs = {}
    for subdomain, name in TEST_ORGS.items():
        domain = Domain.objects.filter(domain=host(subdomain)).select_related("tenant").first()
        orgs[subdomain] = domain.tenant if domain else organisation_create(name=name, subdomain=subdomain)
    return orgs


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    made = None
    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            # pytest-django creates the test database only when some collected test uses `db` or a django_db
            # mark; a run of `live_db` tests alone (tests/e2e) would otherwise truncate the development database.
            from django.test.utils import setup_databases

            made = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        ensure_test_organisations()
    yield
    if made is not None:
        from django.test.utils import teardown_databases

        with django_db_blocker.unblock():
            teardown_databases(made, verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    forget_hosts()
    yield
    connection.set_schema_to_public()
    forget_hosts()


@pytest.fixture(autouse=True)
def _clear_cache(request: pytest.FixtureRequest) -> None:
    # Redis databases of their own (config.settings.test); rate limits must not leak between tests.
    cache.clear()


@pytest.fixture
def alpha(django_db_setup, django_db_blocker) -> Organisation:
    with django_db_blocker.unblock():
        return Domain.objects.select_related("tenant").get(domain=host("alpha")).tenant


@pytest.fixture
def beta(django_db_setup, django_db_blocker) -> Organisation:
    with django_db_blocker.unblock():
        return Domain.objects.select_related("tenant").get(domain=host("beta")).tenant


def make_person(
    organisation: Organisation, roles: list[str] | tuple[str, ...] = ("leader",), *, email: str | None = None,
    name: str | None = None, password: str = PASSWORD,
) -> User:
    """A verified person in `organisation` (the connection returns to public afterwards)."""
    with tenant_context(organisation):
        count = User.objects.count()
        role_part = "-".join(roles) or "member"
        email = email or f"{role_part}{count + 1}.org{organisation.pk}@example.org"
        return user_create(
            email=email, full_name=name or f"{role_part.title()} {count + 1}", roles=list(roles),
            password=password, verified=True,
        )


def client_for(organisation: Organisation | None, user: User | None = None) -> Client:
    """A test client bound to one host (Django's client sends cookies to every host: one per host)."""
    subdomain = None
    if organisation is not None and organisation.schema_name != settings.PUBLIC_SCHEMA_NAME:
        subdomain = Domain.objects.get(tenant=organisation, is_primary=True).domain.split(".")[0]
    client = Client(HTTP_HOST=host(subdomain))
    if user is not None:
        with tenant_context(organisation) if organisation is not None else schema_context("public"):
            client.force_login(user)
    return client


def demo_people(organisation: Organisation) -> dict[str, User]:
    """The demo organisation's three people (tenants.demo_seeding's `people`): an admin, and a leader paired with a
    mentor for six weeks."""
    from datetime import timedelta

    from django.utils import timezone

    from people.models import MentorPairing

    found = {
        "admin": make_person(organisation, ["admin", "leader"], name="Priya Admin"),
        "leader": make_person(organisation, ["leader"], name="Sam Leader"),
        "mentor": make_person(organisation, ["mentor"], name="Morgan Mentor"),
    }
    with tenant_context(organisation):
        MentorPairing.objects.create(
            leader=found["leader"], mentor=found["mentor"], starts_on=timezone.localdate() - timedelta(days=42)
        )
    return found


@contextmanager
def broker_unreachable() -> Iterator[None]:
    """Redis "down" for Celery inside the block: the broker address points where nothing listens."""
    from config.celery_app import app

    working = app.conf.broker_url

    def point_at(url: str) -> None:
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    point_at("redis://127.0.0.1:1/1")
    try:
        yield
    finally:
        point_at(working)


@dataclass
class People:
    admin: User
    leader: User
    mentor: User


@pytest.fixture
def alpha_people(db, alpha: Organisation) -> People:
    return People(
        admin=make_person(alpha, ["admin", "leader"], name="Ada Admin"),
        leader=make_person(alpha, ["leader"], name="Lee Leader"),
        mentor=make_person(alpha, ["mentor"], name="Mo Mentor"),
    )


# --- Committed data: a real Celery worker or a browser cannot see a test's open transaction.


def _restore_shipped_content(cursor, schema: str, tables: list[str]) -> None:
    """Put back what a new organisation starts with (the curriculum, the prompts): a copy of the template's
    rows, as cloning made them, with sequences moved past the copied ids."""
    template = settings.TENANT_BASE_SCHEMA
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for name in tables:
        cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{template}"."{name}")')
        if not cursor.fetchone()[0]:
            continue
        cursor.execute(f'INSERT INTO "{schema}"."{name}" SELECT * FROM "{template}"."{name}"')
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, 'id') FROM information_schema.columns"
            " WHERE table_schema = %s AND table_name = %s AND column_name = 'id'",
            [f'"{schema}"."{name}"', schema, name],
        )
        sequence = (cursor.fetchone() or [None])[0]
        if sequence:
            cursor.execute(f'SELECT setval(%s, COALESCE((SELECT max(id) FROM "{schema}"."{name}"), 0) + 1, false)',
                           [sequence])


_shipped_tables: list[str] = []


def _shipped(cursor) -> set[str]:
    """Tables the template holds rows in (the curriculum, the prompts): what a new organisation starts with."""
    if not _shipped_tables:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [settings.TENANT_BASE_SCHEMA])
        names = [name for (name,) in cursor.fetchall() if name not in KEEP_TABLES]
        cursor.execute(" UNION ALL ".join(
            f'SELECT %s WHERE EXISTS (SELECT 1 FROM "{settings.TENANT_BASE_SCHEMA}"."{name}")' for name in names
        ), names)
        _shipped_tables.extend(name for (name,) in cursor.fetchall())
    return set(_shipped_tables)


def _dirty_tables(cursor, schema: str, tables: list[str]) -> list[str]:
    """In one query: the tables holding rows a test wrote, i.e. any rows at all, or for a shipped table any row
    that differs from the template's."""
    template, shipped = settings.TENANT_BASE_SCHEMA, _shipped(cursor)
    parts = []
    for name in tables:
        mine, theirs = f'"{schema}"."{name}"', f'"{template}"."{name}"'
        if name in shipped:
            parts.append(f"SELECT %s WHERE EXISTS (SELECT * FROM {mine} EXCEPT SELECT * FROM {theirs})"
                         f" OR EXISTS (SELECT * FROM {theirs} EXCEPT SELECT * FROM {mine})")
        else:
            parts.append(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {mine})")
    cursor.execute(" UNION ALL ".join(parts), tables)
    return [name for (name,) in cursor.fetchall()]


def _truncate_tenant_data() -> None:
    """Each test organisation back to how cloning made it, and every other organisation and spare gone.

    Only the tables a test wrote to are truncated (one query finds them): truncating all ~130 tables of both
    organisations, every time, cost 0.7–2.9 s before and after each committed-data test."""
    connection.set_schema_to_public()
    fixed = {host(sub) for sub in TEST_ORGS} | {host()}
    # Spares too: a refill a worker ran late (queued by an earlier test's sign-up) must not outlive its test.
    for org in Organisation.objects.filter(
        kind__in=[Organisation.Kind.ORGANISATION, Organisation.Kind.SPARE]
    ).exclude(domains__domain__in=fixed):
        org.delete(force_drop=True)
    with transaction.atomic(), connection.cursor() as cursor:
        for org in Organisation.objects.filter(domains__domain__in=[host(sub) for sub in TEST_ORGS]):
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", [org.schema_name]
            )
            tables = [name for (name,) in cursor.fetchall() if name not in KEEP_TABLES]
            dirty = _dirty_tables(cursor, org.schema_name, tables)
            if dirty:
                quoted = ", ".join(f'"{org.schema_name}"."{name}"' for name in dirty)
                cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
                # CASCADE may have emptied a shipped table that referenced one of them: put back what is missing.
                shipped = sorted(_shipped(cursor) & set(tables))
                cursor.execute(" UNION ALL ".join(
                    f'SELECT %s WHERE NOT EXISTS (SELECT 1 FROM "{org.schema_name}"."{name}")' for name in shipped
                ), shipped)
                _restore_shipped_content(cursor, org.schema_name, [name for (name,) in cursor.fetchall()])
        # Platform operators made by tests.
        cursor.execute("TRUNCATE public.people_user, public.django_session RESTART IDENTITY CASCADE")
    forget_hosts()


@pytest.fixture
def live_db(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Database access with autocommit: what the test writes is visible to other threads at once."""
    with django_db_blocker.unblock():
        _truncate_tenant_data()
        try:
            yield
        finally:
            for conn in connections.all():
                if conn.in_atomic_block:
                    conn.rollback()
            # Nothing this test queued may run in a later one (a worker started then would pick it up).
            from config.celery_app import app

            app.control.purge()
            _truncate_tenant_data()
            connection.close()


class _TasksInFlight:
    """Tasks published from this process (a test, or the in-process worker queueing more) that the worker has not
    finished: waiting for none to be left replaces sleeping "until nothing more arrives". A task with an ETA (a
    retry's countdown) is not waited for."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: set[str] = set()
        self.finished: set[str] = set()

    def reset(self) -> None:
        with self.lock:
            self.pending.clear()
            self.finished.clear()

    def published(self, headers: dict | None = None, **kwargs: object) -> None:
        headers = headers or {}
        if headers.get("id") and not headers.get("eta"):
            with self.lock:
                if headers["id"] not in self.finished:  # the worker may finish before this signal is sent
                    self.pending.add(headers["id"])

    def done(self, task_id: str | None = None, request: object = None, message: object = None,
             **kwargs: object) -> None:
        task_id = (task_id or getattr(request, "id", None) or kwargs.get("id")
                   or (getattr(message, "headers", None) or {}).get("id"))
        with self.lock:
            self.pending.discard(task_id)
            self.finished.add(task_id)


TASKS_IN_FLIGHT = _TasksInFlight()


def worker_drained(timeout: float = 20.0) -> None:
    """Wait until the real worker has run every task published since the test began (and those they queued)."""
    deadline = time.monotonic() + timeout
    while TASKS_IN_FLIGHT.pending and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not TASKS_IN_FLIGHT.pending, f"tasks not run after {timeout} s: {sorted(TASKS_IN_FLIGHT.pending)}"


@pytest.fixture(scope="session")
def celery_worker_session(django_db_setup, django_db_blocker):
    from celery import signals
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app

    signals.after_task_publish.connect(TASKS_IN_FLIGHT.published, weak=False)
    signals.task_postrun.connect(TASKS_IN_FLIGHT.done, weak=False)
    signals.task_revoked.connect(TASKS_IN_FLIGHT.done, weak=False)
    signals.task_rejected.connect(TASKS_IN_FLIGHT.done, weak=False)
    signals.task_unknown.connect(TASKS_IN_FLIGHT.done, weak=False)
    context = start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING")
    with django_db_blocker.unblock():
        worker = context.__enter__()
    try:
        yield worker
    finally:
        with django_db_blocker.unblock():
            context.__exit__(None, None, None)


@pytest.fixture
def celery_worker(live_db, celery_worker_session):
    TASKS_IN_FLIGHT.reset()
    return celery_worker_session


class _ServerThread(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.ready = threading.Event()
        self.port = 0
        self.httpd = None

    def run(self) -> None:
        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
        from django.core.wsgi import get_wsgi_application

        class QuietHandler(WSGIRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
        self.httpd.set_app(StaticFilesHandler(get_wsgi_application()))
        self.port = self.httpd.server_address[1]
        self.ready.set()
        self.httpd.serve_forever(poll_interval=0.1)


@pytest.fixture(scope="session")
def live_server_port(django_db_setup, django_db_blocker) -> Iterator[int]:
    """A threaded server on a free port, serving every host (`alpha.localhost:PORT` …)."""
    server = _ServerThread()
    server.start()
    server.ready.wait(10)
    yield server.port
    server.httpd.shutdown()


@pytest.fixture
def live_url(live_db, live_server_port: int):
    def url(subdomain: str | None = None, path: str = "/") -> str:
        return f"http://{host(subdomain)}:{live_server_port}{path}"

    return url


@pytest.fixture
def local_inbox(tmp_path) -> Iterator:
    """Development's email (config.inbox): every message a file in a folder, read at /inbox/ on the public site,
    with the URL conf read again so the inbox pages exist. Web and worker threads of a test both send through it,
    as web and worker do in `make run`."""
    import importlib

    from django.test import override_settings
    from django.urls import clear_url_caches

    import config.urls_public

    folder = tmp_path / "mail"
    with override_settings(LOCAL_INBOX_DIR=folder, EMAIL_BACKEND="config.inbox.backend.InboxBackend"):
        importlib.reload(config.urls_public)
        clear_url_caches()
        yield folder
    importlib.reload(config.urls_public)
    clear_url_caches()



def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """No test may ask pytest-django for a transactional database: its teardown flushes every table, the public
    schema's domains included, and every later test that needs an organisation fails. Use `live_db` (committed
    data, cleaned back to what a new organisation starts with) in a module without a module-wide `django_db` mark."""
    wrong = [
        item.nodeid for item in items
        if (marker := item.get_closest_marker("django_db")) is not None and marker.kwargs.get("transaction")
        or "transactional_db" in getattr(item, "fixturenames", ())
    ]
    if wrong:
        raise pytest.UsageError("Use live_db, not a transactional database: " + ", ".join(wrong))
