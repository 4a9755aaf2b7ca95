from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, make_person
from tests.e2e.conftest import serious_violations


def test_landing_page_is_accessible(page: Page, live_url):
    page.goto(live_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("compassionate leaders")
    assert serious_violations(page) == []


def test_sign_in_to_an_organisation_and_see_home(page: Page, live_url, alpha):
    person = make_person(alpha, ["leader"], name="Jo Rivers", email="jo@example.org")
    page.goto(live_url("alpha", "/"))
    expect(page).to_have_url(live_url("alpha", "/accounts/login/?next=/"))
    assert serious_violations(page) == []
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Jo")
    assert serious_violations(page) == []


def test_pages_fit_a_phone(page: Page, live_url):
    page.set_viewport_size({"width": 375, "height": 740})
    for url in (live_url(), live_url("alpha", "/accounts/login/")):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
