"""The notification email goes through a real Celery worker, in the organisation it was sent from, carrying
only an id: the message has a link and no journal text."""

from __future__ import annotations

import time

from django.core import mail
from django_tenants.utils import tenant_context

from reflections.models import Notification
from reflections.services.conversations import comment_create
from reflections.services.journal import entry_create
from reflections.services.sharing import entry_share
from tests.conftest import make_person
from tests.reflections.conftest import pair


def _wait_for_mail_to(address: str) -> None:
    deadline = time.monotonic() + 15
    while not any(m.to == [address] for m in mail.outbox) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_reply_emails_the_author_through_a_real_worker(celery_worker, alpha, monkeypatch):
    from reflections import tasks

    sent_args: list[tuple] = []
    original = tasks.notification_email_send.apply_async

    def spy(args=None, kwargs=None, **options):
        sent_args.append((args, kwargs))
        return original(args, kwargs, **options)

    monkeypatch.setattr(tasks.notification_email_send, "apply_async", spy)
    leader = make_person(alpha, ["leader"], name="Lee Leader", email="lee@example.org")
    mentor = make_person(alpha, ["mentor"], name="Mo Mentor", email="mo@example.org")
    pair(alpha, leader, mentor)
    mail.outbox.clear()
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="TOPSECRET title", template="free",
                                      fields={"body": "TOPSECRET body"})
        entry_share(entry=entry, author=leader, mentor=mentor)
        sent_args.clear()
        comment_create(entry=entry, author=mentor, body="TOPSECRET reply")  # autocommit: queued at once
        notification = Notification.objects.get(recipient=leader)
    _wait_for_mail_to("lee@example.org")
    assert sent_args == [((notification.pk,), {})]  # the id, nothing else
    [message] = [m for m in mail.outbox if m.to == ["lee@example.org"]]
    assert "Mo Mentor replied in a conversation" in message.subject
    assert "TOPSECRET" not in message.subject + message.body
    assert f"/notifications/{notification.pk}/" in message.body and "alpha.localhost" in message.body
