"""The 360's emails go through a real Celery worker, in the organisation they were sent from, carrying only a
respondent's id: the ask when a 360 opens, the relay of asks that were never queued (the beat), and one reminder
to those who haven't answered, once. A rater by email gets a single-use link; the reminder's link replaces it."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from feedback import engine
from feedback.models import Respondent, Round
from feedback.tasks import rounds_tick
from feedback.threesixty import emails, services
from tests.conftest import client_for, make_person, worker_drained

LINK = re.compile(r"http://alpha\.localhost(?::\d+)?(/feedback/360/r/[^/\s]+/)")


def _sent() -> list:
    """What the worker sent once it has run every task queued so far (nothing more can arrive)."""
    worker_drained()
    return list(mail.outbox)


def _world(alpha):
    leader = make_person(alpha, ["leader"], name="Sam Leader", email="sam@example.org")
    raters = [make_person(alpha, ["leader"], name=f"Rater {n}", email=f"rater{n}@example.org") for n in range(2)]
    return leader, raters


def test_asks_and_one_reminder_go_through_a_real_worker(celery_worker, alpha, monkeypatch):
    sent: list[tuple] = []
    original = emails.ask_email_send.apply_async

    def spy(args=None, kwargs=None, **options):
        sent.append((args, kwargs))
        return original(args, kwargs, **options)

    monkeypatch.setattr(emails.ask_email_send, "apply_async", spy)
    leader, raters = _world(alpha)
    mail.outbox.clear()
    with tenant_context(alpha):
        three_sixty = services.three_sixty_request(leader=leader, users=raters, emails=["fern@example.org"],
                                                   days_open=14)
        ids = sorted(Respondent.objects.filter(round_id=three_sixty.round_id).values_list("pk", flat=True))
    messages = _sent()
    assert sorted(args for args, _ in sent) == [(pk,) for pk in ids]  # ids, nothing else
    assert sorted(m.to[0] for m in messages) == ["fern@example.org", "rater0@example.org", "rater1@example.org"]
    assert all(m.subject == "Sam Leader asked for your feedback" for m in messages)
    [fern] = [m for m in messages if m.to == ["fern@example.org"]]
    [colleague] = [m for m in messages if m.to == ["rater0@example.org"]]
    assert f"/feedback/360/{three_sixty.pk}/answer/" in colleague.body and "Sign in to answer" in colleague.body
    first_link = LINK.search(fern.body).group(1)
    assert "never see who said what" in fern.body
    visitor = client_for(alpha)
    assert visitor.get(first_link).status_code == 200

    # The beat runs: nothing new (every ask went), and no reminder yet.
    with tenant_context(alpha):
        assert rounds_tick()["threesixty_asks"] == 0
    assert len(_sent()) == 3

    # One colleague answers; the reminder's time comes (three days before it closes).
    with tenant_context(alpha):
        engine.answer_record(respondent=Respondent.objects.get(user=raters[0]),
                             scores=[4] * len(Round.objects.get(pk=three_sixty.round_id).statements))
        Round.objects.filter(pk=three_sixty.round_id).update(
            opened_at=timezone.now() - timedelta(days=12), closes_at=timezone.now() + timedelta(days=2),
        )
        mail.outbox.clear()
        assert rounds_tick()["threesixty_reminders"] == 2
    reminders = _sent()
    assert sorted(m.to[0] for m in reminders) == ["fern@example.org", "rater1@example.org"]
    assert all(m.subject.startswith("A reminder: Sam Leader") for m in reminders)
    [fern_again] = [m for m in reminders if m.to == ["fern@example.org"]]
    new_link = LINK.search(fern_again.body).group(1)
    assert new_link != first_link and "replaces the one we sent before" in fern_again.body
    assert visitor.get(first_link).status_code == 404  # only the newest link works
    assert visitor.get(new_link).status_code == 200
    # Once: the beat runs again and nobody hears twice.
    with tenant_context(alpha):
        assert rounds_tick()["threesixty_reminders"] == 0
    assert len(_sent()) == 2


def test_asks_never_queued_are_relayed_by_the_beat(celery_worker, alpha, monkeypatch):
    leader, raters = _world(alpha)
    raters.append(make_person(alpha, ["leader"], name="Rater 3", email="rater3@example.org"))
    monkeypatch.setattr(services, "_queue_asks", lambda ids: None)  # Redis was down when Sam asked
    mail.outbox.clear()
    with tenant_context(alpha):
        three_sixty = services.three_sixty_request(leader=leader, users=raters, emails=[], days_open=7)
        assert rounds_tick()["threesixty_asks"] == 0  # queued just now: left to the message in flight
        Respondent.objects.filter(round_id=three_sixty.round_id).update(
            created_at=timezone.now() - timedelta(minutes=5)
        )
        assert rounds_tick()["threesixty_asks"] == 3
    assert sorted(m.to[0] for m in _sent()) == [
        "rater0@example.org", "rater1@example.org", "rater3@example.org",
    ]
    with tenant_context(alpha):
        assert not Respondent.objects.filter(round_id=three_sixty.round_id, emailed_at__isnull=True).exists()
        assert rounds_tick()["threesixty_asks"] == 0
    assert len(_sent()) == 3


def test_no_ask_goes_for_a_closed_360(celery_worker, alpha, monkeypatch):
    leader, raters = _world(alpha)
    raters.append(make_person(alpha, ["leader"]))
    monkeypatch.setattr(services, "_queue_asks", lambda ids: None)
    with tenant_context(alpha):
        three_sixty = services.three_sixty_request(leader=leader, users=raters, emails=["x@example.org"])
        services.three_sixty_close(three_sixty=three_sixty, leader=leader)
        mail.outbox.clear()
        for respondent in Respondent.objects.filter(round_id=three_sixty.round_id):
            emails.ask_email_send.delay(respondent.pk)
    assert _sent() == []
