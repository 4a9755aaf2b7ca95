"""A newcomer follows the whole way in, in Chromium, with nothing but the local inbox of `make run`: a manager
signs up "Willowbrook Care", confirms their address from the inbox, invites a leader, and the leader accepts the
invitation from the inbox and lands signed in. No logs read, no database touched by hand."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import serious_violations
from tests.e2e.test_signup import no_spares, signup_site  # noqa: F401 - fixtures used by name

FIRST = "Willowbrook"
SUBDOMAIN = "willowbrook"


def _open_link_from_inbox(page: Page, inbox_url: str, pattern: str, timeout: float = 20.0) -> str:
    """Refresh the inbox until a message carries a link matching `pattern` (the worker may still be sending)."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(inbox_url)
        links = page.locator(f"main a[href*='{pattern}']")
        if links.count() or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert links.count(), f"no email with a {pattern} link reached the inbox"
    return links.first.get_attribute("href")


def test_sign_up_confirm_invite_and_accept_with_the_local_inbox(
    page: Page, browser: Browser, browser_context_args: dict, signup_site, local_inbox, celery_worker  # noqa: F811
):
    inbox_url = signup_site(None, "/inbox/")

    # The manager signs Willowbrook Care up.
    page.goto(signup_site(None, "/signup/"))
    page.get_by_label("Organisation name").fill(f"{FIRST} Care")
    page.get_by_label("Web address").fill(SUBDOMAIN)
    page.get_by_label("Your name").fill("Rosa Mendes")
    page.get_by_label("Your email address").fill("rosa@willowbrook.example")
    page.get_by_label("Choose a password").fill("steady-harbour-lights-58")
    page.get_by_label("I agree to Heartwood's terms of use").check()
    page.get_by_role("button", name="Create our space").click()
    expect(page).to_have_url(signup_site(SUBDOMAIN, "/welcome/"))

    # The confirmation email is waiting in the local inbox, its link working.
    page.goto(inbox_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Local inbox")
    expect(page.get_by_role("link", name="Heartwood: Please confirm your email address")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path="/tmp/newcomer-inbox.png", full_page=True)
    confirm = _open_link_from_inbox(page, inbox_url, "/accounts/confirm-email/")
    assert confirm.startswith(signup_site(SUBDOMAIN, "/accounts/confirm-email/"))
    page.goto(confirm)  # one click: the page sends its confirmation itself (static/js/confirm-email.js)
    expect(page.get_by_text(re.compile("confirmed", re.I)).first).to_be_visible()

    # She invites a leader; the worker sends the invitation into the same inbox.
    page.goto(signup_site(SUBDOMAIN, "/manage/invitations/"))
    page.get_by_label("Name").fill("Ravi Okafor")
    page.get_by_role("textbox", name="Email address").fill("ravi@willowbrook.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to ravi@willowbrook.example.")).to_be_visible()
    invitation = _open_link_from_inbox(page, inbox_url, "/invitations/")
    assert invitation.startswith(signup_site(SUBDOMAIN, "/invitations/"))

    # Ravi, in a browser of his own, follows the link from the email and joins.
    own = browser.new_context(**browser_context_args)
    ravi = own.new_page()
    ravi.goto(invitation)
    expect(ravi.get_by_role("heading", level=1)).to_have_text(f"Join {FIRST} Care")
    ravi.get_by_label("Choose a password").fill("quiet-meadow-river-31")
    ravi.get_by_label("Type the password again").fill("quiet-meadow-river-31")
    ravi.get_by_role("button", name=f"Join {FIRST} Care").click()
    expect(ravi.get_by_role("heading", level=1)).to_have_text("Hello, Ravi")
    ravi.screenshot(path="/tmp/newcomer-ravi-home.png", full_page=True)
    own.close()
