"""The pulse's beat on a real Celery worker (`feedback.rounds_tick`, which the per-organisation fan-out runs): a
scheduled pulse opens, the content-free email arrives, the one reminder goes once, and the round closes."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from feedback.models import PulseRhythm, PulseRound, PulseSchedule, Respondent, Round
from feedback.pulse import services
from feedback.pulse.statements import STATEMENTS
from feedback.tasks import rounds_tick
from tests.conftest import worker_drained
from tests.feedback.pulse_world import answer, build_world


def _tick(alpha) -> dict[str, int]:
    with tenant_context(alpha):
        return rounds_tick.delay().get(timeout=20)


def _settle() -> None:
    """Until the worker has run every task queued so far: nothing more can arrive."""
    worker_drained()


def test_a_scheduled_pulse_opens_emails_reminds_once_and_closes_on_a_real_worker(celery_worker, alpha, beta):
    world = build_world(alpha, beta)
    with tenant_context(alpha):
        services.pulse_schedule_set(team=world.team, by=world.lead, rhythm=PulseRhythm.MONTHLY, days_open=7)
    mail.outbox.clear()

    done = _tick(alpha)
    assert done["pulse_opened"] == 1 and done["pulse_emailed"] == 6
    with tenant_context(alpha):
        pulse = PulseRound.objects.select_related("round").get(team=world.team)
        assert PulseSchedule.objects.get(team=world.team).next_opens_on > timezone.localdate()
    _settle()
    invited = {message.to[0] for message in mail.outbox}
    assert invited == {person.email for person in world.larch}
    for message in mail.outbox:
        text = message.subject + message.body
        assert "Larch House" not in text and "Night team" not in text  # no team name
        assert not any(statement.text in text for statement in STATEMENTS)  # no statement
        assert "Lena" not in text and world.marker not in text
        assert f"alpha.localhost/feedback/pulse/{pulse.round_id}/" in message.body  # one click to the answer page
        assert "anonymous" in text
    assert _tick(alpha)["pulse_emailed"] == 0  # the next beat sends nothing again
    _settle()
    assert len(mail.outbox) == 6

    # Two answer; then the round is half-way through: one reminder each to the four who have not.
    answer(alpha, pulse, world.larch[:2])
    with tenant_context(alpha):
        now = timezone.now()
        Round.objects.filter(pk=pulse.round_id).update(opened_at=now - timedelta(days=4),
                                                       closes_at=now + timedelta(days=3))
    mail.outbox.clear()
    assert _tick(alpha)["pulse_reminded"] == 4
    _settle()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in world.larch[2:])
    assert all("Larch House" not in m.subject + m.body for m in mail.outbox)
    assert _tick(alpha)["pulse_reminded"] == 0  # once
    _settle()
    assert len(mail.outbox) == 4
    with tenant_context(alpha):
        assert Round.objects.get(pk=pulse.round_id).reminded_at is not None
        assert Respondent.objects.filter(round_id=pulse.round_id, reminded_at__isnull=False).count() == 4

    # Its days are up: the beat closes it, freezing the results (three more answered, so it reached k).
    answer(alpha, pulse, world.larch[2:5])
    with tenant_context(alpha):
        Round.objects.filter(pk=pulse.round_id).update(closes_at=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    done = _tick(alpha)
    assert done["closed"] == 1 and done["pulse_reminded"] == 0 and done["pulse_emailed"] == 0
    with tenant_context(alpha):
        round_ = Round.objects.get(pk=pulse.round_id)
        assert round_.answers.count() == 0  # answers are gone once counted
    assert round_.closed_at is not None and round_.results["reached"] and round_.results["answers"] == 5
    _settle()
    assert mail.outbox == []


def test_people_without_an_email_address_are_asked_in_the_app_only(celery_worker, alpha, beta):
    world = build_world(alpha, beta)
    with tenant_context(alpha):
        from people.models import User

        User.objects.filter(pk=world.members[0].pk).update(email="")
        pulse = services.pulse_open(team=world.team, by=world.lead, days_open=7)
    mail.outbox.clear()
    assert _tick(alpha)["pulse_emailed"] == 5
    with tenant_context(alpha):
        assert Respondent.objects.get(round=pulse.round, user=world.members[0]).emailed_at is None
    _settle()
    assert len(mail.outbox) == 5
