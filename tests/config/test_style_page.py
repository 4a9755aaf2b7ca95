"""The living style page of `make run`: every component with its markup at /style/ on the public site, only under
development settings (DEBUG and STYLE_PAGE), never in production."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches

import config.urls_public
from config.styleguide.views import SAMPLES
from tests.conftest import client_for


@pytest.fixture
def style_page_on() -> Iterator[None]:
    with override_settings(DEBUG=True, STYLE_PAGE=True):
        importlib.reload(config.urls_public)
        clear_url_caches()
        yield
    importlib.reload(config.urls_public)
    clear_url_caches()


@pytest.mark.django_db
def test_the_style_page_draws_every_component_beside_its_markup(style_page_on):
    page = client_for(None).get("/style/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("Card", "Tag", "Tab bar", "Table that stacks", "Empty state", "Flash", "Stat", "Disclosure",
                 "Progress bar"):
        assert f">{name}</h2>" in html
    for sample in SAMPLES:
        assert f'id="{sample.slug}"' in html
    # Drawn from the real templates, and shown as written.
    assert 'class="empty-state"' in html and "Your journal is waiting" in html
    assert "{% include &quot;components/empty_state.html&quot;" in html
    assert 'class="flash flash-warning"' in html and 'class="stat"' in html


@pytest.mark.django_db
def test_no_style_page_without_the_development_settings():
    assert not getattr(settings, "STYLE_PAGE", False)
    assert client_for(None).get("/style/").status_code == 404
    with override_settings(STYLE_PAGE=True):  # DEBUG off: still none
        importlib.reload(config.urls_public)
        clear_url_caches()
        try:
            assert client_for(None).get("/style/").status_code == 404
        finally:
            importlib.reload(config.urls_public)
            clear_url_caches()


def test_production_has_no_style_page():
    probe = (
        "from django.conf import settings; from django.urls import Resolver404, resolve\n"
        "try:\n    resolve('/style/', urlconf='config.urls_public'); print('style-url')\n"
        "except Resolver404:\n    print('no-style-url')\n"
        "print('flag', getattr(settings, 'STYLE_PAGE', None), settings.DEBUG)\n"
    )
    environ = {k: v for k, v in os.environ.items() if k not in ("EMAIL_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environ.setdefault("EMAIL_URL", "smtp://mail.heartwood.example:587")
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="p" * 60,
        DJANGO_ALLOWED_HOSTS="heartwood.example,.heartwood.example", BASE_DOMAIN="heartwood.example",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", probe], cwd=settings.BASE_DIR, env=environ,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "no-style-url" in result.stdout
    assert "flag None False" in result.stdout
