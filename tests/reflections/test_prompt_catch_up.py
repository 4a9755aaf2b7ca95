"""Beat stopped for an hour: every prompt that fell due meanwhile is delivered exactly once when it returns, through
a real worker, with the clock moved (time-machine moves it for the worker thread too)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.core import mail
from django_tenants.utils import tenant_context

from reflections.models import PromptChannel, PromptDelivery, PromptSchedule
from reflections.prompt_tasks import prompts_dispatch
from tests.conftest import make_person, worker_drained


@pytest.mark.parametrize(
    ("local_time", "last_beat", "beat_back"),
    [
        # Thursday 17:00 London, beat down from 16:45 to 17:45.
        (time(17, 0), datetime(2026, 11, 26, 16, 45, tzinfo=UTC), datetime(2026, 11, 26, 17, 45, tzinfo=UTC)),
        # Thursday 23:30 London, beat down from 23:15 to 00:15: the slot's local day ended while beat was away.
        (time(23, 30), datetime(2026, 11, 26, 23, 15, tzinfo=UTC), datetime(2026, 11, 27, 0, 15, tzinfo=UTC)),
    ],
    ids=["evening", "across-midnight"],
)
def test_a_prompt_due_while_beat_was_stopped_arrives_once_when_beat_returns(
    celery_worker, alpha, local_time, last_beat, beat_back
):
    leaders = [make_person(alpha, ["leader"], email=f"night{i}@example.org") for i in range(3)]
    with tenant_context(alpha):
        for leader in leaders:
            PromptSchedule.objects.create(
                user=leader, frequency="weekly", weekday=3, local_time=local_time, time_zone="Europe/London",
                channel=PromptChannel.EMAIL, anchor=date(2026, 11, 2),
            )
    mail.outbox.clear()
    with time_machine.travel(last_beat, tick=True), tenant_context(alpha):
        assert prompts_dispatch.delay().get(timeout=20) == 0  # the last beat before it stopped: nothing due yet
    with time_machine.travel(beat_back, tick=True), tenant_context(alpha):
        assert prompts_dispatch.delay().get(timeout=20) == 3  # beat's first minute back
        assert prompts_dispatch.delay().get(timeout=20) == 0  # and the minute after
        worker_drained()
        prompts_dispatch.delay().get(timeout=20)
        worker_drained()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(leader.email for leader in leaders)
    slot = datetime.combine(date(2026, 11, 26), local_time, tzinfo=UTC)  # GMT in November
    with tenant_context(alpha):
        deliveries = list(PromptDelivery.objects.filter(user__in=leaders).values_list("slot", "email_status"))
    assert sorted(deliveries) == [(slot, PromptDelivery.EmailStatus.SENT)] * 3
