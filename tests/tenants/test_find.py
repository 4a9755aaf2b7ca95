""""Find your organisation": links by email to every organisation where the address has an account, with the
same answer whether or not it has one (no enumeration)."""

import pytest
from django.core import mail

from tenants.finding import organisations_reminder_send
from tests.conftest import host, make_person

pytestmark = pytest.mark.django_db


def test_the_owner_gets_links_to_each_organisation_where_they_have_an_account(alpha, beta):
    make_person(alpha, ["leader"], email="jo@example.org")
    make_person(beta, ["mentor"], email="jo@example.org")
    mail.outbox.clear()
    assert organisations_reminder_send(email="JO@example.org") == 2
    (message,) = mail.outbox
    assert message.to == ["JO@example.org"]
    assert "http://alpha.localhost/accounts/login/" in message.body
    assert "http://beta.localhost/accounts/login/" in message.body


def test_no_account_no_email_and_deactivated_accounts_do_not_count(alpha):
    person = make_person(alpha, ["leader"], email="gone@example.org")
    from django_tenants.utils import tenant_context

    with tenant_context(alpha):
        person.is_active = False
        person.save()
    mail.outbox.clear()
    assert organisations_reminder_send(email="gone@example.org") == 0
    assert organisations_reminder_send(email="nobody@example.org") == 0
    assert mail.outbox == []


def test_the_page_answers_the_same_whether_or_not_the_address_has_an_account(client, alpha):
    make_person(alpha, ["leader"], email="known@example.org")
    assert client.get("/find/", HTTP_HOST=host()).status_code == 200
    known = client.post("/find/", {"email": "known@example.org"}, HTTP_HOST=host())
    unknown = client.post("/find/", {"email": "unknown@example.org"}, HTTP_HOST=host())
    assert known.status_code == unknown.status_code == 200
    strip = lambda r, e: r.content.decode().replace(e, "EMAIL")  # noqa: E731
    assert strip(known, "known@example.org") == strip(unknown, "unknown@example.org")


def test_bad_input_gets_a_message(client):
    response = client.post("/find/", {"email": "not an email"}, HTTP_HOST=host())
    assert response.status_code == 200
    assert b'id="id_email_error"' in response.content


def test_requests_are_rate_limited_per_address(client):
    for _ in range(3):
        client.post("/find/", {"email": "many@example.org"}, HTTP_HOST=host())
    response = client.post("/find/", {"email": "many@example.org"}, HTTP_HOST=host())
    assert b"a lot of requests" in response.content


def test_unknown_hosts_point_to_find_your_organisation(client):
    response = client.get("/", HTTP_HOST=host("nowhere"))
    assert response.status_code == 404 and b"/find/" in response.content


def test_with_redis_down_the_page_asks_to_try_again_instead_of_failing(client):
    from config.celery_app import app

    working_broker = app.conf.broker_url
    try:
        app.conf.broker_url = "redis://127.0.0.1:1/1"  # nothing listens there: Redis is "down"
        app._pool = None
        app.amqp._producer_pool = None
        response = client.post("/find/", {"email": "while-down@example.org"}, HTTP_HOST=host())
    finally:
        app.conf.broker_url = working_broker
        app._pool = None
        app.amqp._producer_pool = None
    assert response.status_code == 200
    assert b"try again in a few minutes" in response.content
