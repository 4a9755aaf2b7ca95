"""DESIGN.md's import direction, checked on every module of every app (function-level imports included): `people`
is the base; `courses` uses people; `reflections` uses people and courses; `tenants` uses people only; apps never
import `config`. When a lower app must show something of a higher one, the higher app fills in a registry (the
home sections, the demo seeders, the welcome checklist's steps) or answers a signal."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["people", "courses", "reflections", "tenants", "teams", "feedback", "supervision", "learningsets"]
MAY_IMPORT = {
    "people": set(),
    "courses": {"people"},
    "reflections": {"people", "courses"},
    "tenants": {"people"},
    "teams": {"people"},
    "feedback": {"people", "teams", "courses", "reflections"},
    "supervision": {"people", "teams", "courses", "reflections"},
    "learningsets": {"people", "teams", "courses", "reflections"},
}
PROJECT = {*APPS, "config"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & PROJECT


@pytest.mark.parametrize("app", APPS)
def test_each_app_imports_only_the_apps_below_it(app: str):
    wrong = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        bad = _imports(path) - MAY_IMPORT[app] - {app}
        if bad:
            wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert wrong == {}, f"{app} may import only {sorted(MAY_IMPORT[app]) or 'nothing of ours'}: {wrong}"


def test_the_checker_sees_imports_inside_functions(tmp_path: Path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from reflections.selectors import visibility\n    import config.settings\n")
    assert _imports(module) == {"reflections", "config"}
