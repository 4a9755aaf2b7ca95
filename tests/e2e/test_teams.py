"""Teams in a browser, on a phone (375 px): the admin makes a team, adds two people and marks one as its lead; a
member signs in, finds "Teams" in the menu and sees the team and who leads it. Every page axe-clean, no sideways
scroll, no CSP refusals."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD, make_person
from tests.e2e.conftest import serious_violations

PHONE = {"width": 375, "height": 740}


def sign_in(page: Page, url: str, login: str) -> None:
    page.goto(url)
    page.get_by_label("Email address or username").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def check(page: Page) -> None:
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_admin_makes_a_team_and_a_member_sees_it(browser: Browser, browser_context_args: dict, live_url, alpha):
    make_person(alpha, ["admin", "leader"], name="Ada Lovelace", email="ada@example.org")
    make_person(alpha, ["leader"], name="Lena Lead", email="lena@example.org")
    make_person(alpha, ["leader"], name="Mo Member", email="mo@example.org")

    admin_context = browser.new_context(**browser_context_args, viewport=PHONE)
    admin = admin_context.new_page()
    sign_in(admin, live_url("alpha", "/accounts/login/"), "ada@example.org")
    admin.goto(live_url("alpha", "/manage/"))
    admin.get_by_role("navigation", name="Manage").get_by_role("link", name="Teams").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Teams")
    check(admin)

    admin.get_by_label("Team name").fill("Larch House, first floor")
    admin.get_by_label("What and where the team is").fill("Twelve rooms, and the garden")
    admin.get_by_role("button", name="Make the team").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Larch House, first floor")
    expect(admin.get_by_text("is ready. Now add its people.")).to_be_visible()
    check(admin)

    admin.get_by_label("Person").select_option(label="Lena Lead")
    admin.get_by_label("They lead this team").check()
    admin.get_by_role("button", name="Add to the team").click()
    expect(admin.get_by_text("Lena Lead is in Larch House, first floor as a lead.")).to_be_visible()
    admin.get_by_label("Person").select_option(label="Mo Member")
    admin.get_by_role("button", name="Add to the team").click()
    members = admin.locator("table.team-members")
    expect(members).to_contain_text("Lena Lead")
    expect(members).to_contain_text("Mo Member")
    check(admin)
    # The same name again, in other capitals: a message on the form, not an error page.
    admin.goto(live_url("alpha", "/manage/teams/"))
    admin.get_by_label("Team name").fill("LARCH HOUSE, FIRST FLOOR")
    admin.get_by_role("button", name="Make the team").click()
    expect(admin.get_by_text("There is already a team called")).to_be_visible()
    check(admin)
    admin_context.close()

    member_context = browser.new_context(**browser_context_args, viewport=PHONE)
    member = member_context.new_page()
    sign_in(member, live_url("alpha", "/accounts/login/"), "mo@example.org")
    expect(member.locator("#home-teams-mine")).to_contain_text("Larch House, first floor")
    member.get_by_role("button", name="Menu").click()
    member.get_by_role("navigation", name="Main").get_by_role("link", name="Teams").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Your teams")
    check(member)
    member.get_by_role("link", name="Larch House, first floor").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Larch House, first floor")
    expect(member.get_by_text("Twelve rooms, and the garden")).to_be_visible()
    expect(member.locator("main")).to_contain_text("Led by")
    expect(member.locator("main")).to_contain_text("Lena Lead")
    check(member)
    member.screenshot(path="/tmp/teams-member-375.png", full_page=True)
    member_context.close()
