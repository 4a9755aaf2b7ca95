"""Email confirmation: a fresh link confirms in one click, by a POST the page sends itself once it is open in a
browser (static/js/confirm-email.js); the GET that opens it writes nothing, so a link scanner confirms nothing.
An expired or used link says so and offers a new one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from people.services import user_create
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def _confirmation_link(alpha) -> str:
    with tenant_context(alpha):
        user_create(email="una@example.org", full_name="Una Confirm", roles=["leader"], password=PASSWORD)
    client_for(alpha).post("/accounts/login/", {"login": "una@example.org", "password": PASSWORD})
    return re.search(r"http://alpha\.localhost\S*(/accounts/confirm-email/\S+)", mail.outbox[-1].body)[1]


def _verified(alpha) -> bool:
    with tenant_context(alpha):
        return EmailAddress.objects.get(email="una@example.org").verified


def test_a_fresh_link_shows_one_button_that_the_page_presses_itself_and_the_get_confirms_nothing(alpha):
    assert settings.ACCOUNT_CONFIRM_EMAIL_ON_GET is False  # a GET never writes (tests/test_get_never_writes.py)
    link = _confirmation_link(alpha)
    visitor = client_for(alpha)
    page = visitor.get(link)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Confirm my email address" in html and "una@example.org" in html
    assert 'data-submit-on-open' in html and "js/confirm-email.js" in html
    assert not _verified(alpha)  # opening the link (as a scanner would) changed nothing

    confirmed = visitor.post(link)  # what the page's script, or one tap on the button, sends
    assert confirmed.status_code == 302
    assert _verified(alpha)


def test_an_expired_link_says_so_kindly_and_confirms_nothing(alpha):
    link = _confirmation_link(alpha)
    with tenant_context(alpha):
        stale = timezone.now() - timedelta(days=settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS, hours=1)
        EmailConfirmation.objects.update(sent=stale)
    visitor = client_for(alpha)
    html = visitor.get(link).content.decode()
    assert "This link has expired or has already been used" in html
    assert "confirm-email.js" not in html and "Confirm my email address" not in html
    visitor.post(link)
    assert not _verified(alpha)
