"""On a 375 px phone: a leader asks for a 360 (two colleagues and someone by email); the rater by email answers
through their single-use link without an account, a colleague answers from the home page; the leader closes it
and reads it beside their self-check, then shares it with their mentor. Every page is checked with axe-core."""

from __future__ import annotations

from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, expect

from feedback.models import ThreeSixty
from tests.conftest import make_person
from tests.e2e.conftest import serious_violations
from tests.e2e.test_journal import sign_in
from tests.feedback.threesixty_world import answer, link_for, pair, self_checks

PHONE = {"width": 375, "height": 740}


def check(page: Page, name: str) -> None:
    page.screenshot(path=f"/tmp/360-{name}.png", full_page=True)
    assert serious_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def _answer_every_statement(page: Page, answer_label: str) -> None:
    groups = page.locator("fieldset.rating-group")
    for n in range(groups.count()):
        groups.nth(n).get_by_label(answer_label, exact=True).check()


def test_ask_answer_and_read_a_360_on_a_phone(page: Page, browser: Browser, live_url, alpha):
    leader = make_person(alpha, ["leader"], name="Sam Leader", email="sam@example.org")
    rita = make_person(alpha, ["leader"], name="Rita Rahman", email="rita@example.org")
    raj = make_person(alpha, ["leader"], name="Raj Patel", email="raj@example.org")
    mentor = make_person(alpha, ["mentor"], name="Morgan Mentor", email="morgan@example.org")
    pair(alpha, leader, mentor)
    self_checks(alpha, leader, 3)

    page.set_viewport_size(PHONE)
    sign_in(page, live_url("alpha", "/accounts/login/?next=/feedback/360/"), leader.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("360 feedback")
    check(page, "01-hub")
    page.get_by_role("link", name="Ask for a 360").click()
    check(page, "02-ask")
    page.get_by_label("Rita Rahman").check()
    page.get_by_role("button", name="Ask them").click()
    expect(page.get_by_text("Ask at least 3 people")).to_be_visible()  # one is not enough: said plainly
    check(page, "03-ask-too-few")
    page.get_by_label("Raj Patel").check()
    page.get_by_label("People without an account here").fill("fern.family@example.org")
    page.get_by_role("button", name="Ask them").click()
    expect(page.locator(".flash")).to_contain_text("Your 360 is open")
    check(page, "04-open")
    with tenant_context(alpha):
        three_sixty = ThreeSixty.objects.get(leader=leader)

    # The rater by email: no account, their own link, on the organisation's host.
    token = link_for(alpha, three_sixty, "fern.family@example.org")
    visitor_context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    visitor = visitor_context.new_page()
    try:
        visitor.goto(live_url("alpha", f"/feedback/360/r/{token}/"))
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Feedback for Sam Leader")
        expect(visitor.get_by_text("will not see who said what")).to_be_visible()
        check(visitor, "05-external-answer")
        _answer_every_statement(visitor, "Often")
        visitor.get_by_label("Anything you'd like to add").fill("You always make time for families. Thank you.")
        visitor.get_by_role("button", name="Send my answers").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Thank you")
        check(visitor, "06-external-thanks")
        visitor.goto(live_url("alpha", f"/feedback/360/r/{token}/"))
        expect(visitor.get_by_role("heading", level=1)).to_have_text("This link no longer works")
        check(visitor, "07-link-gone")
    finally:
        visitor_context.close()

    # A colleague, from their home page.
    colleague_context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    colleague = colleague_context.new_page()
    try:
        sign_in(colleague, live_url("alpha", "/accounts/login/"), rita.email)
        expect(colleague.get_by_role("heading", name="Sam asked for your feedback")).to_be_visible()
        check(colleague, "08-colleague-home")
        colleague.get_by_role("link", name="Answer", exact=True).click()
        _answer_every_statement(colleague, "Always")
        colleague.get_by_label("Anything you'd like to add").fill("Raj and I both feel listened to.")
        colleague.get_by_role("button", name="Send my answers").click()
        # The comment names a colleague: said once, and the writer decides.
        expect(colleague.get_by_text("Your comment seems to name Raj Patel")).to_be_visible()
        check(colleague, "09-colleague-name-warning")
        colleague.get_by_label("Anything you'd like to add").fill("We all feel listened to.")
        colleague.get_by_role("button", name="Send my answers").click()
        expect(colleague.get_by_text("You have answered")).to_be_visible()
        check(colleague, "10-colleague-answered")
    finally:
        colleague_context.close()
    answer(alpha, three_sixty, raj, 4)

    # Sam: three answers are in, still open, so nothing shows; Sam closes it and reads it.
    page.goto(live_url("alpha", f"/feedback/360/{three_sixty.pk}/"))
    expect(page.get_by_text("answered so far")).to_be_visible()
    expect(page.get_by_role("heading", name="Each statement")).to_have_count(0)
    page.get_by_role("button", name="Close it now").click()
    expect(page.get_by_text("3 people answered")).to_be_visible()
    expect(page.get_by_role("img", name="Others' average beside your own self-check")).to_be_visible()
    expect(page.get_by_role("cell", name="3.0").first).to_be_visible()  # Sam's own self-check, in the table
    expect(page.get_by_text("Others see more attending in you than you do")).to_be_visible()
    expect(page.get_by_text("You always make time for families. Thank you.")).to_be_visible()
    check(page, "11-results")
    page.get_by_role("link", name="Reflect on this in your journal").click()
    expect(page.get_by_text("Your 360 of")).to_be_visible()
    check(page, "12-reflect")
    page.go_back()
    page.get_by_role("link", name="Share with your mentor").click()
    page.get_by_label("Morgan Mentor").check()
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("Shared the summary with Morgan Mentor")
    check(page, "13-shared")
