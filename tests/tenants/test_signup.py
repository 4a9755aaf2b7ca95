"""Provider sign-up on the public site: every rule, the happy path, atomicity, the spare pool, approval."""

from __future__ import annotations

import re
import threading

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django_tenants.utils import schema_exists, tenant_context

from people.models import User
from tenants import services
from tenants.models import Domain, Organisation
from tests.conftest import host
from tests.tenants.conftest import org_schemas

GOOD = {
    "organisation_name": "Rowan House Care",
    "subdomain": "rowan-house",
    "full_name": "Rae Okafor",
    "email": "rae@rowanhouse.example",
    "password": "kind-hearted-lantern-73",
    "time_zone": "Europe/London",
    "terms": "on",
}


def sign_up(client: Client, **changes: str):
    data = {**GOOD, **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return client.post("/signup/", data, HTTP_HOST=host())


def created_state() -> tuple[int, int, set[str]]:
    connection.set_schema_to_public()
    return Organisation.objects.count(), Domain.objects.count(), org_schemas()


# --- Validation ------------------------------------------------------------------------------------------

RULES = [
    ("organisation_name", "", "Enter the name of your organisation."),
    ("organisation_name", " x ", "Enter the full name of your organisation."),
    ("subdomain", "", "Choose a web address for your organisation."),
    ("subdomain", "ab", "Use between 3 and 40 characters."),
    ("subdomain", "a" * 41, "Use between 3 and 40 characters."),
    ("subdomain", "rowan house", "Use only lowercase letters, numbers and hyphens"),
    ("subdomain", "rowan_house", "Use only lowercase letters, numbers and hyphens"),
    ("subdomain", "café-rowan", "Use only lowercase letters, numbers and hyphens"),
    ("subdomain", "-rowan", "Start and end with a letter or a number"),
    ("subdomain", "rowan-", "Start and end with a letter or a number"),
    ("subdomain", "www", "kept for Heartwood itself"),
    ("subdomain", "admin", "kept for Heartwood itself"),
    ("subdomain", "api", "kept for Heartwood itself"),
    ("subdomain", "public", "kept for Heartwood itself"),
    ("subdomain", "static", "kept for Heartwood itself"),
    ("subdomain", "mail", "kept for Heartwood itself"),
    ("subdomain", "app", "kept for Heartwood itself"),
    ("subdomain", "xn--lpha-7ve", "look-alike of another address"),
    ("subdomain", "xn--80ak6aa92e", "look-alike of another address"),
    ("subdomain", "ab--rowan", "look-alike of another address"),
    ("subdomain", "alpha", "already taken"),
    ("subdomain", "ALPHA", "already taken"),  # case-insensitive
    ("full_name", "", "Enter your name."),
    ("email", "", "Enter your email address."),
    ("email", "not-an-email", "Enter an email address like name@example.org."),
    ("password", "", "Choose a password."),
    ("password", "short1", "too short"),
    ("password", "password123", "too common"),
    ("password", "4829174629183", "entirely numeric"),
    ("password", "rae@rowanhouse.example", "too similar"),
    ("password", "Rowan House Care", "too like your organisation's name or web address"),
    ("password", "rowanhousecare2026", "too like your organisation's name or web address"),
    ("password", "rowan-house!", "too like your organisation's name or web address"),
    ("time_zone", "Mars/Olympus_Mons", "Choose a time zone from the list."),
    ("terms", None, "Tick the box to agree to the terms of use."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "message"), RULES, ids=[f"{f}:{v!r}"[:40] for f, v, _ in RULES])
def test_each_invalid_field_gets_its_own_message_and_nothing_is_created(client, alpha, field, value, message):
    before = created_state()
    response = sign_up(client, **{field: value})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field], form.errors
    assert message in " ".join(form.errors[field])
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert created_state() == before
    assert mail.outbox == []


@pytest.mark.django_db
def test_every_invalid_field_is_reported_at_once(client):
    response = sign_up(client, organisation_name="", subdomain="-", email="nope", password="1", terms=None)
    assert set(response.context["form"].errors) == {"organisation_name", "subdomain", "email", "password", "terms"}
    assert b"There is a problem" in response.content


@pytest.mark.django_db
def test_sign_ups_are_rate_limited_per_network(client, monkeypatch):
    from allauth.core import ratelimit

    before = created_state()
    monkeypatch.setattr(ratelimit, "consume", lambda request, action: action != "signup")
    response = sign_up(client)
    assert response.status_code == 429
    assert b"Too many sign-ups" in response.content
    assert created_state() == before


@pytest.mark.django_db
def test_the_form_offers_every_common_time_zone_with_london_first_choice(client):
    response = client.get("/signup/", HTTP_HOST=host())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="Europe/London" selected>' in html
    for zone in ("Europe/Dublin", "America/New_York", "Asia/Kolkata", "Australia/Sydney"):
        assert f'value="{zone}"' in html


@pytest.mark.django_db
def test_the_sign_up_page_lives_only_on_the_public_site(alpha):
    assert Client(HTTP_HOST=host("alpha")).get("/signup/").status_code == 404


# --- Success ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_signing_up_creates_everything_and_lands_signed_in_on_the_welcome_checklist(client):
    response = sign_up(client, subdomain="Rowan-House", time_zone="Europe/Dublin")

    assert response.status_code == 302
    match = re.fullmatch(r"http://rowan-house\.localhost/welcome/\?token=(\S+)", response["Location"])
    assert match, response["Location"]
    domain = Domain.objects.select_related("tenant").get(domain=host("rowan-house"))
    org = domain.tenant
    assert (org.name, org.kind, org.status, org.time_zone) == (
        "Rowan House Care", Organisation.Kind.ORGANISATION, Organisation.Status.ACTIVE, "Europe/Dublin"
    )
    assert domain.is_primary
    assert re.fullmatch(r"org_[0-9a-f]{12}", org.schema_name)  # internal, never from the form
    with tenant_context(org):
        admin = User.objects.get()
        assert (admin.email, admin.full_name, admin.roles) == ("rae@rowanhouse.example", "Rae Okafor",
                                                               ["admin", "leader"])
        assert admin.check_password(GOOD["password"])
        assert not EmailAddress.objects.get(user=admin).verified
    assert not User.objects.filter(email="rae@rowanhouse.example").exists()  # nothing in public

    # allauth's verification email, with a link to the organisation's own host.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rae@rowanhouse.example"]
    assert "http://rowan-house.localhost/accounts/confirm-email/" in mail.outbox[0].body

    browser = Client(HTTP_HOST=host("rowan-house"))
    landed = browser.get(f"/welcome/?token={match[1]}")
    assert landed.status_code == 302 and landed["Location"] == "/welcome/"  # the token leaves the address bar
    page = browser.get("/welcome/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Welcome to Heartwood, Rae" in html
    for link in ('href="/manage/invitations/"', 'href="/manage/pairings/"', 'href="/learn/"'):
        assert link in html
    assert "rae@rowanhouse.example" in html  # "we've sent a link to …"
    assert browser.get("/").status_code == 200  # signed in for real


@pytest.mark.django_db
def test_a_handover_token_works_once_only_and_only_at_its_own_organisation(client, alpha):
    location = sign_up(client)["Location"]
    token = location.split("token=")[1]
    assert Client(HTTP_HOST=host("alpha")).get(f"/welcome/?token={token}")["Location"].startswith(
        "/accounts/login/"
    )
    first = Client(HTTP_HOST=host("rowan-house"))
    assert first.get(f"/welcome/?token={token}")["Location"] == "/welcome/"
    second = Client(HTTP_HOST=host("rowan-house"))
    assert second.get(f"/welcome/?token={token}")["Location"].startswith("/accounts/login/")
    assert second.get("/welcome/")["Location"].startswith("/accounts/login/")
    assert Client(HTTP_HOST=host("rowan-house")).get("/welcome/?token=forged")["Location"].startswith(
        "/accounts/login/"
    )


@pytest.mark.django_db
def test_an_expired_handover_token_asks_to_sign_in(client, monkeypatch):
    location = sign_up(client)["Location"]
    monkeypatch.setattr(services, "HANDOVER_MAX_AGE", -1)
    response = Client(HTTP_HOST=host("rowan-house")).get(location.split("localhost")[1])
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_welcome_checklist_is_for_admins(alpha, alpha_people):
    from tests.conftest import client_for

    assert client_for(alpha, alpha_people.mentor).get("/welcome/")["Location"] == "/"
    assert client_for(alpha, alpha_people.admin).get("/welcome/").status_code == 200


# --- Atomicity -------------------------------------------------------------------------------------------


def _boom(**kwargs: object) -> User:
    raise RuntimeError("the mail server fell over mid-way")


@pytest.mark.django_db
@pytest.mark.parametrize("pool", [0, 1], ids=["cloning", "claiming a spare"])
def test_a_failure_mid_way_leaves_nothing_behind(client, monkeypatch, pool):
    if pool:
        services.spare_pool_refill(size=pool)
    spares = set(Organisation.objects.filter(kind="spare").values_list("schema_name", flat=True))
    before = created_state()
    monkeypatch.setattr(services, "user_create", _boom)
    with pytest.raises(RuntimeError):
        sign_up(client)
    connection.set_schema_to_public()
    assert created_state() == before  # no organisation row, no domain row, no new schema
    assert not Domain.objects.filter(domain__startswith="rowan-house.").exists()
    assert set(Organisation.objects.filter(kind="spare").values_list("schema_name", flat=True)) == spares
    assert not Organisation.objects.filter(name="Rowan House Care").exists()


@pytest.mark.parametrize("pool", [0, 2], ids=["cloning", "claiming spares"])
def test_two_people_racing_for_one_subdomain_leave_exactly_one_organisation(live_db, no_spares, monkeypatch, pool):
    monkeypatch.setattr(services, "spare_pool_refill_soon", lambda: None)
    if pool:
        services.spare_pool_refill(size=pool)
    before_orgs, before_domains, before_schemas = created_state()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(n: int) -> None:
        try:
            barrier.wait(10)
            services.organisation_sign_up(
                name=f"Racer {n}", subdomain="photo-finish", full_name=f"Racer {n}",
                email=f"racer{n}@example.org", password="kind-hearted-lantern-73", time_zone="Europe/London",
            )
            outcomes.append("created")
        except services.SubdomainTaken:
            outcomes.append("taken")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes) == ["created", "taken"]
    orgs, domains, schemas = created_state()
    winner = Domain.objects.select_related("tenant").get(domain=host("photo-finish")).tenant
    assert Organisation.objects.filter(name__startswith="Racer").count() == 1
    assert domains == before_domains + 1
    if pool:
        assert orgs == before_orgs and schemas == before_schemas  # the loser's spare went back to the pool
        assert Organisation.objects.filter(kind="spare").count() == pool - 1
    else:
        assert orgs == before_orgs + 1 and schemas == before_schemas | {winner.schema_name}
    with tenant_context(winner):
        assert User.objects.count() == 1


# --- The spare pool --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_up_claims_a_ready_spare_and_queues_a_refill(
    client, django_capture_on_commit_callbacks, monkeypatch, empty_pool
):
    queued = []
    monkeypatch.setattr(services, "spare_pool_refill_soon", lambda: queued.append(1))
    assert services.spare_pool_refill(size=2) == 2
    assert services.spare_pool_refill(size=2) == 0  # already full
    first_spare = Organisation.objects.filter(kind="spare").order_by("pk").first()
    schemas = org_schemas()

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)

    assert response.status_code == 302
    org = Domain.objects.get(domain=host("rowan-house")).tenant
    assert org.pk == first_spare.pk and org.schema_name == first_spare.schema_name
    assert org.kind == Organisation.Kind.ORGANISATION and org.name == "Rowan House Care"
    assert org_schemas() == schemas  # no DDL: the spare's schema became the organisation's
    assert Organisation.objects.filter(kind="spare").count() == 1
    assert queued == [1]
    # The host answers at once: the host map forgot its old state when the spare was claimed.
    assert Client(HTTP_HOST=host("rowan-house")).get("/accounts/login/").status_code == 200


@pytest.mark.django_db
def test_with_an_empty_pool_sign_up_falls_back_to_cloning(monkeypatch, empty_pool):
    monkeypatch.setattr(services, "spare_pool_refill_soon", lambda: None)
    assert not Organisation.objects.filter(kind="spare").exists()
    result = services.organisation_sign_up(
        name="Clover Lodge", subdomain="clover", full_name="Cal Clover", email="cal@clover.example",
        password="kind-hearted-lantern-73", time_zone="Europe/London",
    )
    assert not result.from_pool
    assert schema_exists(result.organisation.schema_name)
    with tenant_context(result.organisation):
        assert User.objects.get().is_org_admin


@pytest.mark.django_db
def test_spares_are_clones_of_the_template_with_its_migrations_and_data(settings):
    spare = services.spare_create()
    assert spare.kind == Organisation.Kind.SPARE
    with connection.cursor() as cursor:
        for query in (
            "SELECT app, name FROM {}.django_migrations ORDER BY app, name",
            "SELECT tablename FROM pg_tables WHERE schemaname = '{}' ORDER BY 1",
        ):
            found = []
            for schema in (settings.TENANT_BASE_SCHEMA, spare.schema_name):
                cursor.execute(query.format(schema))
                found.append(cursor.fetchall())
            assert found[0] == found[1] and found[0]


def test_migrate_schemas_keeps_spares_current(db):
    # migrate_schemas walks every tenant row but public; spares are tenant rows, so they are migrated with
    # every deploy (checked against django-tenants' own selection of schemas).
    from django_tenants.utils import get_tenant_model

    spare = services.spare_create()
    migrated = set(get_tenant_model().objects.exclude(schema_name="public").values_list("schema_name", flat=True))
    assert spare.schema_name in migrated


def test_the_refill_task_runs_in_a_real_worker_from_public(celery_worker, no_spares, settings):
    from tenants.tasks import spare_pool_refill_task

    settings.SPARE_POOL_SIZE = 2
    assert spare_pool_refill_task.delay().get(timeout=60) == 2
    assert Organisation.objects.filter(kind="spare").count() == 2


def test_the_refill_is_on_the_beat_schedule(settings):
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "tenants.spare_pool_refill" in entries


# --- Operator approval -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_approval_required_the_admin_waits_and_an_operator_approves(
    client, settings, operator, django_capture_on_commit_callbacks
):
    from tests.conftest import client_for

    settings.SIGNUP_REQUIRES_APPROVAL = True
    response = sign_up(client)
    assert response["Location"] == "http://rowan-house.localhost/"
    org = Domain.objects.get(domain=host("rowan-house")).tenant
    assert org.status == Organisation.Status.PENDING
    assert len(mail.outbox) == 1  # they can confirm their address while they wait

    applicant = Client(HTTP_HOST=host("rowan-house"))
    for path in ("/", "/accounts/login/", "/welcome/"):
        page = applicant.get(path)
        assert page.status_code == 403 and b"be in touch" in page.content
    confirm_link = re.search(r"http://rowan-house\.localhost(/accounts/confirm-email/\S+)", mail.outbox[0].body)[1]
    assert applicant.get(confirm_link).status_code in (200, 302)

    console = client_for(None, operator)
    assert b"Approve" in console.get(f"/console/{org.pk}/").content
    with django_capture_on_commit_callbacks(execute=True):
        console.post(f"/console/{org.pk}/approve/")
    org.refresh_from_db()
    assert org.status == Organisation.Status.ACTIVE
    assert mail.outbox[-1].to == [GOOD["email"]]
    assert "http://rowan-house.localhost/accounts/login/" in mail.outbox[-1].body
    login = applicant.post("/accounts/login/", {"login": GOOD["email"], "password": GOOD["password"]})
    assert login.status_code == 302


@pytest.mark.django_db
def test_an_operator_can_decline_a_pending_sign_up(client, settings, operator, django_capture_on_commit_callbacks):
    from tests.conftest import client_for

    settings.SIGNUP_REQUIRES_APPROVAL = True
    sign_up(client)
    org = Domain.objects.get(domain=host("rowan-house")).tenant
    with django_capture_on_commit_callbacks(execute=True):
        client_for(None, operator).post(f"/console/{org.pk}/decline/")
    assert mail.outbox[-1].to == [GOOD["email"]] and "can't open it" in mail.outbox[-1].body
    assert not Organisation.objects.filter(pk=org.pk).exists()
    assert not schema_exists(org.schema_name)
    assert Client(HTTP_HOST=host("rowan-house")).get("/").status_code == 404


@pytest.mark.django_db
def test_a_host_looked_up_before_sign_up_answers_soon_after_in_every_process(alpha, monkeypatch, settings):
    import time

    from tenants import routing

    settings.TENANT_HOST_CACHE_SECONDS = 30
    assert routing.organisation_for_host("soon.localhost") is None
    # Another process signs it up: this one hears no signal, so the row appears behind its back.
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO tenants_domain (domain, tenant_id, is_primary) VALUES (%s, %s, false)",
                       ["soon.localhost", alpha.pk])
    real = time.monotonic
    monkeypatch.setattr(routing.time, "monotonic", lambda: real() + 1.5)
    assert routing.organisation_for_host("soon.localhost") == alpha
