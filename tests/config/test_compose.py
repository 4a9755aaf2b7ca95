"""The compose file is valid against the compose specification (offline: no Docker engine runs here)."""

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings


def test_compose_file_validates_against_the_compose_spec():
    checker = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.compose-spec", str(settings.BASE_DIR / "docker-compose.yml")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_the_whole_stack_with_healthchecks():
    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit"} <= set(services)
    for name in ("postgres", "redis", "web", "worker", "beat", "mailpit"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in (settings.BASE_DIR / "Dockerfile").read_text()
