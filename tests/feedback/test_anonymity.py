"""The database itself says that an anonymous answer cannot be traced to a person.

These read PostgreSQL's catalogue (pg_constraint, pg_class, information_schema) in a real organisation's schema,
not the Django models, so a column or a foreign key added by a migration, a hand-written SQL change or a
third-party field is caught too:

- following foreign keys out of the answer table, transitively, never reaches the user table (nor anything but
  the round);
- the answer table has exactly the columns id, round_id, scores and comment: no person, invitation, time or
  address, and no column that fills itself in (a default of now());
- its primary key is a random UUID, not a sequence or an identity, so ids cannot be lined up with the order of
  answering;
- the respondent table has no column for when someone answered, and answering writes no time anywhere.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from feedback import engine
from feedback.engine import Statement
from feedback.models import Instrument, Respondent, Round
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

ANSWER_COLUMNS = {"id", "round_id", "scores", "comment"}
# The respondent's times, none of them the time of answering: when they were asked, when their link expires, and
# when they were emailed and reminded (sent to everyone who has not answered yet, never because someone did).
RESPONDENT_TIMES = {"created_at", "expires_at", "emailed_at", "reminded_at"}
TIME_TYPES = {"date", "timestamp with time zone", "timestamp without time zone", "time with time zone",
              "time without time zone", "interval"}


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def foreign_keys(schemas: list[str]) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(schema, table) -> the (schema, table)s its foreign keys point at, for every table in `schemas`."""
    rows = _rows(
        """
        SELECT src_ns.nspname, src.relname, dst_ns.nspname, dst.relname
        FROM pg_constraint con
        JOIN pg_class src ON src.oid = con.conrelid
        JOIN pg_namespace src_ns ON src_ns.oid = src.relnamespace
        JOIN pg_class dst ON dst.oid = con.confrelid
        JOIN pg_namespace dst_ns ON dst_ns.oid = dst.relnamespace
        WHERE con.contype = 'f' AND src_ns.nspname = ANY(%s)
        """,
        [schemas],
    )
    graph: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for src_schema, src, dst_schema, dst in rows:
        graph.setdefault((src_schema, src), set()).add((dst_schema, dst))
    return graph


def reachable(graph: dict[tuple[str, str], set[tuple[str, str]]], start: tuple[str, str]) -> set[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    todo = [start]
    while todo:
        for target in graph.get(todo.pop(), set()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def columns(schema: str, table: str) -> dict[str, tuple[str, str | None, str]]:
    """column -> (data type, default, is_identity)."""
    rows = _rows(
        """
        SELECT column_name, data_type, column_default, is_identity FROM information_schema.columns
        WHERE table_schema = %s AND table_name = %s
        """,
        [schema, table],
    )
    return {name: (data_type, default, identity) for name, data_type, default, identity in rows}


def test_the_graph_walk_finds_a_chain_to_the_user_where_there_is_one(alpha):
    """The walk below would notice a path: from the respondent table (which does point at a person) it finds one,
    and through two steps (a round's pulse -> its team -> ...) it follows chains, not only direct keys."""
    schemas = [alpha.schema_name, "public"]
    graph = foreign_keys(schemas)
    assert (alpha.schema_name, "people_user") in reachable(graph, (alpha.schema_name, "feedback_respondent"))
    pulse = reachable(graph, (alpha.schema_name, "feedback_pulseround"))
    assert {(alpha.schema_name, "teams_team"), (alpha.schema_name, "feedback_round")} <= pulse


def test_no_chain_of_foreign_keys_leads_from_an_answer_to_a_person(alpha):
    schema = alpha.schema_name
    graph = foreign_keys([schema, "public"])
    assert (schema, "feedback_answer") in graph, "the answer table or its key to the round is missing"
    found = reachable(graph, (schema, "feedback_answer"))
    assert not {table for _, table in found} & {"people_user", "people_invitation", "allauth_emailaddress"}
    # Nothing but the round, and the round points at nobody (the instruments point at it).
    assert found == {(schema, "feedback_round")}
    assert (schema, "feedback_round") not in graph


def test_the_answer_table_has_only_its_round_its_scores_and_its_comment(alpha):
    found = columns(alpha.schema_name, "feedback_answer")
    assert set(found) == ANSWER_COLUMNS, "a new column on the answer table: is it a person, a time or an address?"
    assert not [name for name, (data_type, _, _) in found.items() if data_type in TIME_TYPES | {"inet", "cidr"}]
    # No column fills itself in (a default of now(), a sequence): every value is the one the engine wrote.
    assert {name: default for name, (_, default, _) in found.items() if default} == {}


def test_the_answer_key_is_random_not_a_sequence(alpha):
    found = columns(alpha.schema_name, "feedback_answer")
    data_type, default, identity = found["id"]
    assert data_type == "uuid" and default is None and identity == "NO"
    sequence = _rows("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{alpha.schema_name}"."feedback_answer"'])
    assert sequence == [(None,)]
    owned = _rows(
        """
        SELECT seq.relname FROM pg_class seq
        JOIN pg_depend dep ON dep.objid = seq.oid AND dep.deptype IN ('a', 'i')
        JOIN pg_class tab ON tab.oid = dep.refobjid
        JOIN pg_namespace ns ON ns.oid = tab.relnamespace
        WHERE seq.relkind = 'S' AND tab.relname = 'feedback_answer' AND ns.nspname = %s
        """,
        [alpha.schema_name],
    )
    assert owned == []
    primary = _rows(
        """
        SELECT a.attname FROM pg_constraint con
        JOIN pg_class tab ON tab.oid = con.conrelid
        JOIN pg_namespace ns ON ns.oid = tab.relnamespace
        JOIN pg_attribute a ON a.attrelid = tab.oid AND a.attnum = ANY(con.conkey)
        WHERE con.contype = 'p' AND tab.relname = 'feedback_answer' AND ns.nspname = %s
        """,
        [alpha.schema_name],
    )
    assert primary == [("id",)]


def test_the_respondent_table_has_no_time_of_answering(alpha):
    found = columns(alpha.schema_name, "feedback_respondent")
    times = {name for name, (data_type, _, _) in found.items() if data_type in TIME_TYPES}
    assert times == RESPONDENT_TIMES, "a new time on the respondent: could it say when someone answered?"
    assert "answered" in found and found["answered"][0] == "boolean"
    assert not [name for name in found if "answer" in name and name != "answered"]


def test_answering_writes_no_time_anywhere(alpha):
    """The catalogue says which columns there are; this says answering fills none of the times in."""
    people = [make_person(alpha, ["leader"]) for _ in range(2)]
    with tenant_context(alpha):
        round_ = engine.round_open(
            instrument=Instrument.PULSE, statements=[Statement(key="a", text="A.")], scale=7,
            closes_at=timezone.now() + timedelta(days=7), users=people,
        )
        fields = [f.attname for f in Respondent._meta.concrete_fields]
        before_respondents = {r["id"]: r for r in Respondent.objects.filter(round=round_).values(*fields)}
        before_round = Round.objects.filter(pk=round_.pk).values().get()
        respondent = Respondent.objects.filter(round=round_).first()
        engine.answer_record(respondent=respondent, scores=[5])
        after_respondents = {r["id"]: r for r in Respondent.objects.filter(round=round_).values(*fields)}
        after_round = Round.objects.filter(pk=round_.pk).values().get()
    changed = {
        name for pk, row in after_respondents.items() for name, value in row.items()
        if before_respondents[pk][name] != value
    }
    assert changed == {"answered"}  # (token_hash is cleared too, but these two members had no link)
    assert {name for name, value in after_round.items() if before_round[name] != value} == {"answer_count"}
