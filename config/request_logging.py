"""One JSON line per request (production), and a request id that follows the request.

The line says which request, for which organisation (its id, never its schema name), how it ended and how long
it took: request_id, organisation_id, method, route (the URL pattern, `journal/<int:pk>/`, so no ids or tokens;
the path without its query string when nothing matched), status, duration_ms. Never a body, a query string,
a header or a cookie. The request id comes from the proxy's `X-Request-ID` when it looks like one, otherwise it
is made here, and it is sent back in the response's `X-Request-ID`.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from config.sentry import CONTENT_APPS, REMOVED

logger = logging.getLogger("heartwood.request")

# Proxies send UUIDs or similar tokens; anything else (long, odd characters, log-line tricks) is replaced.
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
REQUEST_ID_HEADER = "X-Request-ID"


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return "/" + match.route.lstrip("^")
    return request.path  # `path` never includes the query string


def _organisation_id(request: HttpRequest) -> int | None:
    tenant = getattr(request, "tenant", None)
    if tenant is None or getattr(tenant, "schema_name", None) == settings.PUBLIC_SCHEMA_NAME:
        return None
    return tenant.pk


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = request.request_id
            return response
        finally:
            logger.info("request", extra={
                "request_id": request.request_id,
                "organisation_id": _organisation_id(request),
                "method": request.method,
                "route": _route(request),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            })


# Attributes every LogRecord has; anything else on a record was passed in `extra=` and goes into the line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


def _through_content_apps(frames: traceback.StackSummary) -> bool:
    roots = tuple(f"{settings.BASE_DIR / app}/" for app in CONTENT_APPS)
    return any(frame.filename.startswith(roots) for frame in frames)


class JsonFormatter(logging.Formatter):
    """Each record as one line of JSON: time, level, logger, message, the `extra=` fields, and the exception.

    An exception that passed through code handling people's words (config.sentry.CONTENT_APPS) is logged with
    its type and traceback but not its message, which may quote what someone wrote.
    """

    def formatException(self, exc_info: tuple[type[BaseException], BaseException, TracebackType | None]) -> str:
        exc_type, exc, tb = exc_info
        frames = traceback.extract_tb(tb)
        message = REMOVED if _through_content_apps(frames) else str(exc)
        return "Traceback (most recent call last):\n" + "".join(frames.format()) + f"{exc_type.__name__}: {message}"

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)
