"""The prompts page says when the next prompt comes, and for "every two weeks" which week and why, so a skipped
week is never a silent surprise."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import tenant_context

from reflections import prompt_delivery
from reflections.models import PromptChannel, PromptDefaults, PromptDelivery, PromptSchedule
from reflections.rhythm import DEFAULT_ANCHOR
from reflections.selectors.prompts import rhythm_for
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db

# Wednesday 25 November 2026, 18:00 in London (GMT).
WEDNESDAY = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


def _choose(client, **values) -> None:
    data = {"frequency": "weekly", "weekday": "1", "local_time": "17:00", "time_zone": "Europe/London",
            "channel": "app", "paused_until": ""}
    data.update(values)
    assert client.post("/journal/prompts/", data).status_code == 302


def test_every_two_weeks_says_which_week_and_why(alpha):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    with time_machine.travel(WEDNESDAY, tick=False):
        # Chosen on a Wednesday for Tuesdays: this week's Tuesday has gone, and next week is the "off" week.
        _choose(client, frequency="fortnightly")
        html = client.get("/journal/prompts/").content.decode()
    assert ("Your next prompt is on Tuesday 8 December at 17:00: every two weeks counts from the week you chose "
            "it, 25 November.") in html

    with time_machine.travel(WEDNESDAY, tick=False):
        _choose(client, frequency="weekly")
        html = client.get("/journal/prompts/").content.decode()
    assert "Your next prompt is on Tuesday 1 December at 17:00." in html


def test_a_pause_is_said_before_the_next_prompt(alpha):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    with time_machine.travel(WEDNESDAY, tick=False):
        _choose(client, paused_until="2026-12-10")
        html = client.get("/journal/prompts/").content.decode()
    assert "You have paused prompts until Thursday 10 December. Your next prompt is on Tuesday 15 December" in html


def test_the_organisations_fortnight_stays_put_from_day_to_day(alpha):
    """The default used to count from "today", so it fell every week; it now counts from one fixed week, in the
    page's words and in the dispatcher's SQL alike."""
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        PromptDefaults.objects.create(frequency="fortnightly", weekday=3, local_time=time(17, 0),
                                      channel=PromptChannel.APP)
        assert rhythm_for(leader).anchor == DEFAULT_ANCHOR
        thursdays = [datetime(2026, 11, 19, 17, 0, tzinfo=UTC), datetime(2026, 11, 26, 17, 0, tzinfo=UTC),
                     datetime(2026, 12, 3, 17, 0, tzinfo=UTC)]
        for thursday in thursdays:
            with time_machine.travel(thursday, tick=False):
                prompt_delivery.deliveries_record(now=timezone.now())
        slots = sorted(PromptDelivery.objects.filter(user=leader).values_list("slot", flat=True))
    assert [slot.date() for slot in slots] == [date(2026, 11, 19), date(2026, 12, 3)]
    with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), tick=False):
        html = client_for(alpha, leader).get("/journal/prompts/").content.decode()
    assert ("Your next prompt is on Thursday 3 December at 17:00 (your organisation's usual rhythm: every two weeks, "
            "in the same weeks for everyone who follows it).") in html
    with tenant_context(alpha):
        assert not PromptSchedule.objects.filter(user=leader).exists()
