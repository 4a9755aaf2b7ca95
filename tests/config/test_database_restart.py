"""PostgreSQL restarted under a running web process and a running worker: both carry on without a restart of their
own. A restart ends every client connection on the server side, which is what these tests do to the test database
(pg_terminate_backend from a connection of their own), with connections kept open between requests and tasks as in
production (CONN_MAX_AGE, CONN_HEALTH_CHECKS)."""

from __future__ import annotations

import psycopg
import pytest
from django.db import close_old_connections, connection
from django_tenants.utils import tenant_context

from reflections.models import JournalEntry
from reflections.prompt_tasks import prompts_dispatch
from tests.conftest import client_for, make_person


def drop_client_connections() -> int:
    """End every client connection to the test database but this one, as a PostgreSQL restart does."""
    params = connection.get_connection_params()
    keep = {key: params[key] for key in ("dbname", "user", "password", "host", "port") if params.get(key)}
    with psycopg.connect(**keep, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        ).fetchall()
    return len(rows)


@pytest.fixture
def persistent_connections(monkeypatch) -> None:
    # Tests close connections after each request; production keeps them (CONN_MAX_AGE=60 in config.settings.base).
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()


def test_after_the_database_ends_every_connection_the_next_request_works_and_its_write_is_committed(
    live_db, alpha, persistent_connections
):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    assert client.get("/journal/").status_code == 200
    assert connection.connection is not None, "the connection should outlive the request, as in production"
    before = connection.connection.info.backend_pid
    assert drop_client_connections() >= 1

    # Django's request handler runs this at the start of every request (request_started); the test client leaves
    # it out so that tests may keep a transaction open across requests. It asks for a health check before the next
    # query, which finds the connection dead and connects again.
    close_old_connections()
    assert client.get("/journal/").status_code == 200
    assert connection.connection.info.backend_pid != before
    saved = client.post("/journal/new/", {"title": "After the restart", "template": "free", "body": "Still here."})
    assert saved.status_code == 302
    connection.close()
    with tenant_context(alpha):
        assert JournalEntry.objects.filter(author=leader, title="After the restart").count() == 1


def test_a_worker_after_the_database_ended_every_connection_runs_its_next_tasks(celery_worker, alpha):
    """Celery's Django fix-up closes the worker's connections before and after every task (CELERY_DB_REUSE_MAX is
    unset), so a worker never starts a task on a connection a restart ended."""
    with tenant_context(alpha):
        assert prompts_dispatch.delay().get(timeout=20) == 0
    connection.close()  # the test's own; the worker's are the subject
    drop_client_connections()
    with tenant_context(alpha):
        assert prompts_dispatch.delay().get(timeout=20) == 0
        assert prompts_dispatch.delay().get(timeout=20) == 0
