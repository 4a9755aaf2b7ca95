"""The demo organisation's action learning set: Priya facilitates Sam, Ellis and three Larch House colleagues; two
meetings held with briefs, questions, actions and attendance, one report back, the next meeting booked; seeding
again changes nothing; the demo people see it, and Sam's CPD record counts the meetings he attended."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from courses.cpd import cpd_record_for
from learningsets import demo, selectors
from learningsets.models import Attendance, LearningSet, Meeting, Question, SetMember
from tests.conftest import client_for
from tests.tenants.test_demo_seeding import people  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_demo_set(alpha, people):  # noqa: F811
    from people import demo as people_demo
    from teams import demo as teams_demo

    with tenant_context(alpha):
        people_demo.seed(people=people)
        teams_demo.seed(people=people)
        demo.seed(people=people)
        counts = [model.objects.count() for model in (LearningSet, SetMember, Meeting, Question, Attendance)]
        demo.seed(people=people)
        assert [model.objects.count() for model in (LearningSet, SetMember, Meeting, Question, Attendance)] == counts
        learning_set = LearningSet.objects.get(name=demo.DEMO_SET_NAME)
        assert SetMember.objects.filter(learning_set=learning_set, accepted_at__isnull=False).count() == 6
        meetings = list(Meeting.objects.filter(learning_set=learning_set).order_by("starts_at"))
        now = timezone.now()
        held = [m for m in meetings if m.starts_at < now]
        assert len(held) == 2 and len(meetings) == 3 and meetings[2].starts_at > now
        assert all(m.brief_posted_at and m.action and m.questions.count() >= 3 for m in held)
        assert held[0].report and not held[1].report  # one report back; Sam's is for next time
        assert held[1].presenter == people["leader"]
        assert meetings[2].presenter is not None
        presented = {line.place.user: line.presented for line in selectors.rota(learning_set)}
        assert presented[meetings[2].presenter] == 0  # the rota chose someone who has not presented yet
        record = cpd_record_for(people["leader"])
        assert sum(1 for row in record.rows if row.kind_label == "Action learning set meeting") == 2
    sam = client_for(alpha, people["leader"])
    page = sam.get(f"/sets/{learning_set.pk}/meetings/{meetings[2].pk}/").content.decode()
    assert "First: how did it go?" in page and 'name="report-report"' in page  # Sam reports back next time
    assert "Leads across the houses" in sam.get("/").content.decode()
    assert "Leads across the houses" in client_for(alpha, people["admin"]).get("/manage/sets/").content.decode()
