"""The demo organisation's supervision: Sam supervised by Priya, two past sessions (an agreed record, one waiting
for Sam), actions carried from the first into the second, open actions, and a session booked; seeded twice, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from people.models import MentorPairing
from supervision import demo
from supervision.models import Action, AgendaItem, RecordVersion, Relationship, Session
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_real_supervision_seeded_once(alpha):
    people = {
        "admin": make_person(alpha, ["admin", "leader"], name="Priya Admin"),
        "leader": make_person(alpha, ["leader"], name="Sam Leader"),
        "mentor": make_person(alpha, ["mentor"], name="Morgan Mentor"),
    }
    with tenant_context(alpha):
        MentorPairing.objects.create(leader=people["leader"], mentor=people["mentor"],
                                     starts_on=timezone.localdate() - timedelta(days=42))
        demo.seed(people=people)
        counts = [model.objects.count() for model in (Relationship, Session, AgendaItem, RecordVersion, Action)]
        demo.seed(people=people)
        assert [model.objects.count() for model in (Relationship, Session, AgendaItem, RecordVersion, Action)] == counts
        relationship = Relationship.objects.get(supervisee=people["leader"])
        assert relationship.supervisor == people["admin"] and relationship.is_current()
        now = timezone.now()
        past = list(relationship.sessions.filter(starts_at__lt=now).order_by("starts_at"))
        upcoming = relationship.sessions.get(starts_at__gt=now)
        assert len(past) == 2
        assert past[0].agreed_at is not None and past[1].agreed_at is None and past[1].version == 1
        assert Action.objects.filter(session__relationship=relationship, status="open").count() == 2
        assert Action.objects.filter(carried_from__session=past[0], session=past[1]).exists()
        assert upcoming.agenda_items.filter(author=people["leader"]).exists()
    # Sam opens the next session: it starts with last time's actions; Priya's page shows it too.
    page = client_for(alpha, people["leader"]).get(f"/supervision/sessions/{upcoming.pk}/").content.decode()
    assert "Last time we agreed" in page and "Ask Amira to lead" in page
    assert client_for(alpha, people["admin"]).get(f"/supervision/sessions/{past[1].pk}/").status_code == 200
