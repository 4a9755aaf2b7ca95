"""Heartwood's executor for django-tenants' `migrate_schemas`: every organisation migrated at a thousand schemas.

Stock django-tenants runs Django's whole `migrate` command once per schema, one after another: it loads the
migration files, builds the graph, renders the project state, runs every post_migrate handler and reads the
`django_migrations` table of each schema even when there is nothing to do (users report 12 minutes at 900
tenants). This executor (`--executor=heartwood`, the default through settings.GET_EXECUTOR_FUNCTION) keeps
Django's own executor and changes only what is done how often:

1. Detection, once. The migration graph is loaded once. One query over every schema's `django_migrations` (a
   UNION ALL, each branch an anti-join against the graph's migrations passed in as one array) answers the
   migrations each schema lacks; a schema that lacks nothing is not touched at all. (A catalogue query first
   finds the schemas that have no `django_migrations` table yet: they need everything.)
2. Groups. Schemas lacking the same migrations form a group and share one plan.
3. Apply once, replay many. When no migration of a group's plan runs Python (RunPython, or an operation that is
   not Django's own) and every one is atomic, Django's MigrationExecutor applies the plan for real in the
   group's first schema (the template when it is in the group) while every statement sent is captured. The
   captured statements (the DDL, the `django_migrations` INSERTs) name no schema: Django leaves names unqualified
   and the search path picks the schema. What Django's introspection and the recorder only read is tagged by
   where it came from and left out (its answers are already in the DDL). The rest is replayed in
   each other schema of the group, one transaction per schema, over TENANT_MIGRATION_CONNECTIONS connections at
   once (threads, each with a connection of its own). A group whose captured statements do name the first
   schema is not replayed: it falls back, as does a plan that runs Python, to Django's executor per schema (the
   loader still built once).
4. Failures stop nothing. A schema whose migration fails is rolled back, the others carry on, and the command
   ends with an error naming each failed schema and why. Running it again finds exactly those schemas pending
   (step 1) and finishes them.

The template schema and the spare pool are Organisation rows like any other, so they are migrated in the same
run; a spare claimed afterwards has every new column. The public schema keeps Django's normal path.

Signals: django-tenants' `schema_pre_migration`/`schema_migrated` are sent for every schema migrated (the
curriculum and prompts are seeded through `schema_migrated`), and for the template on every run, as stock does,
so each deploy brings its shipped content up to date. Django's pre_/post_migrate handlers run in the group's first
schema; in the other schemas only when they wrote something in the first (content types and permissions of a
new model), since a schema with the same migrations has the same content types.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.color import color_style
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor as DjangoMigrationExecutor
from django.db.migrations.migration import Migration
from django.db.migrations.operations import RunPython, SeparateDatabaseAndState
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ModelState
from django_tenants.migration_executors import get_executor
from django_tenants.migration_executors.base import MigrationExecutor, run_migrations
from django_tenants.signals import schema_migrated, schema_pre_migration
from django_tenants.utils import get_tenant_database_alias

CODENAME = "heartwood"
# Options of migrate_schemas that ask for something other than "apply every pending migration": they take
# django-tenants' standard path, schema by schema.
_STOCK_OPTIONS = ("app_label", "migration_name", "fake", "fake_initial", "plan", "prune", "run_syncdb")
# Tries at applying a group's plan for real before the rest of the group is reported as not tried.
_FIRST_SCHEMA_TRIES = 3

Key = tuple[str, str]


def executor_get(codename: str | None = None) -> type[MigrationExecutor]:
    """settings.GET_EXECUTOR_FUNCTION: Heartwood's executor unless `--executor` (or $EXECUTOR) names another."""
    return get_executor(codename or os.environ.get("EXECUTOR") or CODENAME)


def connections_wanted() -> int:
    return max(1, int(getattr(settings, "TENANT_MIGRATION_CONNECTIONS", 4)))


# --- Detection ---------------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schemas_pending(schemas: Iterable[str], needed: Iterable[Key], *, using: str | None = None
                    ) -> tuple[dict[str, frozenset[Key]], list[str]]:
    """The migrations each schema lacks, for the schemas that lack any, and the schemas that do not exist.

    Two queries whatever the number of schemas: the catalogue (which schemas exist, which have a
    `django_migrations` table), then one UNION ALL anti-joining each table against `needed`.
    """
    schemas = list(dict.fromkeys(schemas))
    needed = sorted(set(needed))
    connection = connections[using or get_tenant_database_alias()]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT n.nspname, EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid
                                         AND c.relname = 'django_migrations' AND c.relkind = 'r')
               FROM pg_namespace n WHERE n.nspname = ANY(%s)""",
            [schemas],
        )
        found = dict(cursor.fetchall())
        missing = [name for name in schemas if name not in found]
        pending: dict[str, set[Key]] = {name: set(needed) for name in schemas if found.get(name) is False}
        with_table = [name for name in schemas if found.get(name)]
        if with_table and needed:
            branches = " UNION ALL ".join(
                f"SELECT %s, n.app, n.name FROM needed n WHERE NOT EXISTS (SELECT 1 FROM {_quote(name)}"
                f".django_migrations m WHERE m.app = n.app AND m.name = n.name)"
                for name in with_table
            )
            cursor.execute(
                f"WITH needed (app, name) AS MATERIALIZED (SELECT * FROM unnest(%s::text[], %s::text[])) {branches}",
                [[app for app, _ in needed], [name for _, name in needed], *with_table],
            )
            for schema, app, name in cursor.fetchall():
                pending.setdefault(schema, set()).add((app, name))
    return {name: frozenset(keys) for name, keys in pending.items()}, missing


# --- Consistency ---------------------------------------------------------------------------------------------

_SHAPE = """
WITH s AS (SELECT oid, nspname FROM pg_namespace WHERE nspname = ANY(%(schemas)s)),
cols AS (
  SELECT s.nspname, md5(string_agg(
           format('%%s.%%s %%s %%s %%s %%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  a.attidentity, replace(coalesce(pg_get_expr(d.adbin, d.adrelid), ''), s.nspname || '.', '')),
           E'\\n' ORDER BY c.relname, a.attnum)) AS digest, count(DISTINCT c.oid) AS tables
  FROM s JOIN pg_class c ON c.relnamespace = s.oid AND c.relkind = 'r'
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  GROUP BY s.nspname),
idx AS (
  -- What an index is, not how PostgreSQL prints it: the template copier (tenants.cloning) recreates indexes from
  -- their definitions, and a partial index's predicate can come back printed differently though equivalent.
  SELECT s.nspname, md5(string_agg(
           format('%%s %%s %%s %%s %%s %%s %%s %%s', ic.relname, tc.relname, am.amname, i.indisunique,
                  -- column names, not numbers: a copy has no dropped columns, so its numbers can differ
                  (SELECT string_agg(coalesce(a.attname, '(expression)'), ',' ORDER BY k.n)
                   FROM unnest(i.indkey) WITH ORDINALITY k (attnum, n)
                   LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum),
                  i.indclass, i.indpred IS NOT NULL, i.indexprs IS NOT NULL),
           E'\\n' ORDER BY ic.relname)) AS digest, count(*) AS indexes
  FROM s JOIN pg_class ic ON ic.relnamespace = s.oid AND ic.relkind = 'i'
  JOIN pg_index i ON i.indexrelid = ic.oid JOIN pg_class tc ON tc.oid = i.indrelid
  JOIN pg_am am ON am.oid = ic.relam
  GROUP BY s.nspname),
con AS (
  SELECT s.nspname, md5(string_agg(co.conname || ' ' || replace(pg_get_constraintdef(co.oid), s.nspname || '.', ''),
                                   E'\\n' ORDER BY co.conname, co.oid::regclass::text)) AS digest
  FROM s JOIN pg_constraint co ON co.connamespace = s.oid
  GROUP BY s.nspname)
SELECT s.nspname, cols.digest, cols.tables, idx.digest, idx.indexes, con.digest
FROM s LEFT JOIN cols USING (nspname) LEFT JOIN idx USING (nspname) LEFT JOIN con USING (nspname)
"""


@dataclass(frozen=True)
class SchemaShape:
    """Digests of one schema's tables and columns, indexes, constraints and `django_migrations` rows."""

    columns: str | None
    tables: int
    indexes: str | None
    index_count: int
    constraints: str | None
    migrations: str | None

    def differences(self, other: SchemaShape) -> list[str]:
        return [part for part in ("columns", "indexes", "constraints", "migrations")
                if getattr(self, part) != getattr(other, part)]


def schema_shapes(schemas: Iterable[str], *, using: str | None = None) -> dict[str, SchemaShape]:
    """Each schema's shape, in two queries whatever their number (names of the schema itself are left out)."""
    schemas = list(dict.fromkeys(schemas))
    connection = connections[using or get_tenant_database_alias()]
    shapes: dict[str, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_SHAPE, {"schemas": schemas})
        for name, columns, tables, indexes, index_count, constraints in cursor.fetchall():
            shapes[name] = {"columns": columns, "tables": tables or 0, "indexes": indexes,
                            "index_count": index_count or 0, "constraints": constraints, "migrations": None}
        cursor.execute(
            "SELECT n.nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid "
            "AND c.relname = 'django_migrations' AND c.relkind = 'r' WHERE n.nspname = ANY(%s)", [schemas],
        )
        with_table = [name for (name,) in cursor.fetchall()]
        if with_table:
            cursor.execute(" UNION ALL ".join(
                f"SELECT %s, md5(string_agg(app || '.' || name, ',' ORDER BY app, name)) "
                f"FROM {_quote(name)}.django_migrations" for name in with_table
            ), with_table)
            for name, digest in cursor.fetchall():
                shapes[name]["migrations"] = digest
    return {name: SchemaShape(**shape) for name, shape in shapes.items()}


def schemas_inconsistent(schemas: Iterable[str], *, reference: str | None = None,
                         using: str | None = None) -> dict[str, list[str]]:
    """Schemas whose shape differs from `reference` (the template by default), with what differs."""
    reference = reference or settings.TENANT_BASE_SCHEMA
    schemas = list(dict.fromkeys(schemas))
    shapes = schema_shapes([reference, *schemas], using=using)
    expected = shapes[reference]
    return {
        name: (shapes[name].differences(expected) if name in shapes else ["schema missing"])
        for name in schemas
        if name not in shapes or shapes[name].differences(expected)
    }


# --- Capture and replay ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    sql: str
    params: Any
    many: bool
    # Sent by Django's introspection or the recorder's reads: catalogue reads whose answers are already in the
    # DDL that follows. Not replayed (at 1,000 schemas `get_table_list` alone scans ~400,000 pg_class rows).
    read: bool = False

    def writes(self) -> bool:
        head = self.sql.lstrip().split(None, 1)[0].upper() if self.sql.strip() else ""
        return head not in {"SELECT", "SHOW", "SAVEPOINT", "RELEASE"}


# Where a statement comes from decides whether it only reads: Django's (and django-tenants') introspection and
# the migration recorder's reads never write.
_READERS = {
    ("introspection.py", None),
    ("recorder.py", "has_table"),
    ("recorder.py", "applied_migrations"),
}


def _sent_by_reader() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename.rsplit("/", 1)[-1]
        if (filename, None) in _READERS or (filename, frame.f_code.co_name) in _READERS:
            return True
        frame = frame.f_back
    return False


@contextmanager
def statements_captured(connection: Any) -> Iterator[list[Statement]]:
    """Every statement `connection` sends inside the block (but the search path, which replay sets itself)."""
    captured: list[Statement] = []

    def wrapper(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        if not str(sql).lstrip().upper().startswith("SET SEARCH_PATH"):
            captured.append(Statement(str(sql), params, many, read=_sent_by_reader()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield captured


def _names_schema(statement: Statement, schema: str) -> bool:
    return schema in statement.sql or schema in repr(statement.params)


def _runs_python(operation: Any) -> bool:
    if isinstance(operation, RunPython):
        return True
    if isinstance(operation, SeparateDatabaseAndState):
        return any(_runs_python(inner) for inner in operation.database_operations)
    # An operation of the project's own may do anything in database_forwards: treat it as Python.
    return not type(operation).__module__.startswith("django.")


def plan_replayable(plan: list[tuple[Migration, bool]]) -> bool:
    """Whether capturing the plan's SQL in one schema says all it does in another."""
    return all(
        not backwards and migration.atomic and not any(_runs_python(op) for op in migration.operations)
        for migration, backwards in plan
    )


# --- The run -----------------------------------------------------------------------------------------------


@dataclass
class MigrationReport:
    up_to_date: int = 0
    applied: dict[str, int] = field(default_factory=dict)  # schema -> migrations applied
    replayed: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)  # schema -> why
    groups: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class _Run:
    """One `migrate_schemas` over tenant schemas: detection, groups, apply once and replay, fallback."""

    def __init__(self, *, using: str, verbosity: int, threads: int, stdout: Any) -> None:
        self.using = using
        self.verbosity = verbosity
        self.threads = threads
        self.stdout = stdout
        self.style = color_style()
        self.report = MigrationReport()
        self.connection = connections[using]
        started = time.perf_counter()
        self.executor = DjangoMigrationExecutor(self.connection)
        self.loader = self.executor.loader
        conflicts = self.loader.detect_conflicts()
        if conflicts:
            names = "; ".join(f"{', '.join(sorted(names))} in {app}" for app, names in conflicts.items())
            raise CommandError(f"Conflicting migrations detected ({names}). Run makemigrations --merge.")
        self.graph = self.loader.graph
        self._states: dict[frozenset[Key], Any] = {}  # each group's project state before its plan
        self.targets = self.graph.leaf_nodes()
        self.needed = frozenset(self.graph.nodes)
        self.report.timings["load_seconds"] = time.perf_counter() - started

    def say(self, message: str, level: int = 1) -> None:
        if self.verbosity >= level:
            self.stdout.write(message + "\n")
            self.stdout.flush()

    def run(self, schemas: list[str]) -> MigrationReport:
        started = time.perf_counter()
        pending, missing = schemas_pending(schemas, self.needed, using=self.using)
        self.report.timings["detect_seconds"] = time.perf_counter() - started
        for name in missing:
            self.report.failed[name] = "the schema does not exist"
        self.report.up_to_date = len(schemas) - len(pending) - len(missing)
        groups: dict[frozenset[Key], list[str]] = defaultdict(list)
        for name in schemas:
            if name in pending:
                groups[pending[name]].append(name)
        self.say(self.style.MIGRATE_HEADING(
            f"[{CODENAME}] {len(schemas)} schemas: {self.report.up_to_date} up to date, {len(pending)} to migrate "
            f"in {len(groups)} group{'s' if len(groups) != 1 else ''}"
            + (f", {len(missing)} missing" if missing else "")
        ))
        applying = time.perf_counter()
        for lacking, members in groups.items():
            template = settings.TENANT_BASE_SCHEMA
            members.sort(key=lambda name: name != template)  # the template first: new organisations copy it
            self._group(lacking, members)
        self.report.timings["apply_seconds"] = time.perf_counter() - applying
        template = settings.TENANT_BASE_SCHEMA
        if template in schemas and template not in pending and template not in missing:
            # Stock sends this on every run; the template's shipped content is brought up to date by it.
            self.connection.set_schema(template)
            schema_migrated.send(run_migrations, schema_name=template)
        self.connection.set_schema_to_public()
        self.report.timings["total_seconds"] = time.perf_counter() - started
        return self.report

    def _plan(self, lacking: frozenset[Key]) -> list[tuple[Migration, bool]]:
        self.loader.applied_migrations = {key: self.graph.nodes[key] for key in self.needed - lacking}
        return self.executor.migration_plan(self.targets)

    def _group(self, lacking: frozenset[Key], members: list[str]) -> None:
        plan = self._plan(lacking)
        names = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
        replay = plan_replayable(plan)
        info = {"schemas": len(members), "migrations": names, "replayed": 0, "failed": 0}
        self.report.groups.append(info)
        self.say(f"  {len(members)} schema{'s' if len(members) != 1 else ''} lack {len(names)} migration"
                 f"{'s' if len(names) != 1 else ''}: {', '.join(names)}"
                 + ("" if replay else " (runs Python: Django's executor in each schema)"))
        remaining = list(members)
        tries = 0
        while remaining and tries < _FIRST_SCHEMA_TRIES:
            first = remaining.pop(0)
            tries += 1
            try:
                statements, post_apps = self._apply(first, lacking, plan, capture=replay)
            except Exception as exc:  # reported, and the next schema is tried
                self._failed(first, exc)
                continue
            self.report.applied[first] = len(plan)
            break
        else:
            for name in remaining:
                self.report.failed[name] = (f"not tried: the same migrations failed in {_FIRST_SCHEMA_TRIES} schemas "
                                            "first; run migrate_schemas again once they are fixed")
            info["failed"] = len(members) - len([m for m in members if m in self.report.applied])
            return
        statements = [statement for statement in statements if not statement.read]
        if replay and any(_names_schema(statement, first) for statement in statements):
            replay = False
            self.say("    the captured SQL names the schema it ran in: Django's executor in each schema instead")
        if replay:
            self._replay_all(remaining, statements, post_apps, len(plan))
            info["replayed"] = len([name for name in remaining if name in self.report.replayed])
        else:
            for name in remaining:
                try:
                    self._apply(name, lacking, plan, capture=False, first=False, post_apps=post_apps)
                except Exception as exc:
                    self._failed(name, exc)
                    continue
                self.report.applied[name] = len(plan)
        info["failed"] = len([name for name in members if name in self.report.failed])

    def _failed(self, schema: str, exc: BaseException) -> None:
        self.report.failed[schema] = f"{type(exc).__name__}: {exc}".strip()
        self.say(self.style.ERROR(f"    {schema} failed: {self.report.failed[schema]}"), 0)

    def _apply(self, schema: str, lacking: frozenset[Key], plan: list[tuple[Migration, bool]], *, capture: bool,
               first: bool = True, post_apps: Any = None) -> tuple[list[Statement], Any]:
        """Django's executor in one schema, from the group's project state (rendered once per group).

        In the group's first schema the pre_/post_migrate handlers run and it answers the statements sent (when
        capturing) and, if the handlers wrote anything, the apps to run post_migrate with in the others. In the
        others (`first=False`) post_migrate runs only with the `post_apps` the first schema answered.
        """
        connection = self.connection
        schema_pre_migration.send(run_migrations, schema_name=schema)
        wrote = False
        try:
            # As django-tenants does: make sure the recorder's table is this schema's, then migrate with public
            # on the path.
            connection.set_schema(schema, include_public=False)
            MigrationRecorder(connection).ensure_schema()
            connection.set_schema(schema)
            self._plan(lacking)  # the loader's applied set is this group's
            if lacking not in self._states:
                self._states[lacking] = self.executor._create_project_state(with_applied_migrations=True)
            before = self._states[lacking]
            if first:
                with statements_captured(connection) as signal_statements:
                    emit_pre_migrate_signal(0, False, self.using, apps=before.apps, plan=plan)
                wrote = any(statement.writes() for statement in signal_statements)
            self.say(f"    {schema}: applying", 2)
            with statements_captured(connection) if capture else _nothing() as statements:
                state = self.executor.migrate(self.targets, plan=plan, state=before.clone())
            if first:
                post_apps = _post_migrate_apps(state)
                with statements_captured(connection) as post_statements:
                    emit_post_migrate_signal(0, False, self.using, apps=post_apps, plan=plan)
                wrote = wrote or any(statement.writes() for statement in post_statements)
            elif post_apps is not None:
                emit_post_migrate_signal(0, False, self.using, apps=post_apps, plan=plan)
        finally:
            connection.set_schema_to_public()
        schema_migrated.send(run_migrations, schema_name=schema)
        return list(statements or []), post_apps if wrote else None

    def _replay_all(self, schemas: list[str], statements: list[Statement], post_apps: Any, migrations: int
                    ) -> None:
        if not schemas:
            return
        work: queue.Queue[str] = queue.Queue()
        for name in schemas:
            work.put(name)
        lock = threading.Lock()
        count = min(self.threads, len(schemas))
        done = [0]

        def worker() -> None:
            try:
                while True:
                    try:
                        name = work.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        _replay(name, statements, using=self.using, post_migrate_apps=post_apps)
                    except Exception as exc:
                        with lock:
                            self._failed(name, exc)
                        continue
                    with lock:
                        self.report.replayed.add(name)
                        self.report.applied[name] = migrations
                        done[0] += 1
                        if done[0] % 100 == 0:
                            self.say(f"    replayed in {done[0]}/{len(schemas)}")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker, name=f"migrate-{n}") for n in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def _post_migrate_apps(state: Any) -> Any:
    """The apps post_migrate handlers get, as Django's migrate command prepares them."""
    from django.apps import apps

    state.clear_delayed_apps_cache()
    post_apps = state.apps
    with post_apps.bulk_update():
        keys = []
        for model_state in post_apps.real_models:
            key = model_state.app_label, model_state.name_lower
            keys.append(key)
            post_apps.unregister_model(*key)
    post_apps.render_multiple([ModelState.from_model(apps.get_model(*key)) for key in keys])
    return post_apps


def _replay(schema: str, statements: list[Statement], *, using: str, post_migrate_apps: Any) -> None:
    """The captured statements in `schema`, in one transaction (on this thread's own connection)."""
    connection = connections[using]
    schema_pre_migration.send(run_migrations, schema_name=schema)
    connection.set_schema(schema)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in statements:
            if statement.many:
                cursor.executemany(statement.sql, statement.params)
            else:
                cursor.execute(statement.sql, statement.params)
    if post_migrate_apps is not None:
        emit_post_migrate_signal(0, False, using, apps=post_migrate_apps)
    connection.set_schema_to_public()
    schema_migrated.send(run_migrations, schema_name=schema)


def tenant_schemas_migrate(schemas: Iterable[str], *, using: str | None = None, verbosity: int = 1,
                           threads: int | None = None, stdout: Any = None) -> MigrationReport:
    """Bring every schema in `schemas` up to the migration graph (see the module's docstring)."""
    run = _Run(using=using or get_tenant_database_alias(), verbosity=verbosity,
               threads=threads or connections_wanted(), stdout=stdout or sys.stdout)
    return run.run(list(schemas))


class HeartwoodExecutor(MigrationExecutor):
    """`migrate_schemas --executor=heartwood`: found by django-tenants through its codename."""

    codename = CODENAME

    _run: _Run | None = None

    def _prepared(self, using: str, verbosity: int, threads: int) -> _Run:
        """One migration graph for the whole command (public, then the tenant schemas)."""
        if self._run is None:
            self._run = _Run(using=using, verbosity=verbosity, threads=threads, stdout=sys.stdout)
        return self._run

    def run_migrations(self, tenants: Iterable[str] | None = None) -> None:
        tenants = list(tenants or [])
        verbosity = int(self.options.get("verbosity", 1))
        using = self.options.get("database") or self.TENANT_DB_ALIAS
        threads = self.options.get("parallel") or connections_wanted()
        stock = any(self.options.get(option) for option in _STOCK_OPTIONS)
        if self.PUBLIC_SCHEMA_NAME in tenants:
            tenants.remove(self.PUBLIC_SCHEMA_NAME)
            # The public schema takes Django's own path whenever it has anything to apply.
            if stock or self.options.get("check_unapplied") or schemas_pending(
                [self.PUBLIC_SCHEMA_NAME], self._prepared(using, verbosity, threads).needed, using=using
            ) != ({}, []):
                run_migrations(self.args, self.options, self.codename, self.PUBLIC_SCHEMA_NAME)
            elif verbosity >= 1:
                sys.stdout.write(f"[{CODENAME}:{self.PUBLIC_SCHEMA_NAME}] No migrations to apply.\n")
        if not tenants:
            return
        if stock:
            for idx, schema_name in enumerate(tenants):
                run_migrations(self.args, self.options, self.codename, schema_name, idx=idx, count=len(tenants))
            return
        run = self._prepared(using, verbosity, threads)
        if self.options.get("check_unapplied"):
            pending, missing = schemas_pending(tenants, run.needed, using=using)
            if pending or missing:
                sys.stdout.write(f"{len(pending)} schemas have unapplied migrations, {len(missing)} are missing\n")
                sys.exit(1)
            return
        report = run.run(tenants)
        if report.failed:
            lines = "\n".join(f"  {schema}: {why}" for schema, why in sorted(report.failed.items()))
            raise CommandError(
                f"Migrations failed in {len(report.failed)} of {len(tenants)} schemas (the others are migrated; "
                f"run migrate_schemas again to finish these):\n{lines}"
            )
        if verbosity >= 1:
            sys.stdout.write(
                f"[{CODENAME}] done: {len(report.applied)} migrated ({len(report.replayed)} by replay), "
                f"{report.up_to_date} already up to date, in {report.timings['total_seconds']:.2f} s\n"
            )

    def run_multi_type_migrations(self, tenants: Any) -> None:
        raise NotImplementedError("Heartwood has one tenant type; multi-type tenants take --executor=standard.")
