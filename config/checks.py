"""The start-up check of production settings: says, by name, every variable that is missing, and refuses
database settings that contradict transaction pooling.

Registered by config.apps (installed only by config.settings.production), so it runs with every management
command that checks (`check --deploy`, `migrate_schemas`) and with the image's start command. DATABASE_URL,
REDIS_URL and DJANGO_SECRET_KEY never get this far: without them the settings refuse to load.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

SECURE_EMAIL_SCHEMES = ("smtp+tls://", "smtps://", "smtp+ssl://")


def production_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if not settings.EMAIL_URL:
        problems.append(Error(
            "EMAIL_URL is not set: Heartwood cannot send verification, invitation or prompt emails.",
            hint="Set EMAIL_URL=smtp+tls://user:password@smtp.example.org:587",
            id="heartwood.E001",
        ))
    elif not settings.EMAIL_URL.startswith(SECURE_EMAIL_SCHEMES):
        problems.append(Warning(
            "EMAIL_URL does not use TLS: the mail server's password and every email cross the network in clear.",
            hint="Use smtp+tls:// (STARTTLS, port 587) or smtps:// (port 465).",
            id="heartwood.W001",
        ))
    if not settings.DEFAULT_FROM_EMAIL:
        problems.append(Error(
            "DEFAULT_FROM_EMAIL is not set: emails would have no sender.",
            hint='Set DEFAULT_FROM_EMAIL="Heartwood <hello@your-domain.example>"',
            id="heartwood.E002",
        ))
    base_domain = settings.BASE_DOMAIN
    if not base_domain or base_domain == "localhost" or base_domain.endswith(".localhost"):
        problems.append(Error(
            "BASE_DOMAIN is not set: organisations live at <address>.BASE_DOMAIN, and links in emails are built "
            "from it.",
            hint="Set BASE_DOMAIN=heartwood.example.org (with a wildcard DNS record and certificate for it).",
            id="heartwood.E003",
        ))
    if not settings.SENTRY_DSN:
        problems.append(Warning(
            "SENTRY_DSN is not set: errors are only in the logs, nobody is alerted.",
            hint="Set SENTRY_DSN to your Sentry project's DSN (events are scrubbed of content: config.sentry).",
            id="heartwood.W002",
        ))
    problems.extend(database_pool_mode())
    return problems


def database_pool_mode(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Refuse settings that contradict DATABASE_POOL_MODE=transaction (config.db): anything that keeps state on
    a server connection between statements would meet another organisation's statements there."""
    return pool_mode_problems(settings.DATABASES)


def pool_mode_problems(databases: dict[str, dict[str, Any]]) -> list[CheckMessage]:
    from config.db.base import POOL_MODES, TRANSACTION

    problems: list[CheckMessage] = []
    for alias, database in databases.items():
        mode = database.get("POOL_MODE") or "session"
        if mode not in POOL_MODES:
            problems.append(Error(
                f"DATABASE_POOL_MODE is {mode!r} for the {alias!r} database.",
                hint="Use 'session' (a direct connection, or PgBouncer with pool_mode=session) or 'transaction' "
                "(PgBouncer with pool_mode=transaction).",
                id="heartwood.E010",
            ))
            continue
        if mode != TRANSACTION:
            continue
        options = database.get("OPTIONS", {})
        contradictions = [
            (database.get("ENGINE") != "config.db",
             "its ENGINE is not config.db, the backend that sends the search path with every statement"),
            (options.get("server_side_binding") is True,
             "OPTIONS['server_side_binding'] sends statements with the extended protocol, which cannot carry the "
             "search path in the same message"),
            (options.get("prepare_threshold") is not None,
             "OPTIONS['prepare_threshold'] prepares statements (extended protocol) on one server connection and may "
             "run them on another"),
            (not database.get("DISABLE_SERVER_SIDE_CURSORS"),
             "DISABLE_SERVER_SIDE_CURSORS is off: a server-side cursor lives on one server connection"),
            (bool(options.get("assume_role")),
             "OPTIONS['assume_role'] is a session-level SET ROLE, made on one server connection only"),
        ]
        for contradicts, why in contradictions:
            if contradicts:
                problems.append(Error(
                    f"The {alias!r} database is in transaction pooling (DATABASE_POOL_MODE=transaction), but {why}.",
                    hint="Remove the setting, or run behind PgBouncer with pool_mode=session and "
                    "DATABASE_POOL_MODE=session.",
                    id="heartwood.E011",
                ))
    return problems
