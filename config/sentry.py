"""Error reports to Sentry, scrubbed before they leave the process.

Heartwood holds journals, mentoring conversations and feedback: an error report must say where the code broke,
never what anyone wrote or who they are. The SDK is told not to collect personal data (send_default_pii=False,
no local variables, no request bodies); `scrub_event` then removes, whatever the SDK or an integration added:
the request (kept: the method), the user, cookies, headers, query strings, local variables of every frame,
`extra` (Celery puts task arguments there), breadcrumb data and log messages' arguments; and the text of any
exception raised through our apps' code, where it may quote what someone wrote.
"""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.transport import Transport

# Apps whose code handles people's words (journal, mentoring, supervision records, feedback, lessons written by
# organisations): an exception that passed through them may carry that text in its message.
CONTENT_APPS = ("reflections", "people", "courses", "supervision", "feedback", "learningsets", "teams")
REMOVED = "[removed]"

Event = dict[str, Any]


def init_sentry(dsn: str, *, environment: str, release: str | None = None,
                transport: type[Transport] | Transport | None = None) -> bool:
    """Start error reporting when a DSN is set; returns whether it did."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        # The route pattern (`journal/<int:pk>/`), never the path with its ids or tokens.
        integrations=[DjangoIntegration(transaction_style="url"), CeleryIntegration()],
        traces_sample_rate=0.0,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        transport=transport,
    )
    return True


def _frames(event: Event) -> list[dict[str, Any]]:
    frames = []
    for exception in (event.get("exception") or {}).get("values") or []:
        frames.extend((exception.get("stacktrace") or {}).get("frames") or [])
    for thread in (event.get("threads") or {}).get("values") or []:
        frames.extend((thread.get("stacktrace") or {}).get("frames") or [])
    return frames


def _from_content_app(frame: dict[str, Any]) -> bool:
    module = frame.get("module") or ""
    path = (frame.get("abs_path") or frame.get("filename") or "").replace("\\", "/")
    return any(module == app or module.startswith(f"{app}.") or f"/{app}/" in path for app in CONTENT_APPS)


def scrub_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any] | None:
    crumb.pop("data", None)
    # SQL breadcrumbs carry placeholders, not values; any other message (a log line, say) may quote content.
    if crumb.get("category") != "query":
        crumb.pop("message", None)
    return crumb


def scrub_event(event: Event, hint: dict[str, Any] | None = None) -> Event:
    request = event.get("request")
    if request is not None:
        event["request"] = {"method": request.get("method")} if request.get("method") else {}
    event.pop("user", None)
    event.pop("extra", None)
    event.pop("server_name", None)

    for frame in _frames(event):
        frame.pop("vars", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        frames = (exception.get("stacktrace") or {}).get("frames") or []
        if any(_from_content_app(frame) for frame in frames):
            exception["value"] = REMOVED

    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        # Keep the message template (written in code), drop what was interpolated into it.
        logentry.pop("params", None)
        logentry.pop("formatted", None)
    if "message" in event and isinstance(event["message"], str) and logentry:
        event["message"] = logentry.get("message", REMOVED)

    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        scrub_breadcrumb(crumb)
    return event
