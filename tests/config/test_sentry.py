"""Error reports leave nothing anyone wrote, no cookie, no email: the real sentry_sdk, our init and scrubber, and a
transport that keeps the envelopes it would have sent."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import sentry_sdk
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from config.sentry import REMOVED, init_sentry, scrub_event
from reflections.services import journal as journal_services
from tests.conftest import client_for

ENTRY_TITLE = "After the night shift with Mrs Okonkwo-Haldane"
ENTRY_BODY = "I felt overwhelmed when Zephyrine Quillfeather shouted at me in the sluice room."


class KeepingTransport(Transport):
    def __init__(self) -> None:
        super().__init__()
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def serialized(self) -> str:
        return "\n".join(envelope.serialize().decode("utf-8", "replace") for envelope in self.envelopes)

    def events(self) -> list[dict]:
        return [item.payload.json for envelope in self.envelopes for item in envelope.items
                if item.headers.get("type") == "event"]


@pytest.fixture
def sentry() -> Iterator[KeepingTransport]:
    transport = KeepingTransport()
    assert init_sentry("https://public@sentry.heartwood.example/1", environment="test", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: reporting off again for the tests that follow


@pytest.mark.django_db
def test_a_crash_while_saving_a_journal_entry_reports_where_never_what(sentry, alpha, alpha_people, monkeypatch):
    received = {}

    def crash_after_receiving_the_text(**kwargs: object) -> None:
        received.update(kwargs)
        # The kind of message a real bug might produce: it quotes what it was given.
        raise RuntimeError(f"could not save {kwargs['title']!r}: {kwargs['fields']!r}")

    monkeypatch.setattr(journal_services, "entry_create", crash_after_receiving_the_text)
    leader = alpha_people.leader
    client = client_for(alpha, leader)
    client.raise_request_exception = False
    client.get("/journal/new/")  # a CSRF cookie, so the event would have a second cookie to leak
    response = client.post("/journal/new/?utm_source=private-query", {
        "title": ENTRY_TITLE, "template": "free", "body": ENTRY_BODY,
    }, HTTP_X_FORWARDED_FOR="203.0.113.77", HTTP_USER_AGENT="SecretBrowser/1.0")
    assert response.status_code == 500
    assert received["fields"]["body"] == ENTRY_BODY  # the service did receive the text
    sentry_sdk.flush(timeout=5)

    events = sentry.events()
    assert events, "the crash was not reported"
    crash = next(event for event in events if event.get("exception"))
    exception = crash["exception"]["values"][-1]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == REMOVED
    modules = {frame.get("module") for frame in exception["stacktrace"]["frames"]}
    assert "reflections.views" in modules  # it still says where it broke
    assert crash["transaction"] == "/journal/new/"
    assert set(crash.get("request") or {}) <= {"method"}
    assert "user" not in crash

    everything = sentry.serialized()
    cookies = [morsel.value for morsel in client.cookies.values()]
    assert len(cookies) >= 2
    for secret in [ENTRY_BODY, "Zephyrine", "sluice", ENTRY_TITLE, "Okonkwo", leader.email, "private-query",
                   "203.0.113.77", "SecretBrowser", *cookies]:
        assert secret not in everything, secret
    for frame in exception["stacktrace"]["frames"]:
        assert "vars" not in frame


def test_the_scrubber_removes_what_an_integration_might_add():
    event = {
        "request": {"method": "POST", "url": "https://alpha.heartwood.example/invitations/tok3n/",
                    "query_string": "q=secret", "data": {"body": "words"}, "cookies": {"__Host-sessionid": "abc"},
                    "headers": {"Cookie": "abc", "Authorization": "Basic x"}, "env": {"REMOTE_ADDR": "1.2.3.4"}},
        "user": {"id": 7, "email": "someone@example.org", "ip_address": "1.2.3.4"},
        "extra": {"celery-job": {"args": [1], "kwargs": {"text": "words"}}},
        "exception": {"values": [
            {"type": "ValueError", "value": "library message",
             "stacktrace": {"frames": [{"module": "django.db", "vars": {"x": "words"}}]}},
            {"type": "KeyError", "value": "'words'",
             "stacktrace": {"frames": [{"module": "people.services", "vars": {"text": "words"}},
                                       {"module": "django.core", "abs_path": "/usr/lib/x.py"}]}},
        ]},
        "logentry": {"message": "Saving %s failed", "params": ["words"], "formatted": "Saving words failed"},
        "breadcrumbs": {"values": [
            {"category": "query", "message": "SELECT 1 WHERE x = %s", "data": {"db.params": ["words"]}},
            {"category": "reflections", "message": "words", "data": {"text": "words"}},
        ]},
    }
    scrubbed = scrub_event(event)
    assert scrubbed["request"] == {"method": "POST"}
    assert "user" not in scrubbed and "extra" not in scrubbed
    first, second = scrubbed["exception"]["values"]
    assert first["value"] == "library message"  # not through our content apps: kept
    assert second["value"] == REMOVED
    assert scrubbed["logentry"] == {"message": "Saving %s failed"}
    assert scrubbed["breadcrumbs"]["values"] == [{"category": "query", "message": "SELECT 1 WHERE x = %s"},
                                                 {"category": "reflections"}]
    text = json.dumps(scrubbed)
    assert "words" not in text and "someone@" not in text and "1.2.3.4" not in text and "tok3n" not in text


def test_no_dsn_no_reporting():
    assert init_sentry("", environment="test") is False
