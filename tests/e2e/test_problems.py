"""On a 375 px phone: a team member traces a problem in a Five whys journal entry, then adds it to the team's list
of recurring problems from the team page and explores it with the team's whys. Every page is checked with axe-core
(no serious or critical issues) and for sideways scrolling."""

from __future__ import annotations

from django_tenants.utils import tenant_context
from playwright.sync_api import Page, expect

from teams.services import member_add, team_create
from tests.conftest import PASSWORD, make_person
from tests.e2e.conftest import serious_violations

PHONE = {"width": 375, "height": 740}


def check(page: Page, name: str) -> None:
    page.screenshot(path=f"/tmp/problems-{name}.png", full_page=True)
    assert serious_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def test_five_whys_entry_then_a_team_problem_on_a_phone(page: Page, live_url, alpha):
    member = make_person(alpha, ["leader"], name="Jo Rivers", email="jo@example.org")
    colleague = make_person(alpha, ["leader"], name="Kez Amari", email="kez@example.org")
    with tenant_context(alpha):
        team = team_create(name="Larch House", description="First floor")
        member_add(team=team, user=member)
        member_add(team=team, user=colleague)

    page.set_viewport_size(PHONE)
    page.goto(live_url("alpha", "/accounts/login/?next=/journal/new/"))
    page.get_by_label("Email address").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The Five whys in the journal: the steps show when the template is chosen, with the lesson to read.
    page.get_by_label("Title").fill("Why the medication round keeps running late")
    page.get_by_role("radio", name="Five whys").check()
    expect(page.get_by_label("The problem")).to_be_visible()
    expect(page.get_by_label("Your reflection")).to_be_hidden()
    expect(page.get_by_role("link", name="Root causes, not branches")).to_be_visible()
    page.get_by_label("The problem").fill("The morning medication round starts late most days.")
    page.get_by_label("Why does it happen?").fill("The senior is still in handover at eight.")
    page.get_by_label("Why is that?", exact=True).fill("Handover overruns.")
    page.get_by_label("And why is that?").fill("Nobody has time to read the night notes first.")
    page.get_by_label("The root you reached").fill("We never planned time to read the notes.")
    page.get_by_label("What you will try").fill("Ask the team about ten quiet minutes before handover.")
    page.get_by_label("Understanding").check()
    check(page, "01-five-whys-form")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Why the medication round keeps running late")
    expect(page.get_by_role("heading", name="The root you reached")).to_be_visible()
    expect(page.get_by_role("heading", name="Why, again?")).to_have_count(0)  # left empty, left out
    check(page, "02-five-whys-entry")

    # The team page invites the team to keep its recurring problems.
    page.goto(live_url("alpha", f"/teams/{team.pk}/"))
    expect(page.get_by_role("heading", name="Recurring problems")).to_be_visible()
    check(page, "03-team-page")
    page.get_by_role("link", name="Add a recurring problem").click()
    expect(page.get_by_text("This list is about what keeps going wrong, not who.")).to_be_visible()
    page.get_by_label("What keeps going wrong?").fill("The medication round runs late after handover")
    page.get_by_label("What happens").fill("Most mornings the round starts at twenty to nine.")
    page.get_by_label("Why does it happen?").fill("Handover overruns.")
    page.get_by_label("The root you reached").fill("There is no time in the shift to read the notes.")
    page.get_by_label("The change you are trying").fill("Ten quiet minutes to read before handover.")
    page.get_by_label("Trying a change").check()
    page.get_by_label("Who is keeping it moving?").select_option(label="Kez Amari")
    page.get_by_label("When will you look again?").fill("2030-01-01")  # too far: explained, nothing saved
    check(page, "04-new-problem")
    page.get_by_role("button", name="Add it to the list").click()
    expect(page.locator(".field-error")).to_contain_text("within the next two years")
    check(page, "05-new-problem-error")
    page.get_by_label("When will you look again?").fill("")
    page.get_by_role("button", name="Add it to the list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The medication round runs late after handover")
    expect(page.get_by_text("Kept moving by Kez Amari")).to_be_visible()
    expect(page.get_by_text("Ten quiet minutes to read before handover.")).to_be_visible()
    check(page, "06-problem")

    page.get_by_role("link", name="Back to Larch House's recurring problems").click()
    expect(page.get_by_role("link", name="The medication round runs late after handover")).to_be_visible()
    check(page, "07-problems-list")
    page.goto(live_url("alpha", f"/teams/{team.pk}/"))
    expect(page.locator("#home-learningsets-problems")).to_contain_text("1 being explored")
