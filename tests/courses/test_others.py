"""The 360's statements: every behaviour self-check has the same statements turned to the person being rated, the
loader keeps them only when they pair one to one, updated content reaches organisations that already have the
module, and `behaviour_statements_for_others` reads them in one query, in the programme's order."""

from __future__ import annotations

import logging
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from courses import selectors
from courses.loader import DEFAULT_PROGRAMME_DIR, curriculum_sync, read_programme
from courses.models import Behaviour, Module, SelfCheckResponse, Source
from tests.conftest import make_person
from tests.courses.conftest import write_module, write_tree

TURNED = re.compile(r"\b(they|them|their|themselves)\b", re.IGNORECASE)


def test_every_shipped_behaviour_module_has_a_statement_for_others_per_statement():
    data = read_programme(DEFAULT_PROGRAMME_DIR)
    behaviour_modules = [m for m in data.modules if m.behaviour]
    assert [m.behaviour for m in behaviour_modules] == [b.value for b in Behaviour]
    for module in behaviour_modules:
        statements, others = module.self_check["statements"], module.self_check.get("others")
        assert others, f"{module.slug}: self_check.others is missing or was dropped (see the loader's warning)"
        assert len(others) == len(statements), module.slug
        for mine, theirs in zip(statements, others, strict=True):
            assert theirs != mine
            assert TURNED.search(theirs), f"{module.slug}: not turned to the person being rated: {theirs!r}"
            assert len(theirs) <= 200 and theirs.endswith("."), theirs
        assert len(set(others)) == len(others), module.slug
    # Raised with the new statements, so curriculum_sync brings them to organisations that have version 1.
    assert all(m.version >= 2 for m in behaviour_modules)


def test_others_of_another_length_are_dropped_with_a_warning(tmp_path, caplog):
    root = write_tree(tmp_path)
    module_file = root / "02-attending" / "module.md"
    text = module_file.read_text()
    one_only = "  others:\n    - They stop and listen to me.\n  suggestions:"
    module_file.write_text(text.replace("  suggestions:", one_only))
    with caplog.at_level(logging.WARNING, logger="courses.loader"):
        data = read_programme(root)
    attending = next(m for m in data.modules if m.slug == "attending")
    assert "others" not in attending.self_check
    assert len(attending.self_check["statements"]) == 3  # the self-check itself is kept
    assert any("self_check.others" in r.getMessage() and "02-attending" in r.getMessage() for r in caplog.records)

    module_file.write_text(text.replace("  suggestions:", "  others:\n" + "    - They do it.\n" * 3 + "  suggestions:"))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="courses.loader"):
        attending = next(m for m in read_programme(root).modules if m.slug == "attending")
    assert attending.self_check["others"] == ["They do it."] * 3
    assert not caplog.records


def test_a_raised_version_brings_the_statements_for_others_to_an_organisation_that_has_the_module(db, alpha):
    with tenant_context(alpha):
        curriculum_sync()
        attending = Module.objects.get(slug="attending", source=Source.SHIPPED)
        attending.version = 1
        attending.self_check = {k: v for k, v in attending.self_check.items() if k != "others"}
        attending.is_hidden, attending.order = True, 7  # the organisation's choices
        attending.save()
        assert "attending" not in [row.behaviour for row in selectors.behaviour_statements_for_others()]

        result = curriculum_sync()
        attending.refresh_from_db()
        assert result.updated >= 1
        assert len(attending.self_check["others"]) == len(attending.self_check["statements"])
        assert (attending.is_hidden, attending.order) == (True, 7)


def test_behaviour_statements_for_others_in_programme_order_in_one_query(db, alpha, tmp_path):
    with tenant_context(alpha):
        curriculum_sync()
        Module.objects.filter(slug="empathising").update(is_hidden=True)  # hidden modules still count
        with CaptureQueriesContext(connection) as ctx:
            rows = selectors.behaviour_statements_for_others()
        assert len(ctx.captured_queries) == 1

        assert [row.behaviour for row in rows] == ["attending", "understanding", "empathising", "helping"]
        for behaviour, module, pairs in rows:  # a plain tuple too
            assert module.behaviour == behaviour
            assert [mine for mine, _ in pairs] == module.self_check["statements"]
            assert [theirs for _, theirs in pairs] == module.self_check["others"]
        first_self, first_others = rows[0].pairs[0]
        assert first_self.startswith("When a colleague brings me a problem on shift, I stop")
        assert first_others.startswith("When I bring them a problem on shift, they stop")

        # The organisation's order is the programme's order; a second module of a behaviour does not add a row,
        # and the query count stays the same whatever the number of modules.
        Module.objects.filter(slug="helping").update(order=1)
        root = tmp_path / "foundations"
        for n in range(6):
            write_module(root, f"1{n}-extra", f"extra-{n}", f"Extra {n}", order=20 + n,
                         behaviour=["attending", "helping"][n % 2], self_check=True)
        curriculum_sync(root)
        Module.objects.filter(slug__startswith="extra-").update(
            self_check={"statements": ["I do a thing."], "others": ["They do a thing."]}
        )
        with CaptureQueriesContext(connection) as ctx:
            rows = selectors.behaviour_statements_for_others()
        assert len(ctx.captured_queries) == 1
        assert [(row.behaviour, row.module.slug) for row in rows] == [
            ("helping", "helping"), ("attending", "attending"), ("understanding", "understanding"),
            ("empathising", "empathising"),
        ]

        # A module whose others do not pair one to one (written by hand, say) is passed over, not half-used.
        Module.objects.filter(slug="understanding").update(
            self_check={"statements": ["I ask.", "I check."], "others": ["They ask."]}
        )
        assert "understanding" not in [row.behaviour for row in selectors.behaviour_statements_for_others()]


def test_self_checks_latest_for_is_the_learners_own_latest_in_one_query(db, alpha):
    with tenant_context(alpha):
        curriculum_sync()
        leader, other = make_person(alpha, ["leader"]), make_person(alpha, ["leader"])
        rows = selectors.behaviour_statements_for_others()
        modules = [row.module for row in rows]
        attending, helping = modules[0], modules[3]
        SelfCheckResponse.objects.create(user=leader, module=attending, answers=[1] * 8)
        newest = SelfCheckResponse.objects.create(user=leader, module=attending, answers=[4] * 8)
        SelfCheckResponse.objects.create(user=other, module=helping, answers=[5] * 7)
        with CaptureQueriesContext(connection) as ctx:
            latest = selectors.self_checks_latest_for(leader, modules)
        assert len(ctx.captured_queries) == 1
        assert latest == {attending.pk: newest}
        assert selectors.self_checks_latest_for(other, modules)[helping.pk].answers == [5] * 7
        assert selectors.self_checks_latest_for(leader, []) == {}
