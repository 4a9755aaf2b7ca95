"""An admin invites a mentor, the mentor accepts in a second browser, the admin pairs them. Every page axe-clean."""

from __future__ import annotations

import time

from django.core import mail
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD, make_person
from tests.e2e.conftest import serious_violations
from tests.people.conftest import accept_links, path_of


def wait_for_mail(count: int, to: str | None = None) -> list:
    def matching() -> list:
        return [message for message in mail.outbox if to is None or message.to == [to]]

    deadline = time.monotonic() + 15
    while len(matching()) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return matching()


def test_invite_accept_and_pair(
    page: Page, browser: Browser, browser_context_args: dict, live_url, celery_worker, alpha
):
    make_person(alpha, ["admin", "leader"], name="Ada Lovelace", email="ada@example.org")

    page.goto(live_url("alpha", "/accounts/login/"))
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ada")
    expect(page.get_by_role("heading", name="Getting your organisation started")).to_be_visible()
    page.screenshot(path="/tmp/people-home-admin.png", full_page=True)
    assert serious_violations(page) == []

    page.get_by_role("link", name="Manage", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Manage")
    page.screenshot(path="/tmp/people-manage.png", full_page=True)
    assert serious_violations(page) == []

    page.get_by_role("navigation", name="Manage").get_by_role("link", name="Invitations").click()
    page.get_by_label("Name").fill("Mina Patel")
    page.get_by_role("textbox", name="Email address").fill("mina@example.org")
    page.get_by_label("Leader – learns and keeps a journal").uncheck()
    page.get_by_label("Mentor – supports leaders they are paired with").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to mina@example.org.")).to_be_visible()
    wait_for_mail(1)
    page.reload()
    page.screenshot(path="/tmp/people-invitations.png", full_page=True)
    assert serious_violations(page) == []
    [link] = accept_links()

    # The invited mentor, in a browser of their own.
    other = browser.new_context(**browser_context_args)
    mentor_page = other.new_page()
    mentor_page.goto(live_url("alpha", path_of(link)))
    expect(mentor_page.get_by_role("heading", level=1)).to_have_text("Join Alpha Care")
    expect(mentor_page.get_by_label("Your name")).to_have_value("Mina Patel")
    mentor_page.screenshot(path="/tmp/people-accept.png", full_page=True)
    assert serious_violations(mentor_page) == []
    mentor_page.get_by_label("Choose a password").fill("calm-river-stones-7")
    mentor_page.get_by_label("Type the password again").fill("calm-river-stones-7")
    mentor_page.get_by_role("button", name="Join Alpha Care").click()
    expect(mentor_page.get_by_role("heading", level=1)).to_have_text("Hello, Mina")
    expect(mentor_page.get_by_text("Nobody is paired with you as their mentor yet.")).to_be_visible()

    # The admin pairs them.
    page.goto(live_url("alpha", "/manage/pairings/"))
    page.get_by_label("Leader", exact=True).select_option(label="Ada Lovelace")
    page.get_by_label("Mentor", exact=True).select_option(label="Mina Patel (no leaders yet)")
    page.get_by_role("button", name="Pair them").click()
    expect(page.get_by_text("Mina Patel now mentors Ada Lovelace.")).to_be_visible()
    page.screenshot(path="/tmp/people-pairings.png", full_page=True)
    assert serious_violations(page) == []

    mentor_page.reload()
    expect(mentor_page.get_by_text("You mentor:")).to_be_visible()
    expect(mentor_page.locator(".people-list")).to_contain_text("Ada Lovelace")
    mentor_page.screenshot(path="/tmp/people-home-mentor.png", full_page=True)
    assert serious_violations(mentor_page) == []

    page.goto(live_url("alpha", "/manage/people/"))
    expect(page.get_by_role("link", name="Mina Patel")).to_be_visible()
    page.screenshot(path="/tmp/people-members.png", full_page=True)
    assert serious_violations(page) == []
    other.close()


def test_manage_and_account_pages_fit_a_phone_and_are_accessible(page: Page, live_url, alpha):
    make_person(alpha, ["admin", "leader", "mentor"], name="Ada Lovelace", email="ada@example.org")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_url("alpha", "/accounts/login/"))
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ada")
    pages = {
        "home": "/", "manage": "/manage/", "members": "/manage/people/", "invitations": "/manage/invitations/",
        "upload": "/manage/invitations/upload/", "pairings": "/manage/pairings/", "settings": "/manage/settings/",
        "password": "/accounts/password/change/", "email": "/accounts/email/", "mfa": "/accounts/2fa/",
        "sessions": "/accounts/sessions/",
    }
    for name, path in pages.items():
        page.goto(live_url("alpha", path))
        page.screenshot(path=f"/tmp/people-phone-{name}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        assert serious_violations(page) == [], path


def test_two_step_set_up_page_is_accessible(page: Page, live_url, alpha):
    make_person(alpha, ["admin", "leader"], name="Ada Lovelace", email="ada@example.org")
    page.goto(live_url("alpha", "/accounts/login/"))
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_url("alpha", "/accounts/2fa/totp/activate/"))
    page.screenshot(path="/tmp/people-reauth.png", full_page=True)
    assert serious_violations(page) == []
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button").filter(has_text="Confirm").click()
    expect(page.locator("img.qr-code")).to_be_visible()
    page.screenshot(path="/tmp/people-mfa-activate.png", full_page=True)
    assert serious_violations(page) == []
    page.goto(live_url("alpha", "/accounts/password/reset/"))
    page.screenshot(path="/tmp/people-password-reset.png", full_page=True)
    assert serious_violations(page) == []


def test_csv_report_and_member_page_look_right(page: Page, live_url, alpha, tmp_path):
    make_person(alpha, ["admin", "leader"], name="Ada Lovelace", email="ada@example.org")
    make_person(alpha, ["mentor"], name="Mo Mentor", email="mo@example.org")
    page.goto(live_url("alpha", "/accounts/login/"))
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    csv_file = tmp_path / "team.csv"
    csv_file.write_text(
        "name,email,roles\nPriya Shah,priya@example.org,leader\nTom Okafor,tom@example.org,leader;mentor\n"
        "Mo Mentor,mo@example.org,mentor\nBad,not-an-email,leader\nOdd,odd@example.org,manager\n"
    )
    page.goto(live_url("alpha", "/manage/invitations/upload/"))
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Upload and invite").click()
    expect(page.get_by_role("heading", name="What happened")).to_be_visible()
    expect(page.locator(".report-summary")).to_contain_text("2 invited")
    page.screenshot(path="/tmp/people-csv-report.png", full_page=True)
    assert serious_violations(page) == []

    page.goto(live_url("alpha", "/manage/people/"))
    page.get_by_role("link", name="Mo Mentor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mo Mentor")
    page.get_by_role("button", name="Deactivate Mo").click()
    expect(page.get_by_text("Mo Mentor has been deactivated and signed out everywhere.")).to_be_visible()
    page.screenshot(path="/tmp/people-member.png", full_page=True)
    assert serious_violations(page) == []


def test_a_new_organisation_signs_up_invites_a_mentor_who_accepts_and_is_paired(
    page: Page, browser: Browser, browser_context_args: dict, live_url, live_server_port, celery_worker,
    settings, monkeypatch, django_db_blocker,
):
    """The whole journey of the issue: sign up, invite, accept in a second browser, pair."""
    from django.db import connection

    from tenants import services as tenant_services
    from tenants.models import Organisation

    settings.SITE_PORT = str(live_server_port)  # links in emails carry the live server's port
    monkeypatch.setattr(tenant_services, "spare_pool_refill_soon", lambda: None)
    tenant_services.spare_pool_refill(size=1)
    try:
        page.goto(live_url(None, "/signup/"))
        page.get_by_label("Organisation name").fill("Rowan House")
        page.get_by_label("Web address").fill("rowan-house")
        page.get_by_label("Your name").fill("Rae Okoro")
        page.get_by_label("Your email address").fill("rae@rowan.example")
        page.get_by_label("Choose a password").fill("kind-hearted-lantern-73")
        page.get_by_label("I agree to Heartwood's terms of use").check()
        page.get_by_role("button", name="Create our space").click()
        expect(page).to_have_url(live_url("rowan-house", "/welcome/"))

        page.goto(live_url("rowan-house", "/manage/invitations/"))
        page.get_by_label("Name").fill("Sol Mentor")
        page.get_by_role("textbox", name="Email address").fill("sol@rowan.example")
        page.get_by_label("Leader – learns and keeps a journal").uncheck()
        page.get_by_label("Mentor – supports leaders they are paired with").check()
        page.get_by_role("button", name="Send invitation").click()
        expect(page.get_by_text("Invitation sent to sol@rowan.example.")).to_be_visible()
        [link] = accept_links(wait_for_mail(1, to="sol@rowan.example"))
        assert link.startswith(live_url("rowan-house", "/invitations/"))

        other = browser.new_context(**browser_context_args)
        mentor_page = other.new_page()
        mentor_page.goto(link)
        mentor_page.get_by_label("Choose a password").fill("quiet-orchard-path-5")
        mentor_page.get_by_label("Type the password again").fill("quiet-orchard-path-5")
        mentor_page.get_by_role("button", name="Join Rowan House").click()
        expect(mentor_page.get_by_role("heading", level=1)).to_have_text("Hello, Sol")

        page.goto(live_url("rowan-house", "/manage/pairings/"))
        page.get_by_label("Leader", exact=True).select_option(label="Rae Okoro")
        page.get_by_label("Mentor", exact=True).select_option(label="Sol Mentor (no leaders yet)")
        page.get_by_role("button", name="Pair them").click()
        expect(page.get_by_text("Sol Mentor now mentors Rae Okoro.")).to_be_visible()
        assert serious_violations(page) == []

        mentor_page.reload()
        expect(mentor_page.locator(".people-list")).to_contain_text("Rae Okoro")
        page.goto(live_url("rowan-house", "/"))
        expect(page.locator(".people-list")).to_contain_text("Sol Mentor")
        other.close()
    finally:
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            for spare in Organisation.objects.filter(kind=Organisation.Kind.SPARE):
                spare.delete(force_drop=True)
