"""The local inbox of `make run`: emails kept as files, read at /inbox/ on the public site, never in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django_tenants.utils import tenant_context

from people.services import invitation_create, invitation_deliver
from tests.conftest import client_for, make_person


def _send_html(subject: str, url: str) -> None:
    message = mail.EmailMultiAlternatives(
        subject, f"Hello.\n\nOpen this: {url}\n", None, ["ruth@example.org"], bcc=["audit@example.org"],
    )
    message.attach_alternative(f'<p>Hello. <a href="{url}">Open it</a> <script>alert(1)</script></p>', "text/html")
    message.send()


@pytest.mark.django_db
def test_an_email_sent_appears_with_its_links_newest_first(local_inbox: Path):
    _send_html("First message", "http://alpha.localhost:8000/first/")
    _send_html("Second message", "http://alpha.localhost:8000/second/?a=1&b=2")
    files = sorted(local_inbox.glob("*.eml"))
    assert len(files) == 2  # a real file per message, which the worker's process writes the same way

    page = client_for(None).get("/inbox/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Second message") < html.index("First message")
    assert '<a href="http://alpha.localhost:8000/first/">' in html
    assert '<a href="http://alpha.localhost:8000/second/?a=1&amp;b=2">' in html
    assert "To ruth@example.org · Bcc audit@example.org" in html


@pytest.mark.django_db
def test_one_message_shows_text_and_html_parts_safely(local_inbox: Path):
    _send_html("Both parts", "http://alpha.localhost:8000/verify/abc/")
    mail_id = next(local_inbox.glob("*.eml")).stem
    page = client_for(None).get(f"/inbox/{mail_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    # The text part, its link clickable.
    assert 'Open this: <a href="http://alpha.localhost:8000/verify/abc/"' in html
    # The HTML part only inside a sandboxed frame: a document of its own, never inlined into this page.
    assert f'sandbox="allow-popups allow-popups-to-escape-sandbox" src="/inbox/{mail_id}/html/"' in html
    assert "alert(1)" not in html
    # No inline script or style of its own (the Content Security Policy allows neither).
    assert "<script" not in html and " style=" not in html and " onclick=" not in html

    part = client_for(None).get(f"/inbox/{mail_id}/html/")
    assert part.status_code == 200
    assert part.content.decode().startswith('<base target="_blank"><p>Hello. <a href="http://alpha.localhost:8000')
    policy = part["Content-Security-Policy"]
    # Sandboxed with no scripts even when opened on its own; framed by the inbox only.
    assert policy.startswith("sandbox allow-popups") and "allow-scripts" not in policy
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert part["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
def test_a_real_invitation_lands_in_the_inbox_with_a_working_link(local_inbox: Path, alpha):
    admin = make_person(alpha, ["admin"])
    with tenant_context(alpha):
        invitation = invitation_create(email="new.starter@example.org", full_name="New Starter", roles=["leader"],
                                       invited_by=admin)
        assert invitation_deliver(invitation_id=invitation.pk)
    page = client_for(None).get("/inbox/").content.decode()
    assert "new.starter@example.org" in page
    assert '<a href="http://alpha.localhost/invitations/' in page
    mail_id = next(local_inbox.glob("*.eml")).stem
    assert client_for(None).get(f"/inbox/{mail_id}/html/").status_code == 404  # a text-only email has no HTML part


@pytest.mark.django_db
def test_clearing_empties_the_inbox(local_inbox: Path):
    _send_html("To be cleared", "http://alpha.localhost:8000/x/")
    client = client_for(None)
    assert client.get("/inbox/clear/").status_code == 405  # a GET never deletes
    response = client.post("/inbox/clear/", follow=True)
    assert response.status_code == 200
    assert "Cleared 1 email." in response.content.decode()
    assert "No email yet" in response.content.decode()
    assert not list(local_inbox.glob("*.eml"))


@pytest.mark.django_db
def test_unknown_or_crafted_message_ids_answer_404(local_inbox: Path):
    _send_html("Kept", "http://alpha.localhost:8000/x/")
    client = client_for(None)
    for mail_id in ("20990101T000000000000-000000000000", "..%2F..%2Fsettings", "nonsense"):
        assert client.get(f"/inbox/{mail_id}/").status_code == 404


@pytest.mark.django_db
def test_no_inbox_pages_without_the_setting():
    assert not getattr(settings, "LOCAL_INBOX_DIR", None)
    assert client_for(None).get("/inbox/").status_code == 404
    assert "inbox" not in settings.EMAIL_BACKEND


def test_production_has_no_inbox_backend_and_no_inbox_pages():
    probe = (
        "from django.conf import settings; from django.urls import Resolver404, resolve\n"
        "try:\n    resolve('/inbox/', urlconf='config.urls_public'); print('inbox-url')\n"
        "except Resolver404:\n    print('no-inbox-url')\n"
        "print('backend', settings.EMAIL_BACKEND); print('dir', getattr(settings, 'LOCAL_INBOX_DIR', None))\n"
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
    assert "no-inbox-url" in result.stdout
    assert "dir None" in result.stdout
    backend = next(line for line in result.stdout.splitlines() if line.startswith("backend "))
    assert "inbox" not in backend and "smtp" in backend
