"""The pages of the way in without an email address pass the every-page checks (tests/e2e/test_every_page.py): axe
at every level, one h1, named controls, visible focus, no sideways scroll at 375 and 320 px, errors tied to their
fields. For the visitor (/join/), the admin (adding someone, the slip, People with them listed, their page) and the
person themselves, signed in with a username (home, prompts, password, digest)."""

from __future__ import annotations

from django_tenants.utils import tenant_context
from playwright.sync_api import Browser

from people.join_codes import join_code_redeem, person_add_without_email
from tests.conftest import PASSWORD, make_person
from tests.e2e.test_every_page import DESKTOP, NARROWEST, PHONE, Checker


def test_join_code_pages_pass_the_every_page_checks(browser: Browser, browser_context_args: dict, live_url, alpha):
    admin = make_person(alpha, ["admin", "leader"], name="Ada Lovelace", email="ada@example.org")
    with tenant_context(alpha):
        person, issued = person_add_without_email(
            full_name="Oluwaseun Adebayo-Richardson", roles=["leader", "mentor"], by=admin
        )
        join_code_redeem(code=issued.code, username="oluwaseun.adebayo-richardson", password=PASSWORD)
        person_add_without_email(full_name="Jo Night", roles=["leader"], by=admin)  # not joined yet
    problems: list[str] = []

    context = browser.new_context(**browser_context_args)
    visitor = Checker(context, "visitor")
    visitor.visit("join", live_url("alpha", "/join/"))
    visitor.submit_empty("join", live_url("alpha", "/join/"), "Join Alpha Care")
    problems += visitor.problems
    context.close()

    context = browser.new_context(**browser_context_args)
    checker = Checker(context, "admin")
    checker.sign_in(live_url("alpha", "/accounts/login/"), "ada@example.org")
    for label, path in {"add without email": "/manage/people/add/", "people": "/manage/people/",
                        "member without email": f"/manage/people/{person.pk}/",
                        "invitations": "/manage/invitations/"}.items():
        checker.visit(label, live_url("alpha", path))
    checker.submit_empty("add without email", live_url("alpha", "/manage/people/add/"),
                         "Add them and make a join code")
    # The slip answers the POST that made the code: check it where it appears.
    page = checker.page
    page.set_viewport_size(PHONE)
    page.goto(live_url("alpha", "/manage/people/add/"))
    page.get_by_label("Name").fill("Kit Evans")
    page.get_by_role("button", name="Add them and make a join code").click()
    page.locator(".slip-code").wait_for()
    checker._check("slip", page.url, PHONE["width"])
    page.set_viewport_size(NARROWEST)
    if page.evaluate("document.documentElement.scrollWidth") > NARROWEST["width"]:
        checker.problems.append("admin slip at 320px: scrolls sideways")
    page.set_viewport_size(DESKTOP)
    checker._check("slip", page.url, DESKTOP["width"])
    problems += checker.problems
    context.close()

    context = browser.new_context(**browser_context_args)
    checker = Checker(context, "no-email person")
    checker.sign_in(live_url("alpha", "/accounts/login/"), "oluwaseun.adebayo-richardson")
    for label, path in {"home": "/", "prompts": "/journal/prompts/", "password change": "/accounts/password/change/",
                        "digest": "/mentoring/digest/", "mentoring": "/mentoring/"}.items():
        checker.visit(label, live_url("alpha", path))
    problems += checker.problems
    context.close()

    assert problems == [], "\n" + "\n".join(problems)
