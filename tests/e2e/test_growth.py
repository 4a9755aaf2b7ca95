"""Strengths and growing leaders in a browser, on a phone (375 px): a member describes their strengths and shows
them to the team; the team's lead sees the strengths map and a pairing, offers the member a stretch from the team
page; the member finds it on their home page, accepts it and is offered "Reflect on this". Every page axe-clean,
no sideways scroll, no CSP refusals."""

from __future__ import annotations

from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, expect

from teams.services import member_add, team_create
from teams.strength_services import strengths_save
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


def test_describe_strengths_then_offer_and_accept_a_stretch(browser: Browser, browser_context_args: dict, live_url,
                                                            alpha):
    lead = make_person(alpha, ["leader"], name="Lena Lead", email="lena@example.org")
    member = make_person(alpha, ["leader"], name="Mo Member", email="mo@example.org")
    ideas = make_person(alpha, ["leader"], name="Ida Ideas", email="ida@example.org")
    with tenant_context(alpha):
        team = team_create(name="Larch House, first floor")
        member_add(team=team, user=lead, is_lead=True)
        member_add(team=team, user=member)
        member_add(team=team, user=ideas)
        strengths_save(user=ideas, picks=["ideas"], own_words="Full of plans for the garden", shown_to_team=True)

    # The member describes their strengths and shows them to the team.
    member_context = browser.new_context(**browser_context_args, viewport=PHONE)
    me = member_context.new_page()
    sign_in(me, live_url("alpha", "/accounts/login/"), "mo@example.org")
    me.goto(live_url("alpha", "/teams/"))
    me.get_by_role("link", name="Describe your strengths").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Your strengths")
    expect(me.get_by_label("Only me (and my supervisor, on my growth profile)")).to_be_checked()  # off by default
    check(me)
    me.get_by_label("Getting things done").check()
    me.get_by_label("Calm in a crisis").check()
    me.get_by_label("In your own words").fill("I finish what others start")
    me.get_by_label("My teams too: they appear on each team's page").check()
    me.get_by_role("button", name="Save my strengths").click()
    expect(me.get_by_text("Your teams can see your strengths now.")).to_be_visible()
    check(me)

    # The lead sees who brings what, and a pairing; offers the member a stretch from the team page.
    lead_context = browser.new_context(**browser_context_args, viewport=PHONE)
    page = lead_context.new_page()
    sign_in(page, live_url("alpha", "/accounts/login/"), "lena@example.org")
    page.goto(live_url("alpha", f"/teams/{team.pk}/"))
    strengths = page.locator("#home-teams-strengths")
    expect(strengths).to_contain_text("Getting things done")
    expect(strengths).to_contain_text("the ideas person and the implementer")
    check(page)
    page.screenshot(path="/tmp/growth-team-375.png", full_page=True)
    page.get_by_role("link", name="Offer someone a stretch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offer a stretch")
    check(page)
    page.get_by_role("button", name="Offer it").click()  # sent empty: said plainly on the form
    expect(page.locator(".field-error").first).to_be_visible()
    check(page)
    page.get_by_label("Who to offer it to").select_option(label="Mo Member")
    page.get_by_label("Chair a team meeting").check()
    page.get_by_label("A few words about it").fill("Next month's meeting. I'll take the notes.")
    page.get_by_role("button", name="Offer it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chair a team meeting")
    expect(page.get_by_text("Waiting for Mo's answer")).to_be_visible()
    check(page)

    # The member finds it on their home page and accepts it.
    me.goto(live_url("alpha", "/"))
    section = me.locator("#home-supervision-growth")
    expect(section).to_contain_text("Lena offered you a stretch")
    check(me)
    section.get_by_role("link", name="See it and answer").click()
    expect(me.get_by_text("Next month's meeting. I'll take the notes.")).to_be_visible()
    check(me)
    me.get_by_role("button", name="Yes, I'll do it").click()
    expect(me.get_by_text("You've said yes.")).to_be_visible()
    expect(me.get_by_role("link", name="Reflect on this")).to_be_visible()
    check(me)
    me.get_by_role("link", name="Reflect on this").click()
    expect(me.locator("main")).to_contain_text("Your stretch: Chair a team meeting")
    check(me)
    me.goto(live_url("alpha", "/growing/"))
    expect(me.get_by_role("heading", level=1)).to_have_text("Growing")
    check(me)
    me.screenshot(path="/tmp/growth-member-375.png", full_page=True)
    member_context.close()
    lead_context.close()
