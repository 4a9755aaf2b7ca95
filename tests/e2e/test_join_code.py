"""A support worker without an email address joins from a printed slip: the admin adds them and prints the slip; in
a browser of their own they type the code at /join/, choose a username and password, land signed in, sign out and
sign in with the username. A used code and an expired code each say so. Every page axe-clean, no CSP refusals."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, expect

from people.models import JoinCode, User
from tests.conftest import PASSWORD, make_person
from tests.e2e.conftest import serious_violations

NEW_PASSWORD = "quiet-harbour-lanterns-8"


def join_with(page: Page, code: str, username: str, password: str = NEW_PASSWORD) -> None:
    page.get_by_label("Your join code").fill(code)
    page.get_by_label("Choose a username").fill(username)
    page.get_by_label("Choose a password").fill(password)
    page.get_by_label("Type the password again").fill(password)
    page.get_by_role("button", name="Join Alpha Care").click()


def test_a_support_worker_joins_from_a_printed_slip(
    page: Page, browser: Browser, browser_context_args: dict, live_url, alpha
):
    make_person(alpha, ["admin", "leader"], name="Ada Lovelace", email="ada@example.org")
    page.goto(live_url("alpha", "/accounts/login/"))
    page.get_by_label("Email address or username").fill("ada@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The admin adds Jo, who has no email address, and gets the slip.
    page.goto(live_url("alpha", "/manage/people/"))
    page.get_by_role("link", name="Add someone without an email address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add someone without an email address")
    assert serious_violations(page) == []
    page.get_by_label("Name").fill("Jo Night")
    page.get_by_role("button", name="Add them and make a join code").click()
    expect(page.get_by_text("Jo Night has been added.")).to_be_visible()
    slip = page.locator(".join-slip")
    expect(slip).to_contain_text("Alpha Care")
    expect(slip).to_contain_text("Jo Night")
    expect(slip).to_contain_text(live_url("alpha", "/join/"))
    expect(slip.locator("svg[role=img]")).to_be_visible()
    code = page.locator(".slip-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code), code
    expires = (timezone.localdate() + timedelta(days=7)).strftime("%-d %B %Y")
    expect(slip).to_contain_text(expires)
    expect(page.get_by_role("button", name="Print the slip")).to_be_visible()
    assert serious_violations(page) == []
    # On paper: only the slip, no header, no buttons.
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print the slip")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(slip).to_be_visible()
    page.screenshot(path="/tmp/join-slip-print.png", full_page=True)
    page.emulate_media(media="screen")

    # Jo, on a phone of their own.
    other = browser.new_context(**browser_context_args, viewport={"width": 375, "height": 740})
    jo = other.new_page()
    jo.goto(live_url("alpha", "/join/"))
    expect(jo.get_by_role("heading", level=1)).to_have_text("Join Alpha Care")
    assert serious_violations(jo) == []
    assert jo.evaluate("document.documentElement.scrollWidth") <= 375
    join_with(jo, code.lower().replace("-", " "), "Jo.Night")
    expect(jo).to_have_url(live_url("alpha", "/"))
    expect(jo.get_by_text("Welcome to Alpha Care, Jo.")).to_be_visible()
    assert serious_violations(jo) == []

    # Signs out, and back in with the username.
    jo.goto(live_url("alpha", "/accounts/logout/"))  # where "Sign out" in the menu leads
    jo.locator("main").get_by_role("button", name="Sign out").click()
    expect(jo.get_by_role("heading", level=1)).to_have_text("Sign in")
    jo.goto(live_url("alpha", "/accounts/login/"))
    jo.get_by_label("Email address or username").fill("jo.night")
    jo.get_by_label("Password").fill(NEW_PASSWORD)
    jo.get_by_role("button", name="Sign in").click()
    expect(jo).to_have_url(live_url("alpha", "/"))
    with tenant_context(alpha):
        person = User.objects.get(username="jo.night")
        assert person.email is None and person.last_login is not None

    # The same code again: used.
    again = other.new_page()
    again.goto(live_url("alpha", "/join/"))
    join_with(again, code, "someone.else")
    expect(again.get_by_text("This code has already been used.")).to_be_visible()
    assert serious_violations(again) == []

    # The admin sees Jo by username, and makes a new code (Jo forgot the password); it runs out unused.
    page.goto(live_url("alpha", "/manage/people/"))
    expect(page.get_by_text("No email — signs in with a username")).to_be_visible()
    expect(page.get_by_text("(jo.night)")).to_be_visible()
    page.get_by_role("button", name="New join code for Jo Night").click()
    expect(page.get_by_text("Jo has a new join code.")).to_be_visible()
    new_code = page.locator(".slip-code").inner_text()
    assert new_code != code
    with tenant_context(alpha):
        JoinCode.objects.filter(person=person, used_at__isnull=True, voided_at__isnull=True).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    jo.reload()
    expect(jo).to_have_url(re.compile(r"/accounts/login/"))  # the new code signed Jo out everywhere
    expired = other.new_page()
    expired.goto(live_url("alpha", "/join/"))
    join_with(expired, new_code, "jo.night")
    expect(expired.get_by_text("This code has expired.")).to_be_visible()
    assert serious_violations(expired) == []
    other.close()
