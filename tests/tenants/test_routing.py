import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD, client_for, host, make_person

pytestmark = pytest.mark.django_db


def test_public_host_shows_the_landing_page(client):
    response = client.get("/", HTTP_HOST=host())
    assert response.status_code == 200
    assert b"Grow compassionate leaders" in response.content


def test_tenant_host_routes_to_the_organisation(alpha):
    response = client_for(alpha).get("/accounts/login/")
    assert response.status_code == 200
    assert b"Alpha Care" in response.content


def test_tenant_home_asks_for_sign_in(alpha):
    response = client_for(alpha).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_unknown_host_gets_a_friendly_404(client):
    response = client.get("/", HTTP_HOST=host("nowhere"))
    assert response.status_code == 404
    assert b"find that organisation" in response.content
    assert b"Traceback" not in response.content


def test_template_schema_is_not_reachable(client, settings):
    from tenants.models import Domain, Organisation

    template = Organisation.objects.get(schema_name=settings.TENANT_BASE_SCHEMA)
    Domain.objects.create(domain=host("template-peek"), tenant=template, is_primary=False)
    assert client.get("/", HTTP_HOST=host("template-peek")).status_code == 404


def test_sign_in_with_email_and_password_reaches_home(alpha):
    person = make_person(alpha, ["leader"], name="Rowan Reed")
    client = client_for(alpha)
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert b"Hello, Rowan" in response.content
    response = client.post("/accounts/logout/", follow=True)
    assert client.get("/").status_code == 302


def test_wrong_password_gets_a_message_on_the_form(alpha):
    person = make_person(alpha, ["leader"])
    response = client_for(alpha).post("/accounts/login/", {"login": person.email, "password": "wrong-one"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content


def test_host_lookup_is_cached_and_schema_set_at_most_once(alpha):
    person = make_person(alpha, ["leader"])
    client = client_for(alpha, person)
    client.get("/")  # warm the host cache and the connection's search path
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not any("tenants_domain" in s for s in sql), sql
    assert sum(s.startswith("SET search_path") for s in sql) <= 1, sql


def test_changing_a_domain_forgets_the_cached_host(alpha):
    from tenants.models import Domain

    client = client_for(alpha)
    assert client.get("/accounts/login/").status_code == 200
    domain = Domain.objects.get(domain=host("alpha"))
    domain.domain = host("alpha-renamed")
    domain.save()
    assert client.get("/accounts/login/").status_code == 404
    assert client.get("/accounts/login/", HTTP_HOST=host("alpha-renamed")).status_code == 200
