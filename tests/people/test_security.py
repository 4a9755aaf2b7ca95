"""Account security with allauth: verified email, rate-limited sign-in, no account enumeration, two-step sign-in
(and the organisation's rule that admins must use it), signing out other sessions, styled allauth pages."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core import mail
from django_tenants.utils import tenant_context

from people.models import OrganisationSettings
from people.services import user_create
from tests.conftest import PASSWORD, client_for, make_person

pytestmark = pytest.mark.django_db


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_unverified_email_cannot_sign_in_and_gets_a_verification_email(alpha):
    with tenant_context(alpha):
        user_create(email="unverified@example.org", full_name="Una", roles=["leader"], password=PASSWORD)
    client = client_for(alpha)
    response = sign_in(client, "unverified@example.org")
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert client.get("/").status_code == 302
    assert [m.to for m in mail.outbox] == [["unverified@example.org"]]
    link = re.search(r"http://alpha\.localhost\S*/accounts/confirm-email/\S+", mail.outbox[0].body)
    assert link, mail.outbox[0].body


def test_sign_in_is_rate_limited_after_five_failures(alpha, alpha_people):
    client = client_for(alpha)
    for _ in range(5):
        assert not sign_in(client, alpha_people.leader.email, "wrong-password-1").wsgi_request.user.is_authenticated
    response = sign_in(client, alpha_people.leader.email)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/").status_code == 302


def test_sign_in_errors_do_not_reveal_who_has_an_account(alpha, alpha_people):
    wrong_password = sign_in(client_for(alpha), alpha_people.leader.email, "wrong-password-1")
    no_account = sign_in(client_for(alpha), "nobody-here@example.org", "wrong-password-1")
    assert wrong_password.status_code == no_account.status_code == 200
    assert wrong_password.context["form"].errors == no_account.context["form"].errors


def test_password_reset_does_not_reveal_who_has_an_account(alpha, alpha_people):
    known = client_for(alpha).post("/accounts/password/reset/", {"email": alpha_people.leader.email})
    unknown = client_for(alpha).post("/accounts/password/reset/", {"email": "nobody-here@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/done/"
    # Both addresses get an email (the unknown one is told there is no account), so timing and page match.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alpha_people.leader.email, "nobody-here@example.org"])


def test_anyone_can_turn_on_two_step_sign_in_and_is_then_asked_for_a_code(alpha, alpha_people):
    client = client_for(alpha)
    assert sign_in(client, alpha_people.mentor.email).status_code == 302
    # Changing sign-in security asks for the password again first.
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    reauth = client.post("/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/", {"password": PASSWORD})
    assert reauth.status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert "account-layout" in page.content.decode()
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    with tenant_context(alpha):
        assert Authenticator.objects.filter(user=alpha_people.mentor, type=Authenticator.Type.TOTP).exists()
        assert Authenticator.objects.filter(user=alpha_people.mentor, type=Authenticator.Type.RECOVERY_CODES).exists()
    # Recovery codes are there to see.
    assert client.get("/accounts/2fa/recovery-codes/").status_code == 200

    fresh = client_for(alpha)
    response = sign_in(fresh, alpha_people.mentor.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert fresh.get("/").status_code == 302  # not in yet
    response = fresh.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert fresh.get("/").status_code == 200


def require_mfa_for_admins(alpha) -> None:
    with tenant_context(alpha):
        OrganisationSettings.objects.update_or_create(singleton=1, defaults={"require_mfa_for_admins": True})


def test_admins_without_two_step_sign_in_are_sent_to_set_it_up_when_required(alpha, alpha_people):
    admin = client_for(alpha, alpha_people.admin)
    assert admin.get("/manage/").status_code == 200
    require_mfa_for_admins(alpha)
    for url in ("/manage/", "/manage/people/", "/manage/invitations/", "/manage/pairings/", "/manage/settings/"):
        response = admin.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    # Non-admins are unaffected (and still see 404 for /manage/).
    assert client_for(alpha, alpha_people.leader).get("/manage/").status_code == 404
    assert client_for(alpha, alpha_people.leader).get("/").status_code == 200

    with tenant_context(alpha):
        TOTP.activate(alpha_people.admin, "JBSWY3DPEHPK3PXP")
    assert admin.get("/manage/").status_code == 200


def test_an_admin_cannot_require_two_step_sign_in_before_using_it_themselves(alpha, alpha_people):
    admin = client_for(alpha, alpha_people.admin)
    response = admin.post("/manage/settings/", {"require_mfa_for_admins": "on"})
    assert response.status_code == 200
    assert "Set up two-step sign-in for yourself first" in response.content.decode()
    with tenant_context(alpha):
        assert not OrganisationSettings.objects.filter(require_mfa_for_admins=True).exists()
        TOTP.activate(alpha_people.admin, "JBSWY3DPEHPK3PXP")
    assert admin.post("/manage/settings/", {"require_mfa_for_admins": "on"}).status_code == 302
    with tenant_context(alpha):
        assert OrganisationSettings.objects.get().require_mfa_for_admins
    assert admin.post("/manage/settings/", {}).status_code == 302
    with tenant_context(alpha):
        assert not OrganisationSettings.objects.get().require_mfa_for_admins


def test_sign_out_my_other_sessions(alpha, alpha_people):
    phone, laptop = client_for(alpha), client_for(alpha)
    for device in (phone, laptop):
        sign_in(device, alpha_people.leader.email)
        assert device.get("/").status_code == 200
    page = laptop.get("/accounts/sessions/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sign out my other sessions" in body and "This browser" in body
    assert laptop.post("/accounts/sessions/").status_code == 302
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/password/change/", "/accounts/email/", "/accounts/2fa/", "/accounts/reauthenticate/",
        "/accounts/sessions/", "/accounts/logout/",
    ],
)
def test_account_pages_use_the_heartwood_layout(alpha, alpha_people, url):
    client = client_for(alpha)
    sign_in(client, alpha_people.leader.email)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Skip to main content" in body and "Alpha Care" in body
    assert 'class="button' in body
    assert "account-layout" in body or "allauth-page" in body


@pytest.mark.parametrize("url", ["/accounts/password/reset/", "/accounts/login/"])
def test_signed_out_account_pages_use_the_heartwood_layout(alpha, url):
    body = client_for(alpha).get(url).content.decode()
    assert "Skip to main content" in body and 'class="button primary"' in body


def test_password_change_works(alpha):
    person = make_person(alpha, ["leader"])
    client = client_for(alpha)
    sign_in(client, person.email)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "a-brand-new-password-9", "password2": "a-brand-new-password-9"},
    )
    assert response.status_code == 302
    assert sign_in(client_for(alpha), person.email, "a-brand-new-password-9").status_code == 302


def test_deactivated_person_is_told_their_account_is_paused(alpha, alpha_people):
    with tenant_context(alpha):
        alpha_people.leader.is_active = False
        alpha_people.leader.save()
    client = client_for(alpha)
    response = client.post("/accounts/login/", {"login": alpha_people.leader.email, "password": PASSWORD}, follow=True)
    assert "Your account is paused" in response.content.decode()
    assert client.get("/").status_code == 302


def test_open_sign_up_is_closed_inside_an_organisation(alpha):
    response = client_for(alpha).get("/accounts/signup/")
    assert "Accounts are by invitation" in response.content.decode()
