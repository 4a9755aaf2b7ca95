import pytest
from django_tenants.utils import tenant_context

from people.join_codes import person_add_without_email
from people.models import JoinCode
from tests.conftest import client_for, host, make_person

pytestmark = pytest.mark.django_db


def test_session_cookie_of_one_organisation_is_not_signed_in_at_another(alpha, beta):
    person = make_person(alpha, ["leader"])
    at_alpha = client_for(alpha, person)
    assert at_alpha.get("/").status_code == 200
    session_id = at_alpha.cookies["sessionid"].value

    at_beta = client_for(beta)
    at_beta.cookies["sessionid"] = session_id
    response = at_beta.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_same_email_in_two_organisations_are_two_accounts(alpha, beta):
    a = make_person(alpha, ["leader"], email="sam@example.org", password="alpha-password-123")
    b = make_person(beta, ["mentor"], email="sam@example.org", password="beta-password-456")
    at_beta = client_for(beta)
    response = at_beta.post("/accounts/login/", {"login": "sam@example.org", "password": "alpha-password-123"})
    assert response.status_code == 200  # the alpha password does not open the beta account
    assert not response.wsgi_request.user.is_authenticated
    assert a.pk and b.pk


def test_failed_logins_at_one_organisation_do_not_lock_out_another(alpha, beta):
    make_person(alpha, ["leader"], email="kim@example.org")
    make_person(beta, ["leader"], email="kim@example.org")
    at_alpha = client_for(alpha)
    for _ in range(6):
        at_alpha.post("/accounts/login/", {"login": "kim@example.org", "password": "nope-nope-nope"})
    from tests.conftest import PASSWORD

    at_beta = client_for(beta)
    response = at_beta.post("/accounts/login/", {"login": "kim@example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_session_cookies_are_host_only(alpha):
    person = make_person(alpha, ["leader"])
    client = client_for(alpha)
    from tests.conftest import PASSWORD

    client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["domain"] == ""
    assert cookie["httponly"]


def test_public_site_has_no_organisation_pages(client):
    assert client.get("/", HTTP_HOST=host()).status_code == 200
    assert client.get("/accounts/login/", HTTP_HOST=host()).status_code == 200


# --- Signing in without an email address: usernames and join codes belong to one organisation


def _added_without_email(organisation, name: str = "Jo Night"):
    admin = make_person(organisation, ["admin"], name=f"{organisation.name} Admin")
    with tenant_context(organisation):
        person, issued = person_add_without_email(full_name=name, roles=["leader"], by=admin)
    return admin, person, issued.code


def _join(client, code: str, username: str = "jo.night", password: str = "quiet-harbour-lanterns-8"):
    return client.post("/join/", {"code": code, "username": username, "password1": password, "password2": password})


def test_same_username_in_two_organisations_are_two_accounts(alpha, beta):
    _, a, a_code = _added_without_email(alpha)
    _, b, b_code = _added_without_email(beta)
    assert _join(client_for(alpha), a_code, password="alpha-harbour-lanterns-1").status_code == 302
    assert _join(client_for(beta), b_code, password="beta-meadow-lanterns-2").status_code == 302
    at_beta = client_for(beta)
    # Alpha's password does not open Beta's jo.night, and says exactly what a username nobody has says.
    refused = at_beta.post("/accounts/login/", {"login": "jo.night", "password": "alpha-harbour-lanterns-1"})
    nobody = client_for(beta).post("/accounts/login/", {"login": "no.one.here", "password": "alpha-harbour-lanterns-1"})
    assert not refused.wsgi_request.user.is_authenticated
    assert refused.status_code == nobody.status_code == 200
    assert refused.context["form"].errors == nobody.context["form"].errors
    ok = at_beta.post("/accounts/login/", {"login": "jo.night", "password": "beta-meadow-lanterns-2"})
    assert ok.status_code == 302 and ok.wsgi_request.user.pk == b.pk
    assert a.pk and client_for(alpha).post(
        "/accounts/login/", {"login": "jo.night", "password": "alpha-harbour-lanterns-1"}
    ).wsgi_request.user.is_authenticated


def test_a_join_code_of_one_organisation_means_nothing_at_another(alpha, beta):
    _, person, code = _added_without_email(alpha)
    at_beta = _join(client_for(beta), code)
    unknown = _join(client_for(beta), "ABCD-EFGH")
    assert at_beta.status_code == unknown.status_code == 200
    assert at_beta.context["form"].errors == unknown.context["form"].errors
    assert not at_beta.wsgi_request.user.is_authenticated
    with tenant_context(alpha):
        assert JoinCode.objects.get(person=person).used_at is None
    assert _join(client_for(alpha), code).status_code == 302  # still good where it was made


def test_an_admin_cannot_reach_another_organisations_people_without_email(alpha, beta):
    _, person, _ = _added_without_email(alpha, name="Alpha Only")
    beta_admin = make_person(beta, ["admin"], name="Bea Admin")
    with tenant_context(beta):
        from people.models import User

        beta_has_that_id = User.objects.filter(pk=person.pk).exists()
    at_beta = client_for(beta, beta_admin)
    response = at_beta.post(f"/manage/people/{person.pk}/join-code/")
    # Ids repeat across schemas: the id is looked up in Beta only (missing there: 404; else Beta's own person).
    assert response.status_code == 404 or beta_has_that_id
    assert "Alpha Only" not in response.content.decode()
    with tenant_context(alpha):
        assert JoinCode.objects.get(person=person).voided_at is None
