"""Supervision in a browser, on a phone (375 px): the admin sets Priya as Sam's supervisor; Priya books a session;
Sam prepares (an agenda item), Priya writes the record, Sam agrees it and Priya agrees it too. Every page axe-clean,
no sideways scroll, no CSP refusals."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, expect

from supervision.models import Session
from tests.conftest import make_person
from tests.e2e.test_teams import PHONE, check, sign_in


def test_prepare_record_and_agree_on_a_phone(browser: Browser, browser_context_args: dict, live_url, alpha):
    make_person(alpha, ["admin"], name="Ada Admin", email="ada@example.org")
    make_person(alpha, ["admin", "leader"], name="Priya Admin", email="priya@example.org")
    make_person(alpha, ["leader"], name="Sam Leader", email="sam@example.org")

    def as_(email: str):
        context = browser.new_context(**browser_context_args, viewport=PHONE)
        page = context.new_page()
        sign_in(page, live_url("alpha", "/accounts/login/"), email)
        return page

    admin = as_("ada@example.org")
    admin.goto(live_url("alpha", "/manage/supervision/"))
    expect(admin.get_by_role("heading", level=1)).to_have_text("Supervision")
    admin.get_by_label("Who is supervised").select_option(label="Sam Leader")
    admin.get_by_label("Their supervisor").select_option(label="Priya Admin")
    admin.get_by_role("button", name="Set the supervisor").click()
    expect(admin.get_by_text("Priya Admin supervises Sam Leader from")).to_be_visible()
    check(admin)

    priya = as_("priya@example.org")
    priya.goto(live_url("alpha", "/supervision/"))
    priya.get_by_role("link", name="Sam Leader").click()
    day = timezone.localdate() + timedelta(days=3)
    priya.get_by_label("Date").fill(day.isoformat())
    priya.get_by_label("Time").fill("14:00")
    priya.get_by_label("Where").fill("The quiet room")
    check(priya)
    priya.get_by_role("button", name="Book it").click()
    expect(priya.get_by_role("heading", level=1)).to_have_text("Supervision with Sam Leader")
    check(priya)

    sam = as_("sam@example.org")
    expect(sam.get_by_text("Supervision with Priya Admin on")).to_be_visible()  # the home page
    sam.get_by_role("link", name="Add what you want to talk about").first.click()
    sam.get_by_label("What I want to talk about").fill("The night handover with agency staff")
    sam.get_by_role("button", name="Add to the agenda").click()
    expect(sam.get_by_text("The night handover with agency staff", exact=True)).to_be_visible()
    check(sam)

    # The session happens (moved into the past), and Priya writes the record.
    with tenant_context(alpha):
        session = Session.objects.get()
        Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    priya.reload()
    expect(priya.get_by_text("The night handover with agency staff", exact=True)).to_be_visible()
    record = "We talked about the handover.\nSam will try a two-minute check."
    priya.get_by_role("textbox", name="The record").fill(record)
    priya.get_by_role("button", name="Save the record").click()
    expect(priya.get_by_text("Saved as a new version")).to_be_visible()
    check(priya)

    sam.reload()
    expect(sam.locator(".record-text")).to_contain_text("We talked about the handover.")
    sam.get_by_role("button", name="I agree this record").click()
    expect(sam.get_by_text("It's agreed once you both do")).to_be_visible()
    check(sam)
    priya.reload()
    priya.get_by_role("button", name="I agree this record").click()
    expect(priya.get_by_text("You both agree the record.")).to_be_visible()
    expect(priya.get_by_text("Agreed by you both")).to_be_visible()
    expect(priya.get_by_role("link", name="Reflect on this in your journal")).to_be_visible()
    check(priya)

    admin.goto(live_url("alpha", "/manage/supervision/"))
    expect(admin.get_by_text("Agreed by both")).to_be_visible()
    assert "handover" not in admin.content()
    check(admin)
