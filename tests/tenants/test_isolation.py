import pytest

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
