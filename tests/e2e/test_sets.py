"""An action learning set in a browser, on a phone (375 px): Sam is invited, reads the agreement from his home page
and joins; he posts a brief for the meeting about to start; Ellis asks a question that starts like advice, gets the
gentle hint and asks an open one instead; Sam reads the question and records the action he commits to. Every page
axe-clean, no sideways scroll, no CSP refusals."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, expect

from learningsets import services
from learningsets.models import SetMember
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


def test_joining_a_set_a_brief_questions_and_an_action(browser: Browser, browser_context_args: dict, live_url, alpha):
    admin = make_person(alpha, ["admin", "leader"], name="Priya Admin", email="priya@example.org")
    sam = make_person(alpha, ["leader"], name="Sam Leader", email="sam@example.org")
    ellis = make_person(alpha, ["leader"], name="Ellis Okafor", email="ellis@example.org")
    others = [make_person(alpha, ["leader"], name=name) for name in ("Amira Haddad", "Femi Adeyemi")]
    with tenant_context(alpha):
        learning_set = services.set_create(by=admin, name="Leads across the houses", facilitator=admin,
                                           members=[sam, ellis, *others])
        for person in (admin, ellis, *others):
            services.place_accept(place=SetMember.objects.get(learning_set=learning_set, user=person), user=person)

    # Sam: the invitation on his home page, the agreement, and in.
    sam_context = browser.new_context(**browser_context_args, viewport=PHONE)
    page = sam_context.new_page()
    sign_in(page, live_url("alpha", "/accounts/login/"), "sam@example.org")
    section = page.locator("#home-learningsets-mine")
    expect(section).to_contain_text("Priya Admin invited you to an action learning set")
    section.get_by_role("link", name="Read the agreement and answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leads across the houses")
    expect(page.get_by_text("Safeguarding concerns never stay in the room.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Femi Adeyemi")  # nothing of the set before agreeing
    check(page)
    page.get_by_role("button", name="I agree, and I'll join").click()
    expect(page.get_by_text("Welcome to Leads across the houses.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Femi Adeyemi")
    check(page)

    # The facilitator books a meeting starting in a quarter of an hour, with Sam presenting.
    with tenant_context(alpha):
        meeting = services.meeting_book(learning_set=learning_set, by=admin, presenter=sam,
                                        starts_at=timezone.now() + timedelta(minutes=15))
    meeting_url = live_url("alpha", f"/sets/{learning_set.pk}/meetings/{meeting.pk}/")
    page.goto(live_url("alpha", f"/sets/{learning_set.pk}/"))
    expect(page.locator("main")).to_contain_text("You present")
    page.goto(meeting_url)
    page.get_by_role("link", name="Write a brief").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your brief")
    check(page)
    page.get_by_label("Your brief").fill("Our two o'clock handover keeps getting squeezed, and the things that "
                                         "matter get lost.")
    page.get_by_role("button", name="Post your brief").click()
    expect(page.get_by_text("Your brief is posted. Only the set can read it.")).to_be_visible()
    expect(page.locator("#brief")).to_contain_text("two o'clock handover")
    check(page)

    # Ellis: advice in disguise, the hint, and an open question instead.
    ellis_context = browser.new_context(**browser_context_args, viewport=PHONE)
    other = ellis_context.new_page()
    sign_in(other, live_url("alpha", "/accounts/login/"), "ellis@example.org")
    other.goto(meeting_url)
    expect(other.locator("#brief")).to_contain_text("two o'clock handover")
    other.get_by_label("Your question").fill("Have you tried a rota swap?")
    other.get_by_role("button", name="Add your question").click()
    expect(other.get_by_text("That sounds a little like advice.")).to_be_visible()
    check(other)
    other.get_by_label("Your question").fill("What does a good handover look like to you?")
    other.get_by_role("button", name="Add it").click()
    expect(other.get_by_text("Your question is on the list.")).to_be_visible()
    expect(other.locator("#questions")).to_contain_text("What does a good handover look like to you?")
    check(other)
    ellis_context.close()

    # Sam reads the question and commits to an action.
    page.goto(meeting_url)
    expect(page.locator("#questions")).to_contain_text("What does a good handover look like to you?")
    page.get_by_label("The action you commit to").fill("Try a ten-minute standing handover for two weeks.")
    page.get_by_role("button", name="Record your action").click()
    expect(page.get_by_text("Your action is recorded.")).to_be_visible()
    expect(page.locator("#action")).to_contain_text("ten-minute standing handover")
    check(page)
    page.screenshot(path="/tmp/sets-meeting-375.png", full_page=True)
    sam_context.close()
