"""People without an email address: an admin adds them, prints a slip with a one-time join code, they choose a
username and password at /join/ and sign in with the username; a new code is how a forgotten password is reset.
Their prompts and notices stay inside Heartwood."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import tenant_context

from people import join_codes
from people.join_codes import JoinCodeError, code_normalise, join_code_issue, join_code_redeem
from people.models import JoinCode, User
from people.services import PeopleError
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet-harbour-lanterns-8"


def add_person(org, admin, name: str = "Jo Night", roles: list[str] | None = None) -> tuple[User, str]:
    with tenant_context(org):
        person, issued = join_codes.person_add_without_email(full_name=name, roles=roles or ["leader"], by=admin)
    return person, issued.code


def join(client, code: str, username: str = "jo.night", password: str = NEW_PASSWORD):
    return client.post("/join/", {"code": code, "username": username, "password1": password, "password2": password})


# --- The code itself


def test_a_code_is_eight_unambiguous_characters_and_only_its_hash_is_stored(alpha, alpha_people):
    person, code = add_person(alpha, alpha_people.admin)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{8}", code)
    with tenant_context(alpha):
        row = JoinCode.objects.get(person=person)
        assert code not in row.code_hash and len(row.code_hash) == 64
        assert row.created_by == alpha_people.admin
        assert timedelta(days=6, hours=23) < row.expires_at - timezone.now() <= timedelta(days=7)
        assert person.email is None and not person.has_usable_password() and person.username is None


def test_what_people_type_is_forgiven_case_spaces_and_the_hyphen():
    assert code_normalise(" kx7p-2mqd ") == code_normalise("KX7P 2MQD") == "KX7P2MQD"


def test_redeeming_sets_username_and_password_once(alpha, alpha_people):
    person, code = add_person(alpha, alpha_people.admin)
    with tenant_context(alpha):
        joined = join_code_redeem(code=code.lower(), username="Jo.Night", password=NEW_PASSWORD)
        assert joined.pk == person.pk and joined.username == "jo.night" and joined.check_password(NEW_PASSWORD)
        assert JoinCode.objects.get(person=person).used_at is not None
        with pytest.raises(JoinCodeError) as used:
            join_code_redeem(code=code, username="jo.again", password=NEW_PASSWORD)
        assert used.value.reason == "used"


def test_an_expired_code_says_so(alpha, alpha_people):
    person, code = add_person(alpha, alpha_people.admin)
    with tenant_context(alpha):
        JoinCode.objects.filter(person=person).update(expires_at=timezone.now() - timedelta(seconds=1))
        with pytest.raises(JoinCodeError) as expired:
            join_code_redeem(code=code, username="jo.night", password=NEW_PASSWORD)
        assert expired.value.reason == "expired" and "expired" in str(expired.value)
        assert User.objects.get(pk=person.pk).username is None


@pytest.mark.parametrize(("username", "problem"), [
    ("jo", "3 to 30"), ("j" * 31, "3 to 30"), ("jo@example.org", "email address"), ("jo night", "letters"),
    ("jö.night", "letters"), ("taken.name", "already has"), ("TAKEN.NAME", "already has"),
])
def test_username_rules(alpha, alpha_people, username, problem):
    other, other_code = add_person(alpha, alpha_people.admin, name="Other Person")
    person, code = add_person(alpha, alpha_people.admin)
    with tenant_context(alpha):
        join_code_redeem(code=other_code, username="taken.name", password=NEW_PASSWORD)
        with pytest.raises(ValidationError) as error:
            join_code_redeem(code=code, username=username, password=NEW_PASSWORD)
        assert problem in str(error.value.message_dict["username"])
        assert JoinCode.objects.get(person=person).used_at is None  # nothing used up by a refused try


def test_password_rules_apply_including_the_organisation_name(alpha, alpha_people):
    person, code = add_person(alpha, alpha_people.admin)
    with tenant_context(alpha):
        for weak in ("short", "alphacare2026", "password1234"):
            with pytest.raises(ValidationError) as error:
                join_code_redeem(code=code, username="jo.night", password=weak)
            assert error.value.message_dict["password"]
        assert User.objects.get(pk=person.pk).username is None


def test_a_new_code_voids_the_old_one_ends_sessions_and_the_old_password(alpha, alpha_people):
    person, code = add_person(alpha, alpha_people.admin)
    with tenant_context(alpha):
        join_code_redeem(code=code, username="jo.night", password=NEW_PASSWORD)
    signed_in = client_for(alpha)
    assert signed_in.post("/accounts/login/", {"login": "jo.night", "password": NEW_PASSWORD}).status_code == 302
    assert signed_in.get("/").status_code == 200
    with tenant_context(alpha):
        first_new = join_code_issue(person=person, by=alpha_people.admin)
        second_new = join_code_issue(person=person, by=alpha_people.admin)
        assert not User.objects.get(pk=person.pk).has_usable_password()
        with pytest.raises(JoinCodeError) as replaced:
            join_code_redeem(code=first_new.code, username="jo.night", password=NEW_PASSWORD)
        assert replaced.value.reason == "replaced"
    assert signed_in.get("/").status_code == 302  # signed out everywhere
    refused = client_for(alpha).post("/accounts/login/", {"login": "jo.night", "password": NEW_PASSWORD})
    assert not refused.wsgi_request.user.is_authenticated
    with tenant_context(alpha):
        # They keep their username if they like, and choose a new password.
        join_code_redeem(code=second_new.code, username="jo.night", password="a-brand-new-passphrase-3")
    again = client_for(alpha).post("/accounts/login/", {"login": "JO.NIGHT", "password": "a-brand-new-passphrase-3"})
    assert again.status_code == 302 and again.wsgi_request.user.pk == person.pk


def test_codes_are_only_for_people_without_email_who_are_active_and_not_yourself(alpha, alpha_people):
    person, _ = add_person(alpha, alpha_people.admin)
    with tenant_context(alpha):
        with pytest.raises(PeopleError, match="email"):
            join_code_issue(person=alpha_people.leader, by=alpha_people.admin)
        person.is_active = False
        person.save()
        with pytest.raises(PeopleError, match="Reactivate"):
            join_code_issue(person=person, by=alpha_people.admin)
        admin_without_email, _ = join_codes.person_add_without_email(
            full_name="Nia Admin", roles=["admin"], by=alpha_people.admin
        )
        with pytest.raises(PeopleError, match="signed in"):
            join_code_issue(person=admin_without_email, by=admin_without_email)


def test_a_deactivated_persons_code_is_unknown(alpha, alpha_people):
    person, code = add_person(alpha, alpha_people.admin)
    with tenant_context(alpha):
        User.objects.filter(pk=person.pk).update(is_active=False)
        with pytest.raises(JoinCodeError) as unknown:
            join_code_redeem(code=code, username="jo.night", password=NEW_PASSWORD)
        assert unknown.value.reason == "unknown"


# --- Pages


def test_admin_adds_a_person_and_sees_the_slip_once(alpha, alpha_people):
    admin = client_for(alpha, alpha_people.admin)
    assert "Add someone without an email address" in admin.get("/manage/people/").content.decode()
    assert "Add someone without an email address" in admin.get("/manage/invitations/").content.decode()
    response = admin.post("/manage/people/add/", {"noemail-full_name": "Jo Night", "noemail-roles": ["leader"]})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    code = re.search(r'class="slip-code">([A-Z2-9]{4})-([A-Z2-9]{4})<', page)
    assert code, page
    assert "Alpha Care" in page and "Jo Night" in page and "http://alpha.localhost" in page and "/join/" in page
    assert "<svg" in page and "<path" in page and "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]
    assert 'src="/static/js/print.js"' in page and "data-print" in page
    assert "<script>" not in page  # the Content Security Policy allows no inline script
    with tenant_context(alpha):
        person = User.objects.get(full_name="Jo Night")
        assert person.email is None and person.roles == ["leader"]
        assert JoinCode.objects.filter(person=person).count() == 1
    # The code is never shown again: the person's page offers a new one instead.
    member_page = admin.get(f"/manage/people/{person.pk}/").content.decode()
    assert code.group(1) not in member_page and "New join code" in member_page
    listing = admin.get("/manage/people/").content.decode()
    assert "No email — signs in with a username" in listing and "not joined yet" in listing
    assert mail.outbox == []


def test_sending_the_add_form_again_adds_nobody_new_and_only_the_newest_slip_works(alpha, alpha_people):
    admin = client_for(alpha, alpha_people.admin)
    form = admin.get("/manage/people/add/").content.decode()
    once = re.search(r'name="noemail-once" value="([^"]+)"', form).group(1)
    data = {"noemail-full_name": "Jo Night", "noemail-roles": ["leader"], "noemail-once": once}
    first = re.search(r'class="slip-code">([A-Z2-9-]{9})<', admin.post("/manage/people/add/", data).content.decode())
    again = re.search(r'class="slip-code">([A-Z2-9-]{9})<', admin.post("/manage/people/add/", data).content.decode())
    assert first and again and first.group(1) != again.group(1)
    with tenant_context(alpha):
        person = User.objects.get(full_name="Jo Night")  # one person, not two
        assert JoinCode.objects.filter(person=person, voided_at__isnull=True, used_at__isnull=True).count() == 1
    with pytest.raises(JoinCodeError) as refused, tenant_context(alpha):
        join_code_redeem(code=first.group(1), username="jo.night", password="kind-lantern-river-42")
    assert refused.value.reason == "replaced"
    # A new form is a new person, even with the same name (two colleagues may share one).
    other = re.search(r'name="noemail-once" value="([^"]+)"', admin.get("/manage/people/add/").content.decode())
    assert other.group(1) != once
    admin.post("/manage/people/add/", {**data, "noemail-once": other.group(1)})
    with tenant_context(alpha):
        assert User.objects.filter(full_name="Jo Night").count() == 2


def test_adding_needs_a_name_and_a_role(alpha, alpha_people):
    admin = client_for(alpha, alpha_people.admin)
    response = admin.post("/manage/people/add/", {"noemail-full_name": "", "noemail-roles": []})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"full_name", "roles"}
    with tenant_context(alpha):
        assert not User.objects.filter(email__isnull=True).exists()


def test_join_page_signs_the_person_in_and_they_sign_in_with_the_username_after(alpha, alpha_people):
    person, code = add_person(alpha, alpha_people.admin)
    client = client_for(alpha)
    assert client.get("/join/").status_code == 200
    response = join(client, f"{code[:4]}-{code[4:]}".lower())
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and home.wsgi_request.user.pk == person.pk
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302
    login_page = client.get("/accounts/login/").content.decode()
    assert "Email address or username" in login_page and "/join/" in login_page
    again = client.post("/accounts/login/", {"login": "jo.night", "password": NEW_PASSWORD})
    assert again.status_code == 302 and again["Location"] == "/"  # no "confirm your email" stop on the way
    assert client.get("/").wsgi_request.user.pk == person.pk
    # The admin's list shows the username now.
    listing = client_for(alpha, alpha_people.admin).get("/manage/people/").content.decode()
    assert "(jo.night)" in listing


@pytest.mark.parametrize(("state", "words"), [
    ("used", "already been used"), ("expired", "has expired"), ("unknown", "don&#x27;t recognise that code"),
])
def test_join_page_says_why_a_code_does_not_work(alpha, alpha_people, state, words):
    person, code = add_person(alpha, alpha_people.admin)
    with tenant_context(alpha):
        if state == "used":
            join_code_redeem(code=code, username="first.try", password=NEW_PASSWORD)
        elif state == "expired":
            JoinCode.objects.filter(person=person).update(expires_at=timezone.now() - timedelta(minutes=1))
    typed = "ABCD-EFGH" if state == "unknown" else code
    response = join(client_for(alpha), typed, username="second.try")
    assert response.status_code == 200 and words in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    with tenant_context(alpha):
        assert not User.objects.filter(username="second.try").exists()


def test_join_is_rate_limited(alpha, alpha_people):
    _, code = add_person(alpha, alpha_people.admin)
    client = client_for(alpha)
    for _ in range(10):
        join(client, "WRNG-CODE")
    response = join(client, code)
    assert "a lot of tries" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_new_join_code_page_is_post_only_admin_only_and_404_for_missing(alpha, alpha_people):
    person, _ = add_person(alpha, alpha_people.admin)
    admin = client_for(alpha, alpha_people.admin)
    assert admin.get(f"/manage/people/{person.pk}/join-code/").status_code == 405
    assert admin.post("/manage/people/99999/join-code/").status_code == 404
    assert client_for(alpha, alpha_people.leader).post(f"/manage/people/{person.pk}/join-code/").status_code == 404
    assert client_for(alpha, alpha_people.leader).get("/manage/people/add/").status_code == 404
    response = admin.post(f"/manage/people/{person.pk}/join-code/")
    assert response.status_code == 200 and "has a new join code" in response.content.decode()
    # Someone who signs in by email is told to reset by email instead; nothing is made.
    refused = admin.post(f"/manage/people/{alpha_people.leader.pk}/join-code/")
    assert refused.status_code == 302
    with tenant_context(alpha):
        assert not JoinCode.objects.filter(person=alpha_people.leader).exists()
        assert JoinCode.objects.filter(person=person, voided_at__isnull=True).count() == 1


def test_account_pages_do_not_offer_password_reset_by_email(alpha, alpha_people):
    person, code = add_person(alpha, alpha_people.admin)
    client = client_for(alpha)
    join(client, code)
    page = client.get("/accounts/password/change/").content.decode()
    assert "ask an admin for a new join code" in page and "/accounts/password/reset/" not in page
    with_email = client_for(alpha, alpha_people.leader).get("/accounts/password/change/").content.decode()
    assert "/accounts/password/reset/" in with_email


def test_a_login_with_no_email_stops_at_no_verification_but_email_people_still_must_verify(alpha, alpha_people):
    from people.services import user_create

    with tenant_context(alpha):
        user_create(email="unverified@example.org", full_name="Una", roles=["leader"], password=PASSWORD)
    response = client_for(alpha).post("/accounts/login/", {"login": "unverified@example.org", "password": PASSWORD})
    assert response["Location"] == "/accounts/confirm-email/"


def test_the_demo_has_a_night_support_worker_who_signs_in_with_a_username(alpha, alpha_people):
    from people import demo

    with tenant_context(alpha):
        demo.seed(people={"admin": alpha_people.admin})
        demo.seed(people={"admin": alpha_people.admin})  # a second run changes nothing
        ellis = User.objects.get(username=demo.DEMO_USERNAME)
        assert ellis.email is None and ellis.is_leader and User.objects.filter(full_name="Ellis Okafor").count() == 1
        assert JoinCode.objects.get(person=ellis).used_at < timezone.now() - timedelta(days=13)
    client = client_for(alpha)
    response = client.post("/accounts/login/", {"login": demo.DEMO_USERNAME, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302 and response.wsgi_request.user.pk == ellis.pk
