"""People without an email address hear from Heartwood inside Heartwood only: their prompts are in-app whatever the
rhythm says, replies to their entries make a notice and no email, mentors without an address get no digest, and
the prompt and digest pages offer no email."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from people.join_codes import join_code_redeem, person_add_without_email
from reflections import digests, prompt_delivery
from reflections.models import MentorDigest, Notification, PromptChannel, PromptDefaults, PromptDelivery, PromptSchedule
from reflections.services.conversations import comment_create
from reflections.services.journal import entry_create
from reflections.services.prompts import rhythm_update
from reflections.services.sharing import entry_share
from tests.conftest import client_for, make_person
from tests.reflections.conftest import pair

pytestmark = pytest.mark.django_db

THURSDAY_17_LONDON = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)


def without_email(org, roles: list[str], name: str, username: str):
    admin = make_person(org, ["admin"], name=f"Admin for {name}")
    with tenant_context(org):
        person, issued = person_add_without_email(full_name=name, roles=roles, by=admin)
        return join_code_redeem(code=issued.code, username=username, password="quiet-harbour-lanterns-8")


def test_prompts_are_in_app_for_people_without_email_whatever_their_rhythm_says(alpha):
    jo = without_email(alpha, ["leader"], "Jo Night", "jo.night")
    lee = make_person(alpha, ["leader"], email="lee@example.org")
    with tenant_context(alpha):
        PromptDefaults.objects.update_or_create(id=1, defaults={
            "frequency": "weekly", "weekday": 3, "local_time": time(17, 0), "channel": PromptChannel.BOTH,
        })
        # Jo's own rhythm row asking for email (as one written before the rule, or by hand) is overruled too.
        PromptSchedule.objects.create(user=jo, frequency="weekly", weekday=3, local_time=time(17, 0),
                                      time_zone="Europe/London", channel=PromptChannel.EMAIL, anchor=date(2026, 11, 2))
        new = prompt_delivery.deliveries_record(now=THURSDAY_17_LONDON)
        assert {user for _, user in new} == {jo.pk, lee.pk}
        jo_delivery = PromptDelivery.objects.get(user=jo)
        assert jo_delivery.channel == PromptChannel.APP and jo_delivery.shows_in_app
        assert jo_delivery.email_status == PromptDelivery.EmailStatus.NONE
        prompt_delivery.prompts_choose(new)
        mail.outbox.clear()
        assert prompt_delivery.prompt_emails_send(delivery_ids=[pk for pk, _ in new], base_url="http://x") == (1, 0)
    assert [message.to for message in mail.outbox] == [["lee@example.org"]]


def test_a_delivery_waiting_for_email_is_never_sent_to_someone_with_no_address(alpha):
    jo = without_email(alpha, ["leader"], "Jo Night", "jo.night")
    with tenant_context(alpha):
        delivery = PromptDelivery.objects.create(
            user=jo, slot=timezone.now(), channel=PromptChannel.BOTH, email_status=PromptDelivery.EmailStatus.PENDING
        )
        mail.outbox.clear()
        assert prompt_delivery.prompt_emails_send(delivery_ids=[delivery.pk], base_url="http://x") == (0, 0)
        delivery.refresh_from_db()
        assert delivery.email_status == PromptDelivery.EmailStatus.NONE
    assert mail.outbox == []


def test_the_rhythm_page_offers_no_email_and_the_service_keeps_it_in_app(alpha):
    jo = without_email(alpha, ["leader"], "Jo Night", "jo.night")
    client = client_for(alpha, jo)
    page = client.get("/journal/prompts/").content.decode()
    assert 'value="app"' in page and 'value="email"' not in page and 'value="both"' not in page
    response = client.post("/journal/prompts/", {
        "frequency": "weekly", "weekday": "3", "local_time": "17:00", "time_zone": "", "channel": "email",
        "paused_until": "",
    })
    assert response.status_code == 200  # "email" is not a choice for Jo
    with tenant_context(alpha):
        assert not PromptSchedule.objects.filter(user=jo).exists()
        schedule = rhythm_update(user=jo, frequency="weekly", weekday=3, local_time=time(17, 0), time_zone="",
                                 channel=PromptChannel.BOTH)
        assert schedule.channel == PromptChannel.APP
    lee = make_person(alpha, ["leader"])
    assert 'value="email"' in client_for(alpha, lee).get("/journal/prompts/").content.decode()


def test_replies_to_their_entries_are_notices_without_email(alpha):
    jo = without_email(alpha, ["leader"], "Jo Night", "jo.night")
    mentor = make_person(alpha, ["mentor"], name="Mo Mentor")
    pair(alpha, jo, mentor, starts_on=timezone.localdate() - timedelta(days=3))
    with tenant_context(alpha):
        entry = entry_create(author=jo, title="Night shift", template="free", fields={"body": "Long night."})
        entry_share(entry=entry, author=jo, mentor=mentor)
        mail.outbox.clear()
        comment_create(entry=entry, author=mentor, body="How are you now?")
        notice = Notification.objects.get(recipient=jo)
        assert notice.email_due is False
    assert mail.outbox == []


def test_mentors_without_email_get_no_digest_and_the_page_says_so(alpha):
    leader = make_person(alpha, ["leader"], name="Sam Okafor")
    mentor = without_email(alpha, ["mentor"], "Mo Night", "mo.night")
    pair(alpha, leader, mentor, starts_on=timezone.localdate() - timedelta(days=30))
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="T", template="free", fields={"body": "B"})
        entry_share(entry=entry, author=leader, mentor=mentor)
        MentorDigest.objects.create(mentor=mentor, frequency="daily")  # chosen before, or written by hand
        mail.outbox.clear()
        noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=1)
        assert digests.digests_due_send(now=noon) == 0
    assert mail.outbox == []
    page = client_for(alpha, mentor).get("/mentoring/digest/").content.decode()
    assert "no email digest" in page and 'name="frequency"' not in page
