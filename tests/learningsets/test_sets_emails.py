"""The sets' emails go through a real Celery worker, carrying only a row's id: the invitation to a set, each
meeting's invitation with its calendar file, the reminder the day before (exactly once per person and meeting,
however often the beat runs) and the presenter's report-back reminder (once), none of them with anything said in
the set; and the beat sends what was never queued."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from learningsets import emails, services, tasks
from learningsets.models import Meeting, MeetingEmail, SetMember
from tests.conftest import make_person, worker_drained

MARKER = "MARKERsaidintheroom"


def _sent(*, subject: str = "") -> list:
    """What the worker sent once it has run every task queued so far (nothing more can arrive)."""
    worker_drained()
    return [m for m in mail.outbox if subject in m.subject]


def _set(alpha):
    admin = make_person(alpha, ["admin"], name="Ada Admin", email="ada@example.org")
    facilitator = make_person(alpha, ["leader"], name="Priya Facilitator", email="priya@example.org")
    members = [make_person(alpha, ["leader"], name=f"Member {n}", email=f"member{n}@example.org") for n in range(4)]
    with tenant_context(alpha):
        learning_set = services.set_create(by=admin, name="Larch House set", facilitator=facilitator, members=members)
    return learning_set, facilitator, members


def test_invitations_reminders_and_the_report_back_go_once_through_a_real_worker(celery_worker, alpha):
    mail.outbox.clear()
    learning_set, facilitator, members = _set(alpha)
    invitations = _sent(subject="invited to an action learning set")
    assert sorted(m.to[0] for m in invitations) == sorted(
        ["priya@example.org"] + [f"member{n}@example.org" for n in range(4)]
    )
    assert f"/sets/{learning_set.pk}/" in invitations[0].body
    with tenant_context(alpha):
        for person in [facilitator, *members]:
            place = SetMember.objects.get(learning_set=learning_set, user=person)
            services.place_accept(place=place, user=person)
        # A meeting held last month, where Member 0 presented and committed to an action.
        last = services.meeting_book(learning_set=learning_set, by=facilitator, presenter=members[0],
                                     starts_at=timezone.now() - timedelta(days=28), allow_past=True)
        Meeting.objects.filter(pk=last.pk).update(action=f"Talk to nights {MARKER}", action_recorded_at=timezone.now())
        # The next one, the day after tomorrow; Member 1 posts a brief.
        meeting = services.meeting_book(learning_set=learning_set, by=facilitator, presenter=members[1],
                                        starts_at=timezone.now() + timedelta(hours=30))
        services.brief_post(meeting=meeting, by=members[1], text=f"Rotas {MARKER}")
    invites = _sent(subject="meets on")
    assert len(invites) == 5  # the past meeting's invitations were never sent
    ics = [a for a in invites[0].attachments if a[0] == "meeting.ics"]
    assert ics and b"learningset-meeting-" in (ics[0][1] if isinstance(ics[0][1], bytes) else ics[0][1].encode())
    mail.outbox.clear()

    # Too early: nothing. Then the beat runs three times inside the last day: one reminder each, and one nudge.
    with tenant_context(alpha):
        assert emails.sets_tick(now=timezone.now())["reminders"] == 0
        later = timezone.now() + timedelta(hours=7)
        recorded = [emails.sets_tick(now=later + timedelta(minutes=5 * n))["reminders"] for n in range(3)]
    assert recorded == [6, 0, 0]
    reminders = _sent(subject="Tomorrow")
    nudges = _sent(subject="how did your action go")
    assert sorted(m.to[0] for m in reminders) == sorted(
        ["priya@example.org"] + [f"member{n}@example.org" for n in range(4)]
    )
    assert [m.to[0] for m in nudges] == ["member0@example.org"]
    for message in reminders + nudges + invites:
        assert MARKER not in message.body and MARKER not in message.subject
        assert "Member 1" not in message.body  # not even who presents
    with tenant_context(alpha):
        rows = MeetingEmail.objects.filter(meeting=meeting, kind__in=["reminder", "report_back"])
        assert rows.count() == 6 and not rows.filter(sent_at__isnull=True).exists()
        # A task run again for a sent row sends nothing.
        assert emails.meeting_email_send(rows.first().pk) is False
    assert len(_sent(subject="Tomorrow")) == 5


def test_the_beat_sends_what_was_never_queued(celery_worker, alpha, monkeypatch):
    mail.outbox.clear()
    learning_set, facilitator, members = _set(alpha)
    _sent(subject="invited")
    with tenant_context(alpha):
        for person in [facilitator, *members]:
            services.place_accept(place=SetMember.objects.get(learning_set=learning_set, user=person), user=person)
        # Redis is down while the meeting is booked: nothing is queued, the rows wait.
        monkeypatch.setattr(tasks.meeting_email_send, "delay", lambda *args, **kwargs: None)
        services.meeting_book(learning_set=learning_set, by=facilitator, starts_at=timezone.now() + timedelta(days=9))
        monkeypatch.undo()
        assert MeetingEmail.objects.filter(sent_at__isnull=True).count() == 5
        assert emails.sets_tick()["relayed"] == 0  # queued a moment ago: left to the message in flight
        MeetingEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
        assert emails.sets_tick()["relayed"] == 5
    assert len(_sent(subject="meets on")) == 5
