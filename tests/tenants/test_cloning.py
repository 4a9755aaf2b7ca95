"""Heartwood's one-batch schema copier must make exactly what the template has, or refuse."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from tenants import cloning
from tenants.models import Organisation
from tenants.services import new_schema_name

pytestmark = pytest.mark.django_db

CATALOG = {
    "columns": """SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
                         pg_get_expr(d.adbin, d.adrelid)
                  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                  WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r' AND a.attnum > 0
                    AND NOT a.attisdropped ORDER BY 1, 2""",
    "constraints": """SELECT c.relname, con.conname, con.contype, con.condeferrable, con.condeferred,
                             replace(pg_get_constraintdef(con.oid), %s || '.', 'SCHEMA.')
                      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
                      WHERE con.connamespace = %s::regnamespace AND con.contype <> 'n' ORDER BY 1, 2""",
    "indexes": """SELECT c.relname, replace(pg_get_indexdef(c.oid), %s || '.', 'SCHEMA.')
                  FROM pg_class c WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'i' ORDER BY 1""",
}


def catalog(schema: str) -> dict[str, list[tuple]]:
    found = {}
    with connection.cursor() as cursor:
        for name, query in CATALOG.items():
            cursor.execute(query, [schema] * query.count("%s"))
            found[name] = cursor.fetchall()
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'r' ORDER BY 1",
            [schema],
        )
        counts = []
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
            counts.append((table, cursor.fetchone()[0]))
        found["rows"] = counts
    return found


def test_a_new_organisation_is_an_exact_copy_of_the_template(settings):
    organisation = Organisation(schema_name=new_schema_name(), name="Copy Care")
    organisation.save(verbosity=0)
    template, copy = catalog(settings.TENANT_BASE_SCHEMA), catalog(organisation.schema_name)
    assert template["columns"] and template["indexes"] and any(r[1] for r in template["rows"])
    for part in ("columns", "rows"):
        assert copy[part] == template[part], part
    # Index definitions are re-parsed from their text: a partial index's WHERE may come back spelt differently
    # but meaning the same (`ANY ((ARRAY['a'::varchar])::text[])` vs `ANY (ARRAY[('a'::varchar)::text])`).
    def shape(indexes: list[tuple]) -> list[tuple]:
        return [(name, definition.split(" WHERE ")[0], " WHERE " in definition) for name, definition in indexes]

    assert shape(copy["indexes"]) == shape(template["indexes"])
    # Same names, kinds and definitions (identity sequences are the copy's own).
    assert copy["constraints"] == template["constraints"]
    assert any(c[2] == "f" and c[3] and c[4] for c in copy["constraints"])  # FKs stay deferrable, deferred


def test_identity_sequences_carry_on_after_the_copied_rows():
    from django.contrib.contenttypes.models import ContentType

    organisation = Organisation(schema_name=new_schema_name(), name="Sequence Care")
    organisation.save(verbosity=0)
    with tenant_context(organisation):
        highest = ContentType.objects.order_by("-pk").first().pk
        fresh = ContentType.objects.create(app_label="bench", model="probe")
        assert fresh.pk > highest


def test_the_copier_refuses_what_it_does_not_copy_and_creation_falls_back(monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA clone_src; CREATE TABLE clone_src.t (id int); "
                       "CREATE VIEW clone_src.v AS SELECT id FROM clone_src.t")
    with pytest.raises(cloning.UnsupportedSchema):
        cloning.schema_clone(source="clone_src", target="clone_dst")

    def refuse(source: str) -> None:
        raise cloning.UnsupportedSchema("pretend")

    monkeypatch.setattr(cloning, "_plan", refuse)
    organisation = Organisation(schema_name=new_schema_name(), name="Fallback Care")
    organisation.save(verbosity=0)  # django-tenants' own clone
    with tenant_context(organisation):
        from people.models import User

        assert User.objects.count() == 0
