"""Mentor digests: one calm email instead of one per event, naming mentees and never what they wrote; sent
once per period however many dispatchers run; mentors choose daily, weekly or off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django_tenants.utils import tenant_context

from reflections import digests
from reflections.models import MentorDigest
from reflections.services.conversations import comment_create
from reflections.services.journal import entry_create
from reflections.services.prompts import digest_update
from reflections.services.sharing import entry_share
from tests.conftest import client_for, make_person
from tests.reflections.conftest import pair

pytestmark = pytest.mark.django_db


def _shared_entry(alpha, leader, mentor, marker: str):
    with tenant_context(alpha):
        entry = entry_create(author=leader, title=f"Title {marker}", template="free",
                                      fields={"body": f"Body {marker}"})
        entry_share(entry=entry, author=leader, mentor=mentor)
        comment_create(entry=entry, author=leader, body=f"Reply {marker}", mentor=mentor)
    return entry


def _next_noon() -> datetime:
    now = datetime.now(UTC)
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    return noon if noon > now else noon + timedelta(days=1)


def test_daily_digest_names_mentees_and_holds_no_content(alpha):
    leader = make_person(alpha, ["leader"], name="Sam Okafor")
    mentor = make_person(alpha, ["mentor"], email="mentor@example.org")
    pair(alpha, leader, mentor, starts_on=datetime.now(UTC).date() - timedelta(days=30))
    _shared_entry(alpha, leader, mentor, "SECRET-MARKER-1")
    noon = _next_noon()
    mail.outbox.clear()
    with tenant_context(alpha):
        assert digests.digests_due_send(now=noon.replace(hour=6)) == 0  # before 08:00 local (London) nothing goes
        assert digests.digests_due_send(now=noon) == 1
    (message,) = mail.outbox
    assert message.to == ["mentor@example.org"]
    assert "Sam Okafor" in message.body
    html = message.alternatives[0][0]
    assert "SECRET-MARKER-1" not in message.body + html + message.subject


def test_digest_goes_once_per_day_however_often_the_dispatcher_runs(alpha):
    leader = make_person(alpha, ["leader"], name="Ali Shah")
    mentor = make_person(alpha, ["mentor"], email="m2@example.org")
    pair(alpha, leader, mentor, starts_on=datetime.now(UTC).date() - timedelta(days=30))
    _shared_entry(alpha, leader, mentor, "X")
    now = _next_noon()
    mail.outbox.clear()
    with tenant_context(alpha):
        assert digests.digests_due_send(now=now) == 1
        assert digests.digests_due_send(now=now + timedelta(minutes=1)) == 0
        assert digests.digests_due_send(now=now + timedelta(hours=5)) == 0
        # Nothing new the next day: no empty digest.
        assert digests.digests_due_send(now=now + timedelta(days=1)) == 0
    body = mail.outbox[0].body
    assert "Ali Shah: shared 1 entry with you, 1 reply in your conversations" in body


def test_weekly_and_off(alpha):
    leader = make_person(alpha, ["leader"])
    weekly = make_person(alpha, ["mentor"], email="weekly@example.org")
    off = make_person(alpha, ["mentor"], email="off@example.org")
    for mentor in (weekly, off):
        pair(alpha, leader, mentor, starts_on=datetime.now(UTC).date() - timedelta(days=30))
        _shared_entry(alpha, leader, mentor, "W")
    with tenant_context(alpha):
        digest_update(mentor=weekly, frequency="weekly")
        digest_update(mentor=off, frequency="off")
    next_monday = datetime.now(UTC).replace(hour=10, minute=0) + timedelta(days=7 - datetime.now(UTC).weekday())
    mail.outbox.clear()
    with tenant_context(alpha):
        assert digests.digests_due_send(now=next_monday + timedelta(days=1)) == 0  # a Tuesday
        assert digests.digests_due_send(now=next_monday) == 1
    assert [m.to for m in mail.outbox] == [["weekly@example.org"]]


def test_mentor_chooses_their_digest_and_no_one_else_can(alpha, alpha_people):
    mentor = client_for(alpha, alpha_people.mentor)
    assert mentor.get("/mentoring/digest/").status_code == 200
    assert mentor.post("/mentoring/digest/", {"frequency": "weekly"}).status_code == 302
    with tenant_context(alpha):
        assert MentorDigest.objects.get(mentor=alpha_people.mentor).frequency == "weekly"
    assert client_for(alpha, alpha_people.leader).get("/mentoring/digest/").status_code == 404


def test_mentors_get_no_email_per_event_but_authors_do(alpha):
    leader = make_person(alpha, ["leader"], email="author@example.org")
    mentor = make_person(alpha, ["mentor"], email="mentor3@example.org")
    pair(alpha, leader, mentor, starts_on=datetime.now(UTC).date() - timedelta(days=1))
    from reflections.models import Notification

    entry = _shared_entry(alpha, leader, mentor, "Y")
    with tenant_context(alpha):
        comment_create(entry=entry, author=mentor, body="Thanks")
        to_mentor = Notification.objects.filter(recipient=mentor)
        to_author = Notification.objects.filter(recipient=leader)
        assert to_mentor.exists() and not to_mentor.filter(email_due=True).exists()
        assert to_author.filter(email_due=True).exists()
