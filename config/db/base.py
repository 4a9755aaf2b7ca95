"""django-tenants' PostgreSQL backend, without needless `SET search_path` round trips, and safe behind a
transaction-pooling PgBouncer.

Session mode (`POOL_MODE` "session", the default: a direct connection, or PgBouncer with pool_mode=session).
Stock django-tenants forgets the search path every time a tenant is set, so each request pays for a
`SET search_path` even when the connection is already on that schema. Here the connection remembers what it
really has set (django-tenants still clears that on rollback and close), and a request only pays for the
`SET` when the schema actually changes.

Transaction mode (`POOL_MODE` "transaction", from DATABASE_POOL_MODE; for PgBouncer with pool_mode=transaction).
PgBouncer hands every transaction whichever server connection is free, and outside `atomic()` Django runs in
autocommit, so every statement is a transaction of its own: a `SET search_path` sent once (or before each query,
as stock django-tenants does) sets the path on one server connection and the next statement may run on another,
whose path another organisation set. So nothing is remembered and no `SET` is sent on its own. Every statement
carries its organisation's path with it, in the same message:

    SET LOCAL search_path TO "org_x", "public"; SELECT ...

Django's cursor binds parameters on the client, so psycopg sends this as one simple-protocol Query message.
PostgreSQL runs the statements of one message as one implicit transaction, so `SET LOCAL` holds for exactly
that statement, and PgBouncer cannot release the server connection in the middle of a transaction. Inside
`atomic()` the statement runs in the open transaction (one server connection until COMMIT) and the path is set
again with each statement, so a `ROLLBACK TO SAVEPOINT` that undid an earlier `SET LOCAL` cannot leave one
statement without it. No extra round trip: the cost is a few bytes and one parsed `SET` per statement.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import NotSupportedError
from django.db.backends.postgresql.base import Cursor as ClientBindingCursor
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper
from django_tenants.utils import quote_schema_name
from psycopg import pq, sql

SESSION = "session"
TRANSACTION = "transaction"
POOL_MODES = (SESSION, TRANSACTION)

# Statements that run without the path in front: transaction control (in an aborted transaction PostgreSQL
# accepts nothing else, and a `SET` in front would stop the ROLLBACK itself) and database-level commands that
# name no schema and refuse to run inside a transaction block.
_WITHOUT_PATH = re.compile(
    r"\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE|PREPARE\s+TRANSACTION"
    r"|CREATE\s+DATABASE|DROP\s+DATABASE)\b",
    re.IGNORECASE,
)


def pool_mode(settings_dict: dict[str, Any]) -> str:
    """The pooling a database alias sits behind: DATABASES[alias]["POOL_MODE"], "session" unless set."""
    mode = settings_dict.get("POOL_MODE") or SESSION
    if mode not in POOL_MODES:
        raise ImproperlyConfigured(f"POOL_MODE (DATABASE_POOL_MODE) must be one of {', '.join(POOL_MODES)}, "
                                   f"not {mode!r}.")
    return mode


class PathCarryingCursor(ClientBindingCursor):
    """Django's client-side binding cursor, sending the connection's search path in front of every statement
    (transaction mode). A cursor Django did not make (psycopg's own, for the connection health check's
    `SELECT 1`) has no `database` and runs its statements as they are."""

    database: DatabaseWrapper | None = None

    def _path_for(self, query: Any) -> str | None:
        if self.database is None:
            return None
        if self.connection.info.transaction_status == pq.TransactionStatus.INERROR:
            # Only a rollback can run now; let the statement fail with PostgreSQL's own message.
            return None
        if isinstance(query, bytes):
            query = query.decode()
        if isinstance(query, str) and _WITHOUT_PATH.match(query):
            return None
        return self.database.statement_path_prefix()

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> PathCarryingCursor:
        prefix = self._path_for(query)
        if prefix is None:
            return super().execute(query, params, **kwargs)
        if isinstance(query, bytes):
            query = query.decode()
        if isinstance(query, str):
            # With parameters, psycopg reads `%` as a placeholder: a schema name may hold one.
            carried = (prefix.replace("%", "%%") if params is not None else prefix) + query
        else:
            carried = sql.Composed([sql.SQL(prefix.replace("%", "%%") if params is not None else prefix), query])
        super().execute(carried, params, **kwargs)
        # The cursor stands on the `SET`'s result: move to the statement's own (rows, rowcount, description).
        self.nextset()
        return self

    def executemany(self, query: Any, params_seq: Any, *, returning: bool = False) -> None:
        if self.database is None:
            return super().executemany(query, params_seq, returning=returning)
        if returning:
            raise NotSupportedError("executemany(returning=True) is not supported in transaction pooling.")
        # psycopg would pipeline these with the extended protocol, one statement per message, each of which
        # PgBouncer may send to a different server connection: send each with its path instead.
        total = 0
        for params in params_seq:
            self.execute(query, params)
            total += max(self.rowcount, 0)
        self._rowcount = total
        return None

    def copy(self, statement: Any, params: Any = None, **kwargs: Any) -> Any:
        if self.database is not None:
            if self.connection.autocommit:
                raise NotSupportedError(
                    "COPY in transaction pooling must run inside transaction.atomic(): its path is set for the "
                    "transaction, and outside one PgBouncer may send it to another server connection."
                )
            # A statement of its own in the open transaction (this starts it): COPY cannot carry a prefix.
            super().execute(self.database.statement_path_prefix().rstrip("; "))
        return super().copy(statement, params, **kwargs)

    def stream(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        if self.database is not None:
            raise NotSupportedError("stream() is not supported in transaction pooling: use execute().")
        return super().stream(query, params, **kwargs)


class DatabaseWrapper(TenantDatabaseWrapper):
    @property
    def pool_mode(self) -> str:
        return pool_mode(self.settings_dict)

    def set_tenant(self, tenant, include_public: bool = True) -> None:
        already_set = self.search_path_set_schemas
        super().set_tenant(tenant, include_public)
        if already_set and already_set == self._get_cursor_search_paths():
            self.search_path_set_schemas = already_set

    # --- Transaction mode -------------------------------------------------------------------------------

    def statement_path_prefix(self) -> str:
        """`SET LOCAL search_path TO …; ` for the schema set now (validated by django-tenants' rules)."""
        key = (self.schema_name, self.include_public_schema)
        cached = getattr(self, "_path_prefix", None)
        if cached is None or cached[0] != key:
            paths = ", ".join(quote_schema_name(name) for name in self._get_cursor_search_paths())
            cached = (key, f"SET LOCAL search_path TO {paths}; ")
            self._path_prefix = cached
        return cached[1]

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        if self.pool_mode == TRANSACTION:
            if self.settings_dict["OPTIONS"].get("server_side_binding") is True:
                raise ImproperlyConfigured("Transaction pooling needs client-side binding: remove "
                                           "OPTIONS['server_side_binding'] (config.checks says why).")
            if params.get("prepare_threshold") is not None:
                raise ImproperlyConfigured("Transaction pooling sends each statement with its path in one simple-"
                                           "protocol message, which cannot be prepared: remove "
                                           "OPTIONS['prepare_threshold'].")
            params["cursor_factory"] = PathCarryingCursor
        return params

    def create_cursor(self, name=None):
        if name and self.pool_mode == TRANSACTION:
            # A server-side cursor outlives its statement on one server connection (DISABLE_SERVER_SIDE_CURSORS
            # is set with the mode, so the ORM never asks for one).
            raise ImproperlyConfigured("Server-side cursors cannot work in transaction pooling: set "
                                       "DISABLE_SERVER_SIDE_CURSORS (DATABASE_POOL_MODE=transaction does).")
        cursor = super().create_cursor(name)
        if self.pool_mode == TRANSACTION:
            if not isinstance(cursor, PathCarryingCursor):
                raise ImproperlyConfigured("This connection was opened before POOL_MODE became 'transaction'.")
            cursor.database = self
        return cursor

    def _handle_search_path(self, cursor=None) -> None:
        if self.pool_mode == TRANSACTION:
            if not self.schema_name:
                raise ImproperlyConfigured("Database schema not set. Did you forget to call set_schema() or "
                                           "set_tenant()?")
            # The path travels with every statement (PathCarryingCursor). A `SET` here would land on whichever
            # server connection PgBouncer lends this statement, and stay there for another client.
            self.statement_path_prefix()  # refuses a missing or invalid schema name, as django-tenants does
            return
        super()._handle_search_path(cursor)
