"""The compose file is valid against the compose specification (offline: no Docker engine runs here)."""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
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


def _compose() -> dict:
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())


def test_compose_runs_production_settings_with_a_real_domain_and_real_email():
    app = _compose()["services"]["web"]["environment"]
    assert app["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert "localhost" not in app["BASE_DOMAIN"] and "heartwood.example" in app["BASE_DOMAIN"]
    assert app["EMAIL_URL"] and app["DEFAULT_FROM_EMAIL"]


def test_the_web_healthcheck_is_readiness_by_ip_and_never_waits_for_a_worker():
    services = _compose()["services"]
    test = " ".join(services["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/readyz" in test
    assert "celery" not in test
    assert "worker" not in services["web"].get("depends_on", {})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_compose_web_healthcheck_passes_on_gunicorn_in_production_shape_with_no_worker_running():
    """gunicorn, production settings, a real domain, no Celery worker: the compose healthcheck command (by IP
    address) passes, and liveness and readiness answer a Host that is no organisation's."""
    from tests.config.test_production import PRODUCTION_ENV

    port = _free_port()
    environ = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environ.update({k: v for k, v in PRODUCTION_ENV.items() if k != "SENTRY_DSN"},
                   DJANGO_SETTINGS_MODULE="config.settings.production")
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen([gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                              cwd=settings.BASE_DIR, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        healthcheck = _compose()["services"]["web"]["healthcheck"]["test"]
        assert healthcheck[:3] == ["CMD", "python", "-c"]
        command = healthcheck[3].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        result = subprocess.run([sys.executable, "-c", command], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr

        def get(path: str, host: str) -> tuple[int, bytes]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers={"Host": host})
            response = connection.getresponse()
            return response.status, response.read()

        assert get("/livez", "10.0.0.5:8000") == (200, b'{"status": "alive"}')
        status, body = get("/readyz", "10.0.0.5:8000")
        assert status == 200 and b'"ready"' in body
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
