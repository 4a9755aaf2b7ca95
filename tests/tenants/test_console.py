"""The operator console (public site, staff of the public schema only), suspension, export and deletion."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context, schema_exists, tenant_context

from people.models import User
from people.services import user_create
from tenants import services
from tenants.models import Domain, Organisation
from tests.conftest import PASSWORD, client_for, host, make_person

pytestmark = pytest.mark.django_db


def new_org(subdomain: str, name: str | None = None, people: int = 1) -> Organisation:
    org = services.organisation_create(name=name or subdomain.title(), subdomain=subdomain)
    for n in range(people):
        make_person(org, ["leader"], email=f"p{n}@{subdomain}.example")
    return org


# --- Access ----------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get("/console/", HTTP_HOST=host())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_public_users_who_are_not_staff_get_404(alpha):
    with schema_context("public"):
        someone = user_create(email="nosy@example.org", full_name="Nosy", roles=[], password=PASSWORD,
                              verified=True)
    org = new_org("target")
    viewer = client_for(None, someone)
    for path in ("/console/", f"/console/{org.pk}/"):
        assert viewer.get(path).status_code == 404
    for action in ("suspend", "delete"):
        assert viewer.post(f"/console/{org.pk}/{action}/", {"confirm": "target"}).status_code == 404
    org.refresh_from_db()
    assert org.status == Organisation.Status.ACTIVE


def test_an_organisation_admin_cannot_reach_the_console(alpha, alpha_people):
    # Not on their host (no such page), and their session means nothing on the public site.
    assert client_for(alpha, alpha_people.admin).get("/console/").status_code == 404
    assert Client(HTTP_HOST=host()).get("/console/").status_code == 302


def test_operators_sign_in_on_the_public_site_and_see_the_console(operator):
    from tests.tenants.conftest import OPERATOR_PASSWORD

    browser = Client(HTTP_HOST=host())
    signed_in = browser.post("/accounts/login/", {"login": operator.email, "password": OPERATOR_PASSWORD})
    assert signed_in.status_code == 302
    assert browser.get("/console/").status_code == 200


# --- The list --------------------------------------------------------------------------------------------


def test_the_list_shows_each_organisation_with_counts_and_never_spares(operator, alpha, beta):
    make_person(alpha, ["leader"])
    make_person(alpha, ["mentor"])
    spare = services.spare_create()
    page = client_for(None, operator).get("/console/")
    rows = {row["organisation"].name: row for row in page.context["rows"]}
    assert {"Alpha Care", "Beta Support"} <= set(rows)
    assert spare.pk not in {row["organisation"].pk for row in page.context["rows"]}
    assert rows["Alpha Care"]["membership"].members == 2
    assert rows["Alpha Care"]["subdomain"] == "alpha"
    html = page.content.decode()
    assert "Alpha Care" in html and "Heartwood" not in [r for r in rows]  # not the public tenant
    assert "Template" not in rows


def test_search_by_name_or_address(operator, alpha, beta):
    new_org("oakfield", "Meadow View")
    console = client_for(None, operator)
    assert [r["organisation"].name for r in console.get("/console/?q=meadow").context["rows"]] == ["Meadow View"]
    assert [r["organisation"].name for r in console.get("/console/?q=oakf").context["rows"]] == ["Meadow View"]
    assert console.get("/console/?q=nothing-like-it").context["rows"] == []


def test_last_activity_comes_from_sign_ins(operator, alpha):
    person = make_person(alpha, ["leader"])
    assert Client(HTTP_HOST=host("alpha")).post(
        "/accounts/login/", {"login": person.email, "password": PASSWORD}
    ).status_code == 302
    connection.set_schema_to_public()
    rows = client_for(None, operator).get("/console/?q=alpha").context["rows"]
    assert rows[0]["membership"].last_activity is not None


def test_the_list_costs_one_query_per_organisation_shown_and_no_more_than_a_page(
    operator, alpha, beta, monkeypatch, django_assert_max_num_queries,
):
    """Each organisation's counts come from its own schema (one small query each, never one across schemas:
    tests/test_citus_ready.py), so a page costs a fixed part plus one per row, and never more than a page."""
    from django.test.utils import CaptureQueriesContext

    from tenants import views

    console = client_for(None, operator)
    new_org("first-extra", people=2)
    console.get("/console/")  # the first request of a session also records it (allauth usersessions)
    with CaptureQueriesContext(connection) as captured:
        response = console.get("/console/")
    few, rows_few = len(captured), len(response.context["rows"])  # read now: each request resets Django's log
    # 7 are the session, the operator and allauth's session tracking; 4 are the list; one per row shown.
    assert few <= 11 + rows_few
    for n in range(3):
        new_org(f"more-{n}", people=1)
    console.get("/")  # new domains made the host map forget (one lookup, not the console's)
    with CaptureQueriesContext(connection) as more:
        response = console.get("/console/")
    assert len(response.context["rows"]) == rows_few + 3
    assert len(more) == few + 3

    monkeypatch.setattr(views, "CONSOLE_PAGE_SIZE", 2)
    assert len(console.get("/console/").context["rows"]) == 2
    with django_assert_max_num_queries(few - rows_few + 2 + 1):  # + the paginator's count
        console.get("/console/")


def test_the_list_is_paginated_at_50(operator, monkeypatch):
    from tenants import views

    monkeypatch.setattr(views, "CONSOLE_PAGE_SIZE", 2)
    for n in range(3):
        new_org(f"paged-{n}", people=0)
    console = client_for(None, operator)
    first = console.get("/console/")
    assert len(first.context["rows"]) == 2 and first.context["page"].has_next()
    assert b"Next" in first.content


# --- Suspension ------------------------------------------------------------------------------------------


def test_suspended_members_see_a_clear_page_cannot_sign_in_and_lose_nothing(operator, alpha, alpha_people):
    signed_in = client_for(alpha, alpha_people.leader)
    assert signed_in.get("/").status_code == 200
    client_for(None, operator).post(f"/console/{alpha.pk}/suspend/")
    alpha.refresh_from_db()
    assert alpha.status == Organisation.Status.SUSPENDED

    for path in ("/", "/accounts/login/", "/learn/", "/manage/people/", "/welcome/"):
        page = signed_in.get(path)
        assert page.status_code == 403, path
        assert b"Alpha Care is suspended" in page.content
        assert b"Nothing has been deleted" in page.content
    stranger = Client(HTTP_HOST=host("alpha"))
    login = stranger.post("/accounts/login/", {"login": alpha_people.leader.email, "password": PASSWORD})
    assert login.status_code == 403 and "_auth_user_id" not in stranger.session
    with tenant_context(alpha):
        assert User.objects.filter(pk=alpha_people.leader.pk).exists()  # data kept

    client_for(None, operator).post(f"/console/{alpha.pk}/reactivate/")
    assert signed_in.get("/").status_code == 200


def test_other_organisations_are_untouched_by_a_suspension(operator, alpha, beta):
    client_for(None, operator).post(f"/console/{alpha.pk}/suspend/")
    assert Client(HTTP_HOST=host("beta")).get("/accounts/login/").status_code == 200


def test_actions_need_post(operator, alpha):
    assert client_for(None, operator).get(f"/console/{alpha.pk}/suspend/").status_code == 405


# --- Export and delete -----------------------------------------------------------------------------------


def test_delete_needs_the_typed_address(operator):
    org = new_org("keep-me")
    response = client_for(None, operator).post(f"/console/{org.pk}/delete/", {"confirm": "keep-m"})
    assert response.status_code == 400
    assert b"match" in response.content
    assert Organisation.objects.filter(pk=org.pk).exists() and schema_exists(org.schema_name)


def test_delete_downloads_an_export_of_every_table_then_drops_the_schema(operator):
    org = new_org("leaving", "Leaving Care", people=2)
    schema = org.schema_name
    with tenant_context(org):
        from reflections.models import JournalEntry

        JournalEntry.objects.create(author=User.objects.first(), title="JOURNAL-MARKER", body="JOURNAL-MARKER")
    response = client_for(None, operator).post(f"/console/{org.pk}/delete/", {"confirm": "Leaving"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="heartwood-leaving-' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    assert {"manifest.json", "people.user.json", "account.emailaddress.json"} <= names
    # Generic: every app of the tenant schema is there, whatever it stores, except what is private to each
    # person (journals, conversations, self-check answers): only counted, never exported.
    assert any(name.startswith("courses.") for name in names)
    assert not any(name.startswith("reflections.") for name in names)
    assert "courses.selfcheckresponse.json" not in names
    users = json.loads(archive.read("people.user.json"))
    assert sorted(u["fields"]["email"] for u in users) == ["p0@leaving.example", "p1@leaving.example"]
    assert all("password" not in u["fields"] for u in users)  # secrets stay behind
    assert "sessions.session.json" not in names and "mfa.authenticator.json" not in names
    assert "usersessions.usersession.json" not in names
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["subdomain"] == "leaving" and manifest["rows"]["people.user"] == 2
    assert manifest["private_not_exported"]["reflections.journalentry"] == 1
    assert "JOURNAL-MARKER" not in str(archive.read("manifest.json")) and all(
        b"JOURNAL-MARKER" not in archive.read(name) for name in names
    )

    assert not schema_exists(schema)
    assert not Organisation.objects.filter(pk=org.pk).exists()
    assert not Domain.objects.filter(domain=host("leaving")).exists()
    assert Client(HTTP_HOST=host("leaving")).get("/").status_code == 404


def test_the_platform_itself_cannot_be_deleted_from_the_console(operator, settings):
    template = Organisation.objects.get(schema_name=settings.TENANT_BASE_SCHEMA)
    public = Organisation.objects.get(schema_name="public")
    console = client_for(None, operator)
    for org in (template, public):
        assert console.post(f"/console/{org.pk}/delete/", {"confirm": "x"}).status_code == 404
        assert console.post(f"/console/{org.pk}/suspend/").status_code == 404
    assert schema_exists(template.schema_name)


def test_make_runs_demo_has_an_operator_and_fills_the_pool(settings, capsys):
    from django.core.management import call_command

    settings.SPARE_POOL_SIZE = 2
    settings.DEBUG = True  # as under make run: the command refuses without it
    call_command("bootstrap_demo")
    printed = capsys.readouterr().out
    assert "operator@heartwood.test  /  heartwood-demo" in printed and "/console/" in printed
    connection.set_schema_to_public()
    operator = User.objects.get(email="operator@heartwood.test")
    assert operator.is_staff and operator.check_password("heartwood-demo")
    assert Organisation.objects.filter(kind=Organisation.Kind.SPARE).count() == 2
    browser = Client(HTTP_HOST=host())
    assert browser.post("/accounts/login/", {"login": operator.email, "password": "heartwood-demo"}).status_code == 302
    assert browser.get("/console/").status_code == 200
