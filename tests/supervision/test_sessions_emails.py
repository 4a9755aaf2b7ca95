"""Supervision's emails through a real Celery worker: the invitation to both with its calendar file, and the
content-free reminder the day before, from 9:00 in the organisation's time zone, exactly once per person and
session however often the beat runs; rows never queued are relayed."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from supervision import emails
from supervision.models import SessionEmail
from supervision.services import sessions as services
from supervision.tasks import tick
from tests.conftest import make_person, worker_drained


def _sent() -> list:
    """What the worker sent once it has run every task queued so far (nothing more can arrive)."""
    worker_drained()
    return list(mail.outbox)


def test_invitations_and_one_reminder_through_a_real_worker(celery_worker, alpha):
    sue = make_person(alpha, ["leader"], name="Sue Supervisee", email="sue@example.org")
    sid = make_person(alpha, ["leader"], name="Sid Supervisor", email="sid@example.org")
    london = ZoneInfo("Europe/London")
    # Tomorrow at 10:00 in the organisation's time zone.
    starts = datetime.combine(timezone.localtime(timezone.now(), london).date() + timedelta(days=1),
                              datetime.min.time().replace(hour=10), london)
    mail.outbox.clear()
    with tenant_context(alpha):
        relationship = services.relationship_create(supervisor=sid, supervisee=sue)
        session = services.session_schedule(relationship=relationship, by=sid, starts_at=starts, place="Room 2")
        services.agenda_add(session=session, by=sue, text="SECRET-AGENDA about nights")
    invitations = _sent()
    assert sorted(m.to[0] for m in invitations) == ["sid@example.org", "sue@example.org"]
    [to_sue] = [m for m in invitations if m.to == ["sue@example.org"]]
    assert to_sue.subject.startswith("Supervision with Sid Supervisor on ")
    assert "10:00" in to_sue.subject and f"/supervision/sessions/{session.pk}/" in to_sue.body
    [(name, ics, mimetype)] = to_sue.attachments
    assert name == "invite.ics" and "method=REQUEST" in mimetype
    ics = ics if isinstance(ics, str) else ics.decode()
    assert f"UID:{session.uid}@heartwood" in ics and "METHOD:REQUEST" in ics

    # Before 9:00 the day before, the beat makes no reminder; from 9:00 it makes one each, once.
    eight = datetime.combine(starts.date() - timedelta(days=1), datetime.min.time().replace(hour=8), london)
    nine = eight + timedelta(hours=1, minutes=5)
    mail.outbox.clear()
    with tenant_context(alpha):
        assert emails.supervision_tick(eight)["supervision_emails"] == 0
        assert emails.supervision_tick(nine)["supervision_emails"] == 2
    reminders = _sent()
    with tenant_context(alpha):
        assert emails.supervision_tick(nine + timedelta(minutes=5))["supervision_emails"] == 0
        tick.delay()  # the beat's task itself, on the worker: nothing is due twice
    assert sorted(m.to[0] for m in reminders) == ["sid@example.org", "sue@example.org"]
    for message in reminders:
        assert message.subject.startswith("Tomorrow: supervision with")
        assert "SECRET-AGENDA" not in message.body and not message.attachments
    with tenant_context(alpha):
        assert SessionEmail.objects.filter(kind="reminder").count() == 2
        assert not SessionEmail.objects.filter(sent_at__isnull=True).exists()
        assert emails.supervision_tick(nine + timedelta(hours=3))["supervision_emails"] == 0
    assert len(_sent()) == 2


def test_emails_never_queued_are_relayed(celery_worker, alpha, monkeypatch):
    sue = make_person(alpha, ["leader"], email="sue2@example.org")
    sid = make_person(alpha, ["leader"], email="sid2@example.org")
    monkeypatch.setattr(emails.session_email_send, "delay", lambda pk: None)  # Redis was down
    mail.outbox.clear()
    with tenant_context(alpha):
        relationship = services.relationship_create(supervisor=sid, supervisee=sue)
        services.session_schedule(relationship=relationship, by=sid,
                                  starts_at=timezone.now() + timedelta(days=5))
        SessionEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    monkeypatch.undo()
    with tenant_context(alpha):
        assert emails.supervision_tick()["supervision_emails"] == 2
    assert sorted(m.to[0] for m in _sent()) == ["sid2@example.org", "sue2@example.org"]
    with tenant_context(alpha):
        assert emails.supervision_tick()["supervision_emails"] == 0
