"""Security review: privacy and tenancy holes found by reading the code, each proved here before it was fixed."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from people.services import user_create
from reflections.models import Prompt, PromptDelivery
from tests.conftest import PASSWORD, client_for, make_person

pytestmark = pytest.mark.django_db


# --- Open redirect: "Not now" on a prompt card goes back to the page it was on, never to another site.


@pytest.mark.parametrize("target", [
    "https://evil.example/phish", "//evil.example/phish", "/\\evil.example/", "http://beta.localhost/journal/",
    "javascript:alert(1)", "nowhere",
])
def test_prompt_card_dismiss_never_redirects_off_the_site(alpha, target):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        delivery = PromptDelivery.objects.create(
            user=leader, slot=timezone.now(), prompt=Prompt.objects.filter(is_active=True).first(), channel="app"
        )
    response = client_for(alpha, leader).post(f"/journal/prompts/cards/{delivery.pk}/dismiss/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/journal/"


def test_prompt_card_dismiss_still_returns_to_a_page_of_this_organisation(alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        delivery = PromptDelivery.objects.create(
            user=leader, slot=timezone.now(), prompt=Prompt.objects.filter(is_active=True).first(), channel="app"
        )
    response = client_for(alpha, leader).post(f"/journal/prompts/cards/{delivery.pk}/dismiss/", {"next": "/learn/"})
    assert response.status_code == 302 and response["Location"] == "/learn/"


# --- Email confirmation links: a link made in one organisation must confirm nothing in another.


def test_email_confirmation_link_of_one_organisation_confirms_nothing_in_another(alpha, beta):
    with tenant_context(alpha):
        user_create(email="alpha-unverified@example.org", full_name="Una Alpha", roles=["leader"], password=PASSWORD)
    client_for(alpha).post("/accounts/login/", {"login": "alpha-unverified@example.org", "password": PASSWORD})
    link = re.search(r"http://alpha\.localhost\S*(/accounts/confirm-email/\S+)", mail.outbox[-1].body)[1]
    with tenant_context(alpha):
        alpha_pk = EmailAddress.objects.get(email="alpha-unverified@example.org").pk
    with tenant_context(beta):
        # Someone in beta whose unconfirmed address happens to have the same id.
        victim = user_create(email="beta-victim@example.org", full_name="Vic Beta", roles=["leader"],
                             password=PASSWORD)
        EmailAddress.objects.filter(pk=alpha_pk).exclude(user=victim).delete()
        EmailAddress.objects.filter(user=victim).update(id=alpha_pk)
    client_for(beta).get(link)
    client_for(beta).post(link)
    with tenant_context(beta):
        assert not EmailAddress.objects.get(pk=alpha_pk).verified
    # The link still works where it was sent.
    client_for(alpha).post(link)
    with tenant_context(alpha):
        assert EmailAddress.objects.get(pk=alpha_pk).verified


# --- The one-click stop (RFC 8058): the mail provider POSTs without cookies or a CSRF token; the token is the only
# credential, and it still means nothing in another organisation.


def test_one_click_stop_works_from_a_mail_provider_without_a_csrf_cookie(alpha, beta):
    from django.test import Client
    from django.utils import timezone

    from reflections.models import PromptDelivery, PromptFrequency, PromptSchedule
    from reflections.prompt_delivery import stop_token_save
    from tests.conftest import host

    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        token = stop_token_save(PromptDelivery.objects.create(user=leader, slot=timezone.now(), channel="email"))
    beta_mailer = Client(HTTP_HOST=host("beta"), enforce_csrf_checks=True)
    assert beta_mailer.post(f"/journal/prompts/stop/{token}/", {"List-Unsubscribe": "One-Click"}).status_code == 404
    mailer = Client(HTTP_HOST=host("alpha"), enforce_csrf_checks=True)
    response = mailer.post(f"/journal/prompts/stop/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    with tenant_context(alpha):
        assert PromptSchedule.objects.get(user=leader).frequency == PromptFrequency.OFF


# --- The Django admin's own login form skipped allauth's rate limit (and any two-step sign-in) for operators,
# the accounts that can suspend, export and delete whole organisations.


def test_django_admin_login_goes_through_the_rate_limited_sign_in(db):
    from django_tenants.utils import schema_context

    operator_password = "an-operator-password-77"
    with schema_context("public"):
        operator = user_create(email="operator-review@heartwood.test", full_name="Op", roles=[],
                               password=operator_password, verified=True, is_staff=True)
    client = client_for(None)
    for _ in range(8):
        client.post("/django-admin/login/", {"username": operator.email, "password": "wrong-password-1"})
    response = client.post("/django-admin/login/?next=/django-admin/",
                           {"username": operator.email, "password": operator_password})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/django-admin/").status_code == 302  # not signed in by the admin's own form
    # Signed in the ordinary way, an operator still reaches the admin.
    signed_in = client_for(None)
    signed_in.post("/accounts/login/", {"login": operator.email, "password": operator_password})
    assert signed_in.get("/django-admin/").status_code == 200


# --- A lesson of a module the organisation has hidden (a draft its admins are still writing) is not for learners:
# a new entry "from the lesson" with its id must not show its title or question.


def test_new_entry_from_a_hidden_lessons_id_shows_nothing_of_it(alpha):
    from courses import services as learning

    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        module = learning.module_create(title="Draft module for review")
        lesson = learning.lesson_create(module=module, title="Unfinished lesson title", body="Draft body",
                                        reflection_question="A draft question nobody should see yet?")
        learning.module_settings_update(module=module, is_hidden=True)
    client = client_for(alpha, leader)
    page = client.get(f"/journal/new/?lesson={lesson.pk}")
    assert page.status_code == 200
    assert b"Unfinished lesson title" not in page.content and b"A draft question" not in page.content
    client.post("/journal/new/", {"title": "Mine", "template": "free", "body": "text", "lesson": lesson.pk})
    with tenant_context(alpha):
        from reflections.models import JournalEntry

        assert JournalEntry.objects.get(author=leader).lesson is None
