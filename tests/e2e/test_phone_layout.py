"""On a 375 px phone: a one-row header whose Menu button opens the navigation (Sign out included, Escape closes
it), the manage tabs on one row, a slim progress bar at the top of a lesson, the main action of a long page kept
on screen, and the short formatting guide beside a text box that takes formatting."""

from __future__ import annotations

from django_tenants.utils import tenant_context
from playwright.sync_api import Page, expect

from courses.loader import curriculum_sync
from courses.models import Lesson, Module
from tests.conftest import PASSWORD, make_person
from tests.e2e.conftest import serious_violations

PHONE = {"width": 375, "height": 740}


def _sign_in(page: Page, live_url, email: str) -> None:
    page.goto(live_url("alpha", "/accounts/login/"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def _height(page: Page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["height"]


def test_a_phone_gets_a_compact_header_one_row_of_tabs_and_its_main_actions_within_reach(
    page: Page, live_url, alpha,
):
    with tenant_context(alpha):
        curriculum_sync()  # live tests start from empty organisation tables
        module = Module.objects.filter(lessons__isnull=False).order_by("order", "id").first()
        lesson = Lesson.objects.filter(module=module).order_by("order", "id")[1]
        total = module.lessons.count()
    admin = make_person(alpha, ["admin", "leader"], name="Ada Lovelace", email="ada.phone@example.org")
    page.set_viewport_size(PHONE)
    _sign_in(page, live_url, admin.email)

    # The header is one row; the navigation waits behind the Menu button.
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    sign_out = page.get_by_role("link", name="Sign out")
    expect(sign_out).to_be_hidden()
    assert _height(page, ".site-header") < 64
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sign_out).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Manage")).to_be_visible()
    assert serious_violations(page) == []
    page.keyboard.press("Escape")
    expect(sign_out).to_be_hidden()
    expect(menu).to_be_focused()

    # The manage tabs stay on one row (scrolling sideways within themselves), the current one in view.
    page.goto(live_url("alpha", "/manage/pairings/"))
    tabs = page.get_by_role("navigation", name="Manage")
    assert _height(page, ".tabs ul") < 60
    expect(tabs.get_by_role("link", name="Pairings")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # A lesson: a slim bar at the top says how far through the module this is; "Mark as done" stays on screen.
    page.goto(live_url("alpha", f"/learn/{module.slug}/{lesson.slug}/"))
    bar = page.get_by_role("progressbar", name=f"Lesson 2 of {total} in {module.title}")
    expect(bar).to_be_visible()
    assert bar.bounding_box()["height"] <= 8
    done = page.get_by_role("button", name="Mark as done")
    expect(done).to_be_in_viewport()
    page.mouse.wheel(0, 1500)
    expect(done).to_be_in_viewport()
    assert serious_violations(page) == []

    # The prompts page is long: writing an entry is always one tap away.
    page.goto(live_url("alpha", "/journal/prompts/"))
    write = page.locator(".action-bar").get_by_role("link", name="Write an entry")
    expect(write).to_be_in_viewport()
    page.mouse.wheel(0, 3000)
    expect(write).to_be_in_viewport()
    # The triangle of each group of ideas sits on its heading's line.
    summary = page.locator(".prompt-theme > summary").first
    heading = summary.locator("h3")
    assert abs(summary.bounding_box()["height"] - max(heading.bounding_box()["height"], 44)) < 16

    # Writing: simple formatting, said in plain words, with a short guide; never "Markdown".
    page.goto(live_url("alpha", "/journal/new/"))
    expect(page.get_by_text("You can use simple formatting (bold, lists) in any box.")).to_be_visible()
    page.get_by_text("How to add bold, lists and links").click()
    expect(page.get_by_role("cell", name="**kind words**")).to_be_visible()
    assert "markdown" not in page.content().lower()


def test_the_desktop_header_is_one_row_with_every_item_shown(page: Page, live_url, alpha):
    # The most items anyone gets: an admin who mentors and is in a team (Teams, Mentoring and Manage all shown).
    from teams.services import member_add, team_create

    admin = make_person(alpha, ["admin", "leader", "mentor"], name="Ada Lovelace", email="ada.wide@example.org")
    with tenant_context(alpha):
        member_add(team=team_create(name="Larch House"), user=admin)
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, live_url, admin.email)
    page.goto(live_url("alpha", "/growing/"))
    nav = page.get_by_role("navigation", name="Main")
    links = nav.get_by_role("link")
    expect(links).to_have_text(["Home", "Learning", "Journal", "Teams", "Growing", "Mentoring", "Manage", "Sign out"])
    page.screenshot(path="/tmp/header-1280.png")
    # One row: the navigation sits beside the brand, not below it, and every item on the same line.
    brand = page.locator(".brand").first.bounding_box()
    tops = {round(links.nth(n).bounding_box()["y"]) for n in range(links.count())}
    assert len(tops) == 1 and nav.bounding_box()["y"] < brand["y"] + brand["height"], (tops, brand)
