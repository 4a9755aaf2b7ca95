"""The team pulse on a 375 px phone: the lead opens a pulse; members find it on their home page and answer it;
while it is open the team sees only how many have answered; four answers and a close show nothing; with five,
after the close, the results appear (each statement's spread, the trend with its table, conversation starters,
the comments). Every page is checked with axe-core (no serious or critical issues) and for sideways scrolling."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from feedback.pulse.statements import STATEMENTS
from tests.conftest import PASSWORD
from tests.e2e.conftest import serious_violations
from tests.feedback.pulse_world import build_world

PHONE = {"width": 375, "height": 740}


def sign_in(page: Page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


def check(page: Page, name: str) -> None:
    page.screenshot(path=f"/tmp/pulse-{name}.png", full_page=True)
    assert serious_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def phone(browser: Browser, browser_context_args: dict) -> Page:
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    return page


def answer_on_a_phone(browser, browser_context_args, live_url, person, *, point: int, comment: str = "",
                      shots: bool = False) -> None:
    page = phone(browser, browser_context_args)
    sign_in(page, live_url("alpha", "/accounts/login/"), person.email)
    section = page.locator("#home-feedback-pulse")
    expect(section).to_contain_text("two minutes")
    if shots:
        check(page, "02-home-with-the-pulse")
    section.get_by_role("link", name=re.compile("Answer the pulse")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your team's pulse")
    groups = page.locator("fieldset.rating-group")
    expect(groups).to_have_count(len(STATEMENTS))
    if shots:
        check(page, "03-answer")
    for index in range(len(STATEMENTS)):
        groups.nth(index).get_by_role("radio", name=re.compile(rf"^{point}\b")).check()
    if comment:
        page.get_by_label("Anything you'd like to add?").fill(comment)
    page.get_by_role("button", name="Send my answer").click()
    if "Lena" in comment:  # the warning: the writer decides
        expect(page.locator("#mention-warning")).to_contain_text("seems to name Lena Lead")
        if shots:
            check(page, "04-mention-warning")
        page.get_by_role("button", name="Send it as it is").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answer is in")
    if shots:
        check(page, "05-answered")
    page.context.close()


def test_members_answer_on_a_phone_and_results_appear_only_at_k_after_close(
    browser: Browser, browser_context_args: dict, live_url, alpha, beta,
):
    world = build_world(alpha, beta)
    results = live_url("alpha", f"/feedback/pulse/team/{world.team.pk}/")
    lead = phone(browser, browser_context_args)
    sign_in(lead, live_url("alpha", "/accounts/login/"), world.lead.email)

    # A first pulse: four answer, the lead closes it: it says there were not enough answers, and nothing else.
    lead.goto(results)
    expect(lead.get_by_text("No results yet")).to_be_visible()
    check(lead, "01-results-before-any")
    lead.get_by_role("button", name="Open a pulse").click()
    expect(lead.get_by_text("0 of 6 people have answered so far")).to_be_visible()
    for index, person in enumerate(world.larch[1:5]):
        answer_on_a_phone(browser, browser_context_args, live_url, person, point=5, shots=index == 0,
                          comment=f"{world.marker} first round" if index == 0 else "")
    lead.goto(results)
    expect(lead.get_by_text("4 of 6 people have answered so far")).to_be_visible()
    check(lead, "06-results-open")
    assert world.marker not in lead.content()
    lead.get_by_role("button", name="Close it now").click()
    expect(lead.get_by_text("Not enough people answered to keep everyone anonymous").first).to_be_visible()
    assert world.marker not in lead.content() and lead.locator(".pulse-spreads").count() == 0
    check(lead, "07-results-below-k")

    # A second pulse: five answer (one comment names someone; its writer sends it anyway). Nothing shows while it
    # is open; after the close, everything does.
    lead.get_by_role("button", name="Open a pulse").click()
    for index, person in enumerate(world.larch[1:6]):
        comment = {0: "I wish Lena had more time for handovers", 1: f"{world.marker} second round"}.get(index, "")
        answer_on_a_phone(browser, browser_context_args, live_url, person, point=3 + index % 3, comment=comment,
                          shots=index == 0)
    lead.goto(results)
    expect(lead.get_by_text("5 of 6 people have answered so far")).to_be_visible()
    assert world.marker not in lead.content() and lead.locator(".pulse-spreads").count() == 0
    lead.get_by_role("button", name="Close it now").click()
    expect(lead.locator(".pulse-spreads > li")).to_have_count(len(STATEMENTS))
    expect(lead.get_by_text(f"{world.marker} second round")).to_be_visible()
    assert f"{world.marker} first round" not in lead.content()
    expect(lead.get_by_role("heading", name="For your next team meeting")).to_be_visible()
    expect(lead.get_by_role("table")).to_contain_text("Not enough answers to keep everyone anonymous")
    expect(lead.get_by_text("It is not a performance measure.")).to_be_visible()
    check(lead, "08-results-reached")

    # A member who did not answer sees exactly what the lead sees.
    member = phone(browser, browser_context_args)
    sign_in(member, live_url("alpha", "/accounts/login/"), world.members[4].email)
    member.goto(results)
    expect(member.get_by_text(f"{world.marker} second round")).to_be_visible()
    expect(member.get_by_role("button", name="Open a pulse")).to_have_count(0)
    check(member, "09-results-as-a-member")
    member.context.close()

    # The lead's rhythm page and the admin's participation page.
    lead.goto(live_url("alpha", f"/feedback/pulse/team/{world.team.pk}/rhythm/"))
    check(lead, "10-rhythm")
    admin = phone(browser, browser_context_args)
    sign_in(admin, live_url("alpha", "/accounts/login/"), world.admin.email)
    admin.goto(live_url("alpha", "/manage/feedback/"))
    expect(admin.get_by_role("link", name=re.compile("1 with results"))).to_be_visible()
    check(admin, "11-manage")
    admin.get_by_label("Answers a team pulse needs before it shows anything").fill("3")
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_text("A pulse needs at least 5 answers to keep everyone anonymous.").first).to_be_visible()
    check(admin, "12-manage-error")
