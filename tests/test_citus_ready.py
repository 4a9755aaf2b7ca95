"""Citus-ready: each organisation's schema can live on another database node as a unit (docs/scale-out.md).

Citus schema-based sharding moves a whole schema to a worker node; the public schema stays on the coordinator.
That works only while nothing ties a schema to another: so, read from PostgreSQL's catalogue and from every
request of a lived-in organisation,

- no foreign key leaves its schema: none from an organisation's table into the public schema, none between
  organisations (with a control that plants one and sees it found);
- no model of an organisation's app points at a model that lives only in the public schema;
- no statement a request sends names more than one organisation's schema, and none mixes a table that exists only
  in the public schema with one that exists only in an organisation's (a join the coordinator could not route).
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from people.services import user_create
from tenants.demo_seeding import demo_seed
from tenants.models import Organisation
from tests.conftest import client_for, demo_people

pytestmark = pytest.mark.django_db

FOREIGN_KEYS_LEAVING_THEIR_SCHEMA = """
SELECT src.nspname, cs.relname, con.conname, dst.nspname, cd.relname
FROM pg_constraint con
JOIN pg_class cs ON cs.oid = con.conrelid JOIN pg_namespace src ON src.oid = cs.relnamespace
JOIN pg_class cd ON cd.oid = con.confrelid JOIN pg_namespace dst ON dst.oid = cd.relnamespace
WHERE con.contype = 'f' AND src.nspname <> dst.nspname
"""


def _foreign_keys_leaving_their_schema() -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(FOREIGN_KEYS_LEAVING_THEIR_SCHEMA)
        return cursor.fetchall()


def _foreign_keys_in(schema: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = %s::regnamespace",
                       [schema])
        return cursor.fetchone()[0]


def _tables_in(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'r'",
                       [schema])
        return {name for (name,) in cursor.fetchall()}


# --- The catalogue ---------------------------------------------------------------------------------------------


def test_no_foreign_key_leaves_its_schema(alpha, beta):
    for schema in (alpha.schema_name, beta.schema_name, settings.TENANT_BASE_SCHEMA, "public"):
        assert _foreign_keys_in(schema) > 10, schema  # the check below looks at real keys
    assert _foreign_keys_leaving_their_schema() == []


def test_the_catalogue_check_finds_a_key_into_the_public_schema_when_there_is_one(alpha):
    # Control: the query above would see the tie Citus cannot move.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE {connection.ops.quote_name(alpha.schema_name)}.citus_control "
                "(organisation_id bigint REFERENCES public.tenants_organisation (id))"
            )
        found = _foreign_keys_leaving_their_schema()
        transaction.set_rollback(True)
    assert [(schema, table, target) for schema, table, _, target, _ in found] == [
        (alpha.schema_name, "citus_control", "public")
    ]


def test_no_model_of_an_organisation_points_into_the_public_schema_only():
    public_only = {label.rsplit(".", 1)[-1] for label in settings.SHARED_APPS} - {
        label.rsplit(".", 1)[-1] for label in settings.TENANT_APPS
    }
    assert "tenants" in public_only
    tenant_labels = {apps.get_app_config(label.rsplit(".", 1)[-1]).label for label in settings.TENANT_APPS}
    ties = []
    for label in tenant_labels:
        for model in apps.get_app_config(label).get_models():
            for field in [*model._meta.fields, *model._meta.many_to_many]:  # its own fields, not reverse ones
                related = field.related_model
                if field.is_relation and related is not None and related._meta.app_label in public_only:
                    ties.append(f"{model._meta.label}.{field.name} -> {related._meta.label}")
    assert ties == []


# --- Every request of a lived-in organisation ---------------------------------------------------------------------

SKIP = re.compile(r"^/(static/|accounts/logout/|media/)|\.pdf$|/certificate|/download")
PER_ROLE = 150


def _links(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"#]*)', html)]


def _crawl(client, start: list[str]) -> dict[str, list[str]]:
    """Every page reachable from `start` by links on the same host (one per URL shape), with each one's SQL."""
    seen_shapes: set[str] = set()
    queue = list(start)
    statements: dict[str, list[str]] = {}
    while queue and len(statements) < PER_ROLE:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", url)
        if shape in seen_shapes or SKIP.search(url.split("?")[0]):
            continue
        seen_shapes.add(shape)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code < 500, url
        statements[url] = [query["sql"] for query in captured.captured_queries]
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            queue += _links(response.content.decode())
    return statements


@pytest.fixture
def lived_in(alpha):
    """alpha as the demo organisation is: teams, pulses, a 360, supervision, sets, journals, learning."""
    people = demo_people(alpha)
    demo_seed(organisation=alpha, people=people)
    return people


def test_no_request_sends_a_statement_across_schemas(alpha, beta, lived_in):
    public_tables = _tables_in("public")
    tenant_tables = _tables_in(alpha.schema_name)
    public_only, tenant_only = public_tables - tenant_tables, tenant_tables - public_tables
    assert {"tenants_organisation", "tenants_domain"} <= public_only and "reflections_journalentry" in tenant_only
    words = re.compile(r"\b(" + "|".join(sorted(public_only | tenant_only)) + r")\b")
    schemas = set(Organisation.objects.exclude(schema_name="public").values_list("schema_name", flat=True))
    named = re.compile(r'(?<![\w"])"?(' + "|".join(sorted(schemas)) + r')"?\.')

    pages: dict[str, list[str]] = {}
    for role, person in lived_in.items():
        client = client_for(alpha, person)
        pages.update({f"{role} {url}": sql for url, sql in _crawl(client, ["/"]).items()})
    with schema_context("public"):
        operator = user_create(email="citus-operator@example.org", full_name="Cy Operator", roles=[],
                               password="a-long-operator-password", verified=True, is_staff=True)
    pages.update({f"operator {url}": sql for url, sql in _crawl(client_for(None, operator), ["/console/"]).items()})

    assert len(pages) > 100  # the crawl reached the product, not a login page
    problems = []
    for page, statements in pages.items():
        in_console = page.startswith("operator")
        for sql in statements:
            schemas_named = set(named.findall(sql))
            tables = set(words.findall(sql))
            if len(schemas_named) > 1 or (schemas_named and not in_console):
                problems.append(f"{page}: names {sorted(schemas_named)}: {sql[:160]}")
            if tables & public_only and tables & tenant_only:
                problems.append(f"{page}: mixes {sorted(tables)}: {sql[:160]}")
    assert problems == []
