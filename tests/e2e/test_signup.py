"""A provider signs its organisation up in Chromium and lands signed in on its welcome checklist."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from tenants import services
from tenants.models import Organisation
from tests.e2e.conftest import serious_violations


@pytest.fixture
def no_spares(django_db_blocker) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():  # committed spares would outlive this test
        connection.set_schema_to_public()
        for spare in Organisation.objects.filter(kind=Organisation.Kind.SPARE):
            spare.delete(force_drop=True)


@pytest.fixture
def signup_site(live_url, live_server_port, no_spares, settings, monkeypatch):
    # Links between hosts carry the live server's port, as SITE_PORT does under `make run`.
    settings.SITE_PORT = str(live_server_port)
    monkeypatch.setattr(services, "spare_pool_refill_soon", lambda: None)  # no worker in this test
    services.spare_pool_refill(size=1)
    return live_url


def test_sign_up_an_organisation_and_land_signed_in_on_its_welcome_page(page: Page, signup_site):
    page.goto(signup_site(None, "/"))
    page.get_by_role("link", name="Sign up your organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up your organisation")
    assert serious_violations(page) == []

    # A first attempt with mistakes: every one is explained, next to its field and in the summary.
    page.get_by_label("Organisation name").fill("Willow Court Care")
    page.get_by_label("Web address").fill("-willow")
    page.get_by_label("Your name").fill("Wren Adebayo")
    page.get_by_label("Your email address").fill("wren@willowcourt.example")
    page.get_by_label("Choose a password").fill("short")
    page.get_by_role("button", name="Create our space").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Start and end with a letter or a number")
    expect(summary).to_contain_text("Tick the box to agree")
    expect(summary).to_contain_text("too short")
    expect(summary).to_be_focused()  # tenants/signup.js, allowed by the Content Security Policy
    page.screenshot(path="/tmp/signup-errors.png", full_page=True)
    assert serious_violations(page) == []

    page.get_by_label("Web address").fill("willow-court")
    page.get_by_label("Choose a password").fill("kind-hearted-lantern-73")
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_label("I agree to Heartwood's terms of use").check()
    page.screenshot(path="/tmp/signup-form.png", full_page=True)
    page.get_by_role("button", name="Create our space").click()

    expect(page).to_have_url(signup_site("willow-court", "/welcome/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Heartwood, Wren")
    expect(page.get_by_role("link", name="Invite people")).to_have_attribute("href", "/manage/invitations/")
    expect(page.get_by_role("link", name="Pair mentors")).to_have_attribute("href", "/manage/pairings/")
    expect(page.get_by_role("link", name="Start the course")).to_have_attribute("href", "/learn/")
    expect(page.get_by_text("wren@willowcourt.example")).to_be_visible()
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()  # signed in
    page.screenshot(path="/tmp/signup-welcome.png", full_page=True)
    assert serious_violations(page) == []

    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path="/tmp/signup-welcome-phone.png", full_page=True)
    page.goto(signup_site(None, "/signup/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path="/tmp/signup-phone.png", full_page=True)


def test_an_operator_suspends_an_organisation_and_its_members_see_why(page: Page, live_url, alpha, browser):
    from django_tenants.utils import schema_context

    from people.services import user_create
    from tests.conftest import make_person

    with schema_context("public"):
        user_create(email="olu@operators.example", full_name="Olu Operator", roles=[],
                    password="an-operator-password-77", verified=True, is_staff=True)
    member = make_person(alpha, ["leader"], email="lee@alpha.example")

    page.goto(live_url(None, "/console/"))
    page.get_by_label("Email address").fill("olu@operators.example")
    page.get_by_label("Password").fill("an-operator-password-77")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    row = page.get_by_role("row").filter(has_text="Alpha Care")
    expect(row).to_contain_text("alpha")
    page.screenshot(path="/tmp/signup-console-list.png", full_page=True)
    assert serious_violations(page) == []

    row.get_by_role("link", name="Alpha Care").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Care")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Suspend").click()
    expect(page.get_by_role("status")).to_contain_text("Alpha Care is suspended")
    page.screenshot(path="/tmp/signup-console-detail.png", full_page=True)

    member_page = browser.new_page()
    member_page.goto(live_url("alpha", "/accounts/login/"))
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Alpha Care is suspended")
    member_page.screenshot(path="/tmp/signup-suspended.png", full_page=True)
    assert serious_violations(member_page) == []
    assert member.pk  # kept: reactivating brings everyone back
    page.get_by_role("button", name="Reactivate").click()
    member_page.goto(live_url("alpha", "/accounts/login/"))
    expect(member_page.get_by_label("Email address")).to_be_visible()
    member_page.close()


def test_the_web_address_is_suggested_from_the_name_until_the_person_types_their_own(page: Page, live_url):
    page.goto(live_url(None, "/signup/"))
    name, address = page.get_by_label("Organisation name"), page.get_by_label("Web address")

    name.press_sequentially("Café & Co – St Mary's")
    expect(address).to_have_value("cafe-and-co-st-marys")  # accents dropped, "&" said, no hyphen run or end
    name.fill("Oakfield Care " + "Partnership " * 5)
    expect(address).to_have_value("oakfield-care-partnership-partnership-pa")  # 40 characters at most
    name.fill("Al")
    expect(address).to_have_value("")  # too short to suggest anything

    address.fill("oakfield")
    name.fill("Oakfield Care Homes")
    expect(address).to_have_value("oakfield")  # what the person typed is never overwritten
    address.fill("")
    name.press_sequentially("!")
    expect(address).to_have_value("oakfield-care-homes")  # an emptied box takes suggestions again
