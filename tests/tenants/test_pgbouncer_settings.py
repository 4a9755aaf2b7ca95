"""DATABASE_POOL_MODE: the setting, and the start-up check that refuses what contradicts transaction pooling."""

from __future__ import annotations

import copy

import pytest
import yaml
from django.conf import settings

from config.checks import pool_mode_problems
from tests.config.test_production import PRODUCTION_ENV, _run

TRANSACTION_DATABASE = {
    "ENGINE": "config.db", "NAME": "heartwood", "POOL_MODE": "transaction", "DISABLE_SERVER_SIDE_CURSORS": True,
    "OPTIONS": {},
}


def test_transaction_mode_as_the_settings_make_it_passes_the_check():
    assert pool_mode_problems({"default": TRANSACTION_DATABASE}) == []
    assert pool_mode_problems({"default": {"ENGINE": "config.db", "OPTIONS": {}}}) == []  # session by default


@pytest.mark.parametrize(("change", "named"), [
    ({"ENGINE": "django_tenants.postgresql_backend"}, "ENGINE"),
    ({"OPTIONS": {"server_side_binding": True}}, "server_side_binding"),
    ({"OPTIONS": {"prepare_threshold": 5}}, "prepare_threshold"),
    ({"DISABLE_SERVER_SIDE_CURSORS": False}, "DISABLE_SERVER_SIDE_CURSORS"),
    ({"OPTIONS": {"assume_role": "heartwood_app"}}, "assume_role"),
])
def test_the_check_refuses_what_contradicts_transaction_pooling(change, named):
    database = {**copy.deepcopy(TRANSACTION_DATABASE), **change}
    problems = pool_mode_problems({"default": database})
    assert [p.id for p in problems] == ["heartwood.E011"] and named in problems[0].msg


def test_the_check_refuses_an_unknown_pool_mode():
    problems = pool_mode_problems({"default": {**TRANSACTION_DATABASE, "POOL_MODE": "statement"}})
    assert [p.id for p in problems] == ["heartwood.E010"]


def test_the_default_is_session_mode():
    assert settings.DATABASES["default"]["POOL_MODE"] == "session"


def test_production_in_transaction_mode_disables_server_side_cursors_and_passes_its_checks():
    # E011 would name DISABLE_SERVER_SIDE_CURSORS if the mode did not turn server-side cursors off.
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV, DATABASE_POOL_MODE="transaction")
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run(["check"], **PRODUCTION_ENV, DATABASE_POOL_MODE="statement")
    assert result.returncode != 0 and "heartwood.E010" in result.stderr, result.stdout + result.stderr


def test_compose_runs_web_worker_and_beat_through_pgbouncer_in_transaction_mode_and_migrates_directly():
    services = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())["services"]
    pgbouncer = services["pgbouncer"]
    assert pgbouncer["environment"]["POOL_MODE"] == "transaction" and "healthcheck" in pgbouncer
    assert ":" in pgbouncer["image"] and not pgbouncer["image"].endswith(":latest")  # a pinned tag
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert "@pgbouncer:" in environment["DATABASE_URL"], name
        assert environment["DATABASE_POOL_MODE"] == "transaction", name
        assert services[name]["depends_on"]["pgbouncer"]["condition"] == "service_healthy", name
    # Migrations hold session state (locks, SET, DDL across statements): straight to PostgreSQL.
    migrate = services["migrate"]["environment"]
    assert "@postgres:" in migrate["DATABASE_URL"] and "DATABASE_POOL_MODE" not in migrate


def _pooled_wrapper(**options):
    from django.db import connection

    from config.db.base import DatabaseWrapper

    return DatabaseWrapper({**connection.settings_dict, "POOL_MODE": "transaction",
                            "DISABLE_SERVER_SIDE_CURSORS": True, "OPTIONS": options}, alias="pooled")


def test_the_backend_itself_refuses_what_cannot_work_in_transaction_mode():
    from django.core.exceptions import ImproperlyConfigured

    from config.db.base import PathCarryingCursor

    with pytest.raises(ImproperlyConfigured, match="Server-side cursors"):
        _pooled_wrapper().create_cursor(name="chunked")
    with pytest.raises(ImproperlyConfigured, match="client-side binding"):
        _pooled_wrapper(server_side_binding=True).get_connection_params()
    with pytest.raises(ImproperlyConfigured, match="cannot be prepared"):
        _pooled_wrapper(prepare_threshold=5).get_connection_params()
    assert _pooled_wrapper().get_connection_params()["cursor_factory"] is PathCarryingCursor
    wrapper = _pooled_wrapper()
    wrapper.set_schema("org_a")
    assert wrapper.statement_path_prefix() == 'SET LOCAL search_path TO "org_a", "public"; '
