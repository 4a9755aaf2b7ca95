"""A password like the organisation's name or web address is refused on every path that sets one."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context, tenant_context

from people.validators import validate_password_not_like_organisation
from tests.conftest import PASSWORD, client_for, make_person

from .conftest import accept_links, path_of
from .test_invitations import invite

pytestmark = pytest.mark.django_db

REFUSED_AT_ALPHA = ["Alpha Care", "alphacare", "ALPHA-CARE", "alpha care 2026", "Alpha_Care!!", "alpha.localhost",
                    "alpha-alpha", "Alpha Carre"]
ACCEPTED_AT_ALPHA = ["calm-river-stones-7", "I have worked at Alpha Care since the spring of 2019"]


@pytest.mark.parametrize("password", REFUSED_AT_ALPHA)
def test_the_registered_validator_refuses_the_organisations_name_and_address(alpha, password):
    with tenant_context(alpha), pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert "too like your organisation's name or web address" in " ".join(caught.value.messages)


@pytest.mark.parametrize("password", ACCEPTED_AT_ALPHA)
def test_a_password_unlike_the_organisation_or_a_long_passphrase_is_fine(alpha, password):
    with tenant_context(alpha):
        validate_password(password)


def test_the_rule_follows_the_organisation_the_connection_is_in(alpha, beta):
    with tenant_context(beta):
        validate_password("Alpha Care")  # only alpha's name is guessable at alpha
        with pytest.raises(ValidationError):
            validate_password("Beta Support")
    with schema_context("public"):
        validate_password("Alpha Care")  # the public site has no organisation to compare with
    with schema_context(alpha.schema_name), pytest.raises(ValidationError):
        validate_password("alpha care 1")  # a command or task that entered the schema by name only


def test_names_can_be_passed_in_before_the_organisation_exists():
    with pytest.raises(ValidationError):
        validate_password_not_like_organisation("rowan-house-1", names=["Rowan House Care", "rowan-house"])
    validate_password_not_like_organisation("kind-hearted-lantern-73", names=["Rowan House Care", "rowan-house"])
    validate_password_not_like_organisation("ab", names=["", "ab"])  # too short a name to say anything


def test_accepting_an_invitation_refuses_the_organisations_name(
    alpha, alpha_people, send_now, django_capture_on_commit_callbacks
):
    invite(client_for(alpha, alpha_people.admin), django_capture_on_commit_callbacks)
    [link] = accept_links()
    visitor = client_for(alpha)
    response = visitor.post(
        path_of(link), {"full_name": "Mina Patel", "password1": "AlphaCare2026", "password2": "AlphaCare2026"}
    )
    assert response.status_code == 200
    assert "too like your organisation&#x27;s name or web address" in response.content.decode()
    with tenant_context(alpha):
        from people.models import User

        assert not User.objects.filter(email="mina@example.org").exists()


def test_changing_a_password_through_allauth_refuses_the_organisations_address(alpha):
    person = make_person(alpha, ["leader"])
    client = client_for(alpha, person)
    response = client.post(
        "/accounts/password/change/", {"oldpassword": PASSWORD, "password1": "alpha.localhost1",
                                       "password2": "alpha.localhost1"},
    )
    assert response.status_code == 200
    assert "too like your organisation" in response.content.decode()
    with tenant_context(alpha):
        person.refresh_from_db()
        assert person.check_password(PASSWORD)


def test_resetting_a_password_through_allauth_refuses_the_organisations_name(alpha):
    person = make_person(alpha, ["leader"])
    client = client_for(alpha)
    client.post("/accounts/password/reset/", {"email": person.email})
    [link] = re.findall(r"http://alpha\.localhost\S*/accounts/password/reset/key/\S+/", mail.outbox[-1].body)
    form_page = client.get(link.split("localhost", 1)[1], follow=True)
    assert form_page.status_code == 200
    set_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.split("localhost", 1)[1]
    response = client.post(set_path, {"password1": "Alpha Care!", "password2": "Alpha Care!"})
    assert response.status_code == 200
    assert "too like your organisation" in response.content.decode()
    with tenant_context(alpha):
        person.refresh_from_db()
        assert person.check_password(PASSWORD)
