"""One JSON line per request in production: request id, organisation id, method, route, status, duration; never a
body, a query string or the schema name."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from config.request_logging import JsonFormatter
from reflections.services import journal as journal_services
from tests.conftest import client_for, host

pytestmark = pytest.mark.django_db

SECRET_BODY = "Nobody must read that Ignatius Wolstenholme-Pryce cried in the car park."


@pytest.fixture
def request_lines(settings, caplog) -> list[dict]:
    """The production middleware order, and every request line as its JSON formatter writes it."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("tenants.middleware.ProbeMiddleware") + 1,
                      "config.request_logging.RequestLogMiddleware")
    settings.MIDDLEWARE = middleware
    caplog.set_level(logging.INFO, logger="heartwood.request")
    formatter = JsonFormatter()

    class Lines(list):
        def read(self) -> list[dict]:
            self[:] = [formatter.format(r) for r in caplog.records if r.name == "heartwood.request"]
            assert all("\n" not in line for line in self)
            return [json.loads(line) for line in self]

    return Lines()


def test_a_journal_page_is_one_line_with_the_organisations_id_and_route(request_lines, alpha, alpha_people):
    leader = alpha_people.leader
    with tenant_context(alpha):
        entry = journal_services.entry_create(author=leader, title="Private title", template="free",
                                              fields={"body": SECRET_BODY})
    response = client_for(alpha, leader).get(f"/journal/{entry.pk}/?search=Wolstenholme",
                                             HTTP_X_REQUEST_ID="req-4f1c2a9e-from-proxy")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-4f1c2a9e-from-proxy"
    [line] = request_lines.read()
    assert line["request_id"] == "req-4f1c2a9e-from-proxy"
    assert line["organisation_id"] == alpha.pk
    assert line["method"] == "GET" and line["status"] == 200
    assert line["route"] == "/journal/<int:pk>/"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["level"] == "INFO" and line["logger"] == "heartwood.request"
    text = request_lines[0]
    for secret in ("Wolstenholme", "search", SECRET_BODY, "Private title", alpha.schema_name, leader.email):
        assert secret not in text, secret


def test_a_posted_entry_never_reaches_the_log(request_lines, alpha, alpha_people):
    response = client_for(alpha, alpha_people.leader).post(
        "/journal/new/", {"title": "Car park", "template": "free", "body": SECRET_BODY})
    assert response.status_code == 302
    [line] = request_lines.read()
    assert line["route"] == "/journal/new/" and line["method"] == "POST" and line["status"] == 302
    assert "Wolstenholme" not in request_lines[0] and "Car park" not in request_lines[0]


@pytest.mark.parametrize("given", ["", "short", "has spaces in it", "x" * 200, "evil\"}\n{\"status\":200"])
def test_a_missing_or_odd_request_id_is_replaced(request_lines, given):
    response = Client(HTTP_HOST=host()).get("/", HTTP_X_REQUEST_ID=given)
    [line] = request_lines.read()
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert response["X-Request-ID"] == line["request_id"]
    assert line["organisation_id"] is None  # the public site
    assert line["route"] == "/"


def test_an_unknown_host_is_logged_by_path_without_query(request_lines):
    response = Client(HTTP_HOST=host("nobody-here")).get("/some/where/?token=abc123")
    assert response.status_code == 404
    [line] = request_lines.read()
    assert line["route"] == "/some/where/" and line["status"] == 404 and line["organisation_id"] is None
    assert "abc123" not in request_lines[0]


def test_probes_are_not_logged(request_lines):
    assert Client().get("/livez", HTTP_HOST="10.0.0.5").status_code == 200
    assert request_lines.read() == []


def test_a_crash_is_logged_with_its_traceback_but_not_the_words_it_quotes(request_lines, alpha, alpha_people,
                                                                           monkeypatch, caplog):
    def crash(**kwargs: object) -> None:
        raise RuntimeError(f"could not save {kwargs['fields']!r}")

    monkeypatch.setattr(journal_services, "entry_create", crash)
    client = client_for(alpha, alpha_people.leader)
    client.raise_request_exception = False
    assert client.post("/journal/new/", {"title": "t", "template": "free", "body": SECRET_BODY}).status_code == 500
    [line] = request_lines.read()
    assert line["status"] == 500
    formatter = JsonFormatter()
    errors = [json.loads(formatter.format(r)) for r in caplog.records if r.name == "django.request"]
    assert errors and "RuntimeError: [removed]" in errors[0]["exception"]
    assert "reflections/views.py" in errors[0]["exception"]
    assert all(SECRET_BODY not in json.dumps(error) for error in errors)
