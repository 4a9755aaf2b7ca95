"""On a 375 px phone: a leader follows a "reflect on this" link from a higher app (a test registration of
reflections.about), sees what the entry is about with its opening prompt and suggested title, writes and saves;
the entry links back. Checked with axe-core, and nothing wider than the phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from reflections.about import AboutLink, about_new_entry_url, about_register, about_unregister
from tests.conftest import make_person
from tests.e2e.conftest import serious_violations
from tests.e2e.test_journal import PHONE, sign_in


def _thing(user, pk: int) -> AboutLink | None:
    if pk != 7:
        return None
    return AboutLink(label="Your 360 of March", url="/journal/", title="What my 360 told me",
                     prompt="Where did the people you work with see you differently from how you see yourself?",
                     behaviours=("attending",))


@pytest.fixture
def registered() -> Iterator[None]:
    about_register("tests.threesixty", _thing)
    yield
    about_unregister("tests.threesixty")


def check(page: Page, name: str) -> None:
    page.screenshot(path=f"/tmp/journal-about-{name}.png", full_page=True)
    assert serious_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def test_reflect_on_this_starts_an_entry_about_it(page: Page, live_url, alpha, registered):
    leader = make_person(alpha, ["leader"], name="Jo Rivers", email="jo.about@example.org")
    page.set_viewport_size(PHONE)
    sign_in(page, live_url("alpha", "/accounts/login/?next=" + about_new_entry_url("tests.threesixty", 7)),
            leader.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("New entry")
    expect(page.get_by_role("link", name="Your 360 of March")).to_be_visible()
    expect(page.get_by_text("Where did the people you work with see you differently")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("What my 360 told me")
    expect(page.get_by_label("Attending")).to_be_checked()
    check(page, "01-new")
    page.get_by_label("Your reflection").fill("They see me rushing more than I thought.")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What my 360 told me")
    expect(page.get_by_role("link", name="Your 360 of March")).to_have_attribute("href", "/journal/")
    check(page, "02-entry")

    # A made-up one is a plain new entry: no error, no label.
    page.goto(live_url("alpha", about_new_entry_url("tests.threesixty", 8)))
    expect(page.get_by_role("heading", level=1)).to_have_text("New entry")
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.get_by_text("Your 360 of March")).to_have_count(0)
