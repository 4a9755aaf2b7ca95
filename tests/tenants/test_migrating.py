"""Heartwood's migrate_schemas executor (tenants.migrating) on the suite's real PostgreSQL: nothing to apply found
in one query, a new migration applied once and replayed in every schema (the template and a spare included), a
migration that runs Python applied by Django in each schema, a failure in one schema reported and finished by
running it again, and every schema left consistent with the template.

The "new migration" is the real reflections migrations plus one more (a column and an index on the journal entry
table), in a package of its own put in through MIGRATION_MODULES (bench/_migration_extra.py, which the migration
bench uses too). Everything is committed (the replay runs on connections of its own), so each test takes the
migration back out of every schema and drops the organisations it made.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django_tenants.migration_executors import get_executor

from bench._migration_extra import (
    APP,
    FIELD,
    INDEX,
    NAME,
    TABLE,
    extra_migration_package,
    extra_migration_undo_sql,
)
from tenants import services
from tenants.migrating import (
    HeartwoodExecutor,
    executor_get,
    schemas_inconsistent,
    schemas_pending,
    tenant_schemas_migrate,
)
from tenants.models import Organisation
from tenants.services import organisation_create, organisation_sign_up, spare_claim, spare_create

MADE = 2  # organisations made for each test, beside alpha, beta and the template


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory, django_db_setup, django_db_blocker) -> dict[str, str]:
    directory = Path(tmp_path_factory.mktemp("migrations"))
    with django_db_blocker.unblock():
        return {"sql": extra_migration_package(directory), "python": extra_migration_package(directory, python=True)}


def tenant_schemas() -> list[str]:
    connection.set_schema_to_public()
    return list(Organisation.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).order_by("pk")
                .values_list("schema_name", flat=True))


def with_column(schemas: list[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = %s AND a.attname = %s "
            "AND NOT a.attisdropped AND n.nspname = ANY(%s)", [TABLE, FIELD, schemas],
        )
        return {name for (name,) in cursor.fetchall()}


def recorded(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}".django_migrations WHERE app = %s AND name = %s', [APP, NAME])
        return cursor.fetchone()[0] == 1


@pytest.fixture
def world(live_db) -> Iterator[dict[str, object]]:
    """Three organisations and a spare of this test's own, beside alpha, beta and the template."""
    made = [organisation_create(name=f"Migrating {n}", subdomain=f"migrating-{n}") for n in range(MADE)]
    spare = spare_create()
    try:
        yield {"organisations": made, "spare": spare}
    finally:
        connection.set_schema_to_public()
        schemas = tenant_schemas()
        with connection.cursor() as cursor:
            cursor.execute(extra_migration_undo_sql(["public", *schemas]))
        for organisation in Organisation.objects.filter(kind__in=[Organisation.Kind.ORGANISATION,
                                                                  Organisation.Kind.SPARE],
                                                        pk__in=[o.pk for o in [*made, spare]]):
            organisation.delete(force_drop=True)
        for leftover in Organisation.objects.filter(kind=Organisation.Kind.SPARE):
            leftover.delete(force_drop=True)


def test_heartwood_is_migrate_schemas_default_and_stock_stays_reachable():
    assert executor_get() is HeartwoodExecutor
    assert executor_get("standard") is get_executor("standard")
    assert executor_get("multiprocessing").codename == "multiprocessing"


def test_nothing_to_apply_is_found_in_two_queries_whatever_the_number_of_schemas(world):
    schemas = tenant_schemas()
    assert len(schemas) >= MADE + 4  # and alpha, beta, the template and a spare
    from django.db.migrations.loader import MigrationLoader

    needed = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    for some in (schemas[:2], schemas):
        with CaptureQueriesContext(connection) as queries:
            assert schemas_pending(some, needed) == ({}, [])
        assert len([q for q in queries.captured_queries if "search_path" not in q["sql"]]) == 2
    report = tenant_schemas_migrate(schemas, verbosity=0)
    assert report.up_to_date == len(schemas) and report.applied == {} and report.failed == {}
    call_command("migrate_schemas", verbosity=0, interactive=False)  # the whole command, public included


def test_a_new_migration_is_applied_once_and_replayed_in_every_schema(world, packages, monkeypatch):
    # The sign-up below would queue a refill of the pool: a worker running it after this test's clean-up would
    # leave committed spares for later tests.
    monkeypatch.setattr(services, "spare_pool_refill_soon", lambda: None)
    schemas = tenant_schemas()
    with override_settings(MIGRATION_MODULES={APP: packages["sql"]}):
        from django.db.migrations.loader import MigrationLoader

        needed = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
        pending, missing = schemas_pending(schemas, needed)
        assert missing == [] and set(pending) == set(schemas)
        assert set(pending.values()) == {frozenset({(APP, NAME)})}

        report = tenant_schemas_migrate(schemas, verbosity=0, threads=3)

        assert report.failed == {}
        assert set(report.applied) == set(schemas)
        assert report.replayed == set(schemas) - {settings.TENANT_BASE_SCHEMA}  # applied for real in the template
        assert with_column(schemas) == set(schemas)
        assert all(recorded(schema) for schema in schemas)
        assert schemas_inconsistent(schemas) == {}
        assert schemas_pending(schemas, needed) == ({}, [])
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = %s AND schemaname = ANY(%s)",
                           [INDEX, schemas])
            assert cursor.fetchone()[0] == len(schemas)

        # A spare claimed after the migration, one signed up from the pool and one cloned anew have it too.
        claimed = spare_claim(name="Claimed Care", time_zone="Europe/London", status=Organisation.Status.ACTIVE)
        assert claimed is not None and claimed.schema_name == world["spare"].schema_name
        spare_create()
        signed = organisation_sign_up(name="Pool Care", subdomain="migrating-pool", full_name="Pat Pool",
                                      email="pat@pool.example", password="a-long-test-password-42",
                                      time_zone="Europe/London")
        assert signed.from_pool
        cloned = organisation_create(name="Fresh Care", subdomain="migrating-fresh")
        fresh = [claimed.schema_name, signed.organisation.schema_name, cloned.schema_name]
        assert with_column(fresh) == set(fresh)
        assert schemas_inconsistent(fresh) == {}
        for organisation in (signed.organisation, cloned):
            organisation.delete(force_drop=True)


def test_the_command_reports_a_failed_schema_and_finishes_it_when_run_again(world, packages):
    schemas = tenant_schemas()
    broken = world["organisations"][0].schema_name
    with connection.cursor() as cursor:  # something in the way, in one schema only
        cursor.execute(f'ALTER TABLE "{broken}".{TABLE} ADD COLUMN {FIELD} integer')
    with override_settings(MIGRATION_MODULES={APP: packages["sql"]}):
        with pytest.raises(CommandError) as failure:
            call_command("migrate_schemas", verbosity=0, interactive=False)
        message = str(failure.value)
        assert f"{broken}:" in message and "already exists" in message
        assert "1 of" in message
        others = [schema for schema in schemas if schema != broken]
        assert with_column(others) == set(others) and all(recorded(schema) for schema in others)
        assert not recorded(broken)

        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{broken}".{TABLE} DROP COLUMN {FIELD}')
        call_command("migrate_schemas", verbosity=0, interactive=False)

        assert recorded(broken)
        assert schemas_inconsistent(schemas) == {}


def test_a_migration_that_runs_python_is_applied_by_django_in_each_schema(world, packages):
    # Three schemas are enough to see the path (Django's executor takes a while per schema).
    schemas = [settings.TENANT_BASE_SCHEMA, *(o.schema_name for o in world["organisations"])]
    with override_settings(MIGRATION_MODULES={APP: packages["python"]}):
        report = tenant_schemas_migrate(schemas, verbosity=0)
    assert report.failed == {} and report.replayed == set()
    assert set(report.applied) == set(schemas)
    assert with_column(schemas) == set(schemas)
    assert schemas_inconsistent(schemas) == {}
    with connection.cursor() as cursor:  # the Python step ran in each (on the rows each schema has)
        for schema in schemas:
            cursor.execute(f'SELECT count(*) FROM "{schema}".{TABLE} WHERE {FIELD} <> %s', ["set by Python"])
            assert cursor.fetchone()[0] == 0


def test_a_schema_that_is_not_there_is_reported_and_the_rest_migrated(world, packages):
    schemas = tenant_schemas()
    gone = world["organisations"][1].schema_name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA "{gone}" CASCADE')
    with override_settings(MIGRATION_MODULES={APP: packages["sql"]}):
        report = tenant_schemas_migrate(schemas, verbosity=0)
    assert report.failed == {gone: "the schema does not exist"}
    assert with_column(schemas) == set(schemas) - {gone}
    Organisation.objects.filter(schema_name=gone).delete()  # the row and domain (its schema is already gone)


def test_catalogue_reads_are_told_apart_from_what_a_migration_writes(db):
    from tenants.migrating import statements_captured

    with statements_captured(connection) as captured, connection.cursor() as cursor:
        connection.introspection.get_table_list(cursor)
        cursor.execute("SELECT 1")
    reads = [statement for statement in captured if statement.read]
    assert reads and all("pg_class" in s.sql or "search_path" in s.sql.lower() for s in reads)
    assert [statement.sql for statement in captured if not statement.read] == ["SELECT 1"]
