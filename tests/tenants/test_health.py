"""Health probes as orchestrators send them (by IP address, any Host), and the workers' state on the console."""

from __future__ import annotations

import logging

import pytest
from celery import current_app
from django.db import OperationalError, connection
from django.test import Client

from tests.conftest import client_for, host

IP_HOST = "10.0.0.5:8000"
SECRET_DETAIL = 'connection to server at "10.9.8.7", port 5432 failed: password authentication failed for "hw_prod"'


def _no_worker_ping(*args: object, **kwargs: object) -> None:
    raise AssertionError("a probe must never wait for a Celery worker")


@pytest.mark.parametrize("path", ["/livez", "/healthz"])
@pytest.mark.parametrize("http_host", [IP_HOST, "10.0.0.5", host(), host("alpha"), "nowhere.example"])
def test_liveness_answers_for_any_host_without_the_database(path, http_host, monkeypatch):
    # No django_db mark: any query would fail this test.
    monkeypatch.setattr(current_app.control, "ping", _no_worker_ping)
    response = Client().get(path, HTTP_HOST=http_host)
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "alive"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("http_host", [IP_HOST, host(), host("alpha")])
def test_readiness_by_ip_address_checks_database_and_redis(http_host, alpha, monkeypatch):
    monkeypatch.setattr(current_app.control, "ping", _no_worker_ping)  # no worker runs here, none is asked
    response = Client().get("/readyz", HTTP_HOST=http_host)
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "redis": "ok"}}
    assert "no-store" in response["Cache-Control"]


def test_probes_only_answer_get_and_head():
    assert Client().post("/livez", HTTP_HOST=IP_HOST).status_code == 405
    assert Client().head("/livez", HTTP_HOST=IP_HOST).status_code == 200


@pytest.mark.django_db
def test_readiness_is_503_when_the_database_is_unreachable_and_keeps_the_reason_in_the_log(monkeypatch, caplog):
    def unreachable(*args: object, **kwargs: object) -> None:
        raise OperationalError(SECRET_DETAIL)

    monkeypatch.setattr(connection, "cursor", unreachable)
    with caplog.at_level(logging.ERROR, logger="tenants.health"):
        response = Client().get("/readyz", HTTP_HOST=IP_HOST)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "unavailable", "redis": "ok"}}
    body = response.content.decode()
    assert "10.9.8.7" not in body and "hw_prod" not in body and "OperationalError" not in body
    assert any("hw_prod" in record.exc_text for record in caplog.records if record.exc_text)


@pytest.mark.django_db
def test_readiness_is_503_when_redis_is_unreachable(settings, monkeypatch, caplog):
    # Port 1 on this machine refuses connections: a real failure, not a mock.
    monkeypatch.setitem(settings.CACHES["default"], "LOCATION", "redis://127.0.0.1:1/0")
    with caplog.at_level(logging.ERROR, logger="tenants.health"):
        response = Client().get("/readyz", HTTP_HOST=IP_HOST)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "redis": "unavailable"}}
    assert "127.0.0.1" not in response.content.decode() and "Error" not in response.content.decode()
    assert any(record.exc_text and "ConnectionError" in record.exc_text for record in caplog.records)


# --- The workers' state, on the operator console ---------------------------------------------------------


@pytest.mark.django_db
def test_the_console_shows_the_running_workers(operator, celery_worker_session):
    response = client_for(None, operator).get("/console/workers/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Answering" in page
    assert celery_worker_session.hostname in page


@pytest.mark.django_db
def test_the_console_says_when_no_worker_answers(operator, monkeypatch):
    monkeypatch.setattr(current_app.control, "ping", lambda **kwargs: [])
    page = client_for(None, operator).get("/console/workers/").content.decode()
    assert "No worker answered within a second" in page


@pytest.mark.django_db
def test_the_console_says_when_redis_cannot_be_reached_to_ask(operator, monkeypatch):
    def broker_down(**kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(current_app.control, "ping", broker_down)
    page = client_for(None, operator).get("/console/workers/").content.decode()
    assert "could not reach Redis to ask the workers" in page
    assert "Error 111" not in page


@pytest.mark.django_db
def test_the_workers_page_is_for_operators_only(alpha, alpha_people):
    assert Client(HTTP_HOST=host()).get("/console/workers/").status_code == 302
    assert client_for(alpha, alpha_people.admin).get("/console/workers/").status_code == 404
