"""A worker killed with SIGKILL mid-send: every prompt email still goes, exactly once. The claim a dead worker leaves
behind is handed back by the next dispatch once no live worker can hold it (prompt_delivery.claims_abandoned_release),
and each email is marked sent as it goes, so the emails sent before the kill are not sent again."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django_tenants.utils import tenant_context

from reflections import prompt_delivery
from reflections.models import PromptChannel, PromptDelivery, PromptSchedule
from reflections.prompt_tasks import prompts_dispatch
from tests.conftest import make_person, worker_drained

THURSDAY_17_LONDON = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
ABANDONED = timedelta(minutes=11)  # past the task time limit (5 min) and the margin (5 min)


class Killed(BaseException):
    """What the worker's process sees of SIGKILL: nothing after this line runs (not even `except Exception`)."""


def _leaders(alpha, n: int) -> list:
    leaders = [make_person(alpha, ["leader"], email=f"killed{i}@example.org") for i in range(n)]
    with tenant_context(alpha):
        for leader in leaders:
            PromptSchedule.objects.create(
                user=leader, frequency="weekly", weekday=3, local_time=time(17, 0), time_zone="Europe/London",
                channel=PromptChannel.EMAIL, anchor=date(2026, 11, 2),
            )
    return leaders



def _emails_per_person() -> Counter:
    return Counter(message.to[0] for message in mail.outbox)


def test_a_worker_killed_after_claiming_leaves_emails_that_the_dispatch_sends_once_later(celery_worker, alpha):
    leaders = _leaders(alpha, 3)
    mail.outbox.clear()
    with time_machine.travel(THURSDAY_17_LONDON, tick=True), tenant_context(alpha):
        new = prompt_delivery.deliveries_record()
        prompt_delivery.prompts_choose(new)
        ids = [pk for pk, _ in new]
        prompt_delivery._claim_emails(ids)  # committed; then the worker is killed before it sends anything
        # A minute later: the claim may still be a live worker's, so nothing is sent twice.
        prompts_dispatch.delay().get(timeout=20)
        worker_drained()
    assert mail.outbox == []
    with time_machine.travel(THURSDAY_17_LONDON + ABANDONED, tick=True), tenant_context(alpha):
        prompts_dispatch.delay().get(timeout=20)
        worker_drained()
        prompts_dispatch.delay().get(timeout=20)
        worker_drained()
        statuses = set(PromptDelivery.objects.filter(user__in=leaders).values_list("email_status", flat=True))
    assert _emails_per_person() == Counter({leader.email: 1 for leader in leaders})
    assert statuses == {PromptDelivery.EmailStatus.SENT}


def test_a_worker_killed_mid_batch_resends_none_of_what_it_had_sent(celery_worker, alpha, monkeypatch):
    leaders = _leaders(alpha, 5)
    mail.outbox.clear()
    real_send = EmailBackend.send_messages

    def dies_on_the_third(self, messages):
        if len(mail.outbox) == 2:
            raise Killed
        return real_send(self, messages)

    with time_machine.travel(THURSDAY_17_LONDON, tick=True), tenant_context(alpha):
        new = prompt_delivery.deliveries_record()
        prompt_delivery.prompts_choose(new)
        ids = [pk for pk, _ in new]
        monkeypatch.setattr(EmailBackend, "send_messages", dies_on_the_third)
        with pytest.raises(Killed):
            prompt_delivery.prompt_emails_send(delivery_ids=ids, base_url="http://alpha.localhost")
        monkeypatch.setattr(EmailBackend, "send_messages", real_send)
        assert PromptDelivery.objects.filter(pk__in=ids, email_status="sent").count() == 2
    with time_machine.travel(THURSDAY_17_LONDON + ABANDONED, tick=True), tenant_context(alpha):
        prompts_dispatch.delay().get(timeout=20)
        worker_drained()
        prompts_dispatch.delay().get(timeout=20)
        worker_drained()
    assert _emails_per_person() == Counter({leader.email: 1 for leader in leaders})
