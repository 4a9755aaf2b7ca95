"""On a 375 px phone: a leader writes a Gibbs entry and shares it; the mentor replies; the author answers and
then unshares; the mentor gets 404. Every page is checked with axe-core (no serious or critical issues)."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD, make_person
from tests.e2e.conftest import serious_violations
from tests.reflections.conftest import pair

PHONE = {"width": 375, "height": 740}


def sign_in(page: Page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def check(page: Page, name: str) -> None:
    page.screenshot(path=f"/tmp/journal-{name}.png", full_page=True)
    assert serious_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def test_write_share_talk_unshare_on_a_phone(page: Page, browser: Browser, live_url, alpha):
    leader = make_person(alpha, ["leader"], name="Jo Rivers", email="jo@example.org")
    mentor = make_person(alpha, ["mentor"], name="Sam Okafor", email="sam@example.org")
    pair(alpha, leader, mentor)

    page.set_viewport_size(PHONE)
    sign_in(page, live_url("alpha", "/accounts/login/?next=/journal/"), leader.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your journal")
    check(page, "01-empty-list")

    page.get_by_role("link", name="Write an entry").click()
    expect(page.get_by_text("Reflect on situations, not named people")).to_be_visible()
    page.get_by_label("Title").fill("A hard night handover")
    page.get_by_role("radio", name="Gibbs' reflective cycle").check()
    # Switching template shows that template's sections and hides the others.
    expect(page.get_by_label("Feelings")).to_be_visible()
    expect(page.get_by_label("Your reflection")).to_be_hidden()
    page.get_by_label("Description").fill("The night team handed over late and the morning felt rushed.")
    page.get_by_label("Feelings").fill("Flustered, and a bit cross.")
    # The draft saves itself while we write.
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved", timeout=10000)
    assert "/edit/" in page.url  # a reload would reopen the draft
    page.get_by_label("Action plan").fill("Ask for five quiet minutes at handover.")
    page.get_by_label("Attending").check()
    check(page, "02-new-gibbs-entry")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A hard night handover")
    expect(page.get_by_role("heading", name="Action plan")).to_be_visible()
    check(page, "03-entry")
    entry_url = page.url

    page.get_by_role("link", name="Share with a mentor").click()
    page.get_by_label("Sam Okafor").check()
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("Shared with Sam Okafor")
    check(page, "04-shared")

    mentor_context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    mentor_page = mentor_context.new_page()
    try:
        sign_in(mentor_page, live_url("alpha", "/accounts/login/?next=/mentoring/"), mentor.email)
        expect(mentor_page.get_by_role("heading", name="Jo Rivers")).to_be_visible()
        expect(mentor_page.get_by_text("New", exact=True)).to_be_visible()
        check(mentor_page, "05-mentoring")
        mentor_page.get_by_role("link", name="A hard night handover").click()
        expect(mentor_page.get_by_text("Shared by Jo Rivers")).to_be_visible()
        mentor_page.get_by_label("Your reply").fill(
            "That sounds like a rough start. **What would five minutes give you?**"
        )
        mentor_page.get_by_role("button", name="Send reply").click()
        expect(mentor_page.get_by_text("What would five minutes give you?")).to_be_visible()
        check(mentor_page, "06-mentor-replied")

        page.goto(entry_url)
        expect(page.get_by_text("What would five minutes give you?")).to_be_visible()
        page.get_by_label("Your reply").fill("Time to hear what actually happened overnight.")
        page.get_by_role("button", name="Send reply").click()
        expect(page.get_by_text("Time to hear what actually happened overnight.")).to_be_visible()
        # Opened once; coming back to the page straight after replying is not a second read.
        expect(page.get_by_text("read 1 time,")).to_be_visible()
        check(page, "07-author-replied")

        mentor_page.reload()
        expect(mentor_page.get_by_text("Time to hear what actually happened overnight.")).to_be_visible()

        page.goto(entry_url + "share/")
        page.get_by_role("button", name="Stop sharing with Sam Okafor").click()
        expect(page.get_by_text("Sam Okafor can no longer see this entry.")).to_be_visible()
        check(page, "08-unshared")

        response = mentor_page.goto(entry_url)
        assert response is not None and response.status == 404
        assert "A hard night handover" not in mentor_page.content()
        check(mentor_page, "09-mentor-404")
        mentor_page.goto(live_url("alpha", "/mentoring/"))
        assert "A hard night handover" not in mentor_page.content()
    finally:
        mentor_context.close()


def test_journal_pages_fit_a_phone_and_are_accessible(page: Page, live_url, alpha):
    from django_tenants.utils import tenant_context

    from reflections.services.conversations import comment_create
    from reflections.services.journal import entry_create
    from reflections.services.prompts import prompts_load
    from reflections.services.sharing import entry_share

    leader = make_person(alpha, ["leader", "mentor"], name="Jo Rivers", email="jo@example.org")
    mentor = make_person(alpha, ["mentor"], name="Sam Okafor", email="sam@example.org")
    pair(alpha, leader, mentor)
    with tenant_context(alpha):
        prompts_load()
        for n, template in enumerate(["free", "gibbs", "what-so-what-now-what"] * 3):
            entry = entry_create(
                author=leader, title=f"Reflection number {n} about a long and winding handover", template=template,
                fields={"body": "Some *thoughts*.", "what": "A thing", "gibbs_description": "It happened."},
                behaviours=["attending", "helping"] if n % 2 else ["empathising"],
            )
            if n % 3 == 0:
                entry_share(entry=entry, author=leader, mentor=mentor)
                comment_create(entry=entry, author=mentor, body="Thank you for sharing this.")

    page.set_viewport_size(PHONE)
    sign_in(page, live_url("alpha", "/accounts/login/?next=/journal/"), leader.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your journal")
    page.get_by_text("Search and filter").click()
    check(page, "10-list-with-search")
    page.get_by_label("Search your journal").fill("handover")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("9 entries match your search.")).to_be_visible()
    assert "handover" not in page.url
    for name, path in [("11-prompts", "/journal/prompts/"), ("12-account", "/journal/account/"),
                       ("13-notifications", "/notifications/"), ("14-mentoring-empty", "/mentoring/"),
                       ("15-delete-account", "/journal/account/delete/")]:
        page.goto(live_url("alpha", path))
        check(page, name)
    page.goto(live_url("alpha", "/journal/prompts/"))
    page.get_by_role("link", name="Write about this").first.click()
    expect(page.locator(".prompt-quote")).to_be_visible()
    check(page, "16-new-from-prompt")
