"""Content Security Policy (nonces, no 'unsafe-inline') and Permissions-Policy on every kind of page, and no
template that the policy would break."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

from tests.conftest import client_for, host

pytestmark = pytest.mark.django_db


def _policy(response: HttpResponse) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def _assert_strict_policy(response: HttpResponse) -> None:
    header = response["Content-Security-Policy"]
    policy = _policy(response)
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'" and policy["style-src"][0] == "'self'"
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def _assert_the_pages_nonce_is_in_the_policy(response: HttpResponse) -> str:
    # django-csp adds the nonce to the header when the page used it (a page without inline code has none,
    # so pages stay byte-identical where tests compare them).
    policy = _policy(response)
    nonces = [value for value in policy["script-src"] if value.startswith("'nonce-")]
    assert len(nonces) == 1 and nonces[0] in policy["style-src"]
    nonce = nonces[0][len("'nonce-"):-1]
    assert len(nonce) >= 16
    assert f'nonce="{nonce}"' in response.content.decode()
    return nonce


def _assert_permissions_policy(response: HttpResponse) -> None:
    header = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header, header


@pytest.mark.parametrize("path", ["/", "/signup/", "/find/", "/accounts/login/"])
def test_public_pages_have_a_strict_policy(path):
    response = Client(HTTP_HOST=host()).get(path)
    assert response.status_code == 200
    _assert_strict_policy(response)
    _assert_permissions_policy(response)


def test_organisation_pages_have_a_strict_policy(alpha, alpha_people):
    for response in (
        Client(HTTP_HOST=host("alpha")).get("/accounts/login/"),
        client_for(alpha, alpha_people.leader).get("/learn/"),
        client_for(alpha, alpha_people.leader).get("/journal/"),
    ):
        assert response.status_code == 200
        _assert_strict_policy(response)
        _assert_permissions_policy(response)


def test_a_page_with_a_script_carries_a_fresh_nonce_in_page_and_header():
    # The sign-up page with mistakes loads its focus script with the nonce.
    first, second = (Client(HTTP_HOST=host()).post("/signup/", {"email": "not-an-address"}) for _ in range(2))
    assert first.status_code == second.status_code == 200
    for response in (first, second):
        _assert_strict_policy(response)
    assert _assert_the_pages_nonce_is_in_the_policy(first) != _assert_the_pages_nonce_is_in_the_policy(second)


def test_the_certificate_page_carries_the_nonce(alpha, alpha_people):
    from django_tenants.utils import tenant_context

    from courses import services as learning
    from courses.models import Module

    with tenant_context(alpha):
        module = Module.objects.filter(lessons__isnull=False).distinct().first()
        for lesson in module.lessons.all():
            learning.lesson_complete(user=alpha_people.leader, lesson=lesson)
    response = client_for(alpha, alpha_people.leader).get(f"/learn/cpd/{module.slug}/certificate/")
    assert response.status_code == 200, response
    _assert_strict_policy(response)
    _assert_the_pages_nonce_is_in_the_policy(response)
    assert "data-print-page" in response.content.decode()


def test_the_unknown_organisation_page_has_the_headers_too():
    response = Client(HTTP_HOST=host("nobody-here")).get("/")
    assert response.status_code == 404
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    _assert_permissions_policy(response)


def test_sign_up_may_post_to_the_public_site_and_land_on_the_new_organisations_host():
    form_action = _policy(Client(HTTP_HOST=host()).get("/signup/"))["form-action"]
    assert form_action == ["'self'", f"http://*.{settings.BASE_DOMAIN}:*"]


# --- Templates the policy would break -------------------------------------------------------------------

EMAIL_TEMPLATES = "/email/"  # emails are not pages: mail clients need inline styles, and no CSP applies
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
HANDLER_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


def _page_templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", *base.glob("*/templates")]
    return [path for root in roots for path in root.rglob("*.html") if EMAIL_TEMPLATES not in path.as_posix()]


def test_no_page_template_has_inline_code_or_styles_without_the_nonce():
    problems = []
    for path in _page_templates():
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_STYLE):
            problems += [f"{path}: {m.group(0)}" for m in pattern.finditer(text) if "CSP_NONCE" not in m.group(0)]
        for pattern in (STYLE_ATTRIBUTE, HANDLER_ATTRIBUTE):
            problems += [f"{path}: {m.group(0).strip()}" for m in pattern.finditer(text)]
    assert _page_templates(), "no templates found"
    assert problems == []
