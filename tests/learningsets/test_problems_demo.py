"""The demo's recurring problems and Sam's Five whys: Larch House keeps two problems (one explored down five whys
with a change being tried, one just begun, nobody named), Sam traced the first in the journal; seeding twice, or
a demo made before these existed, gets each exactly once."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from learningsets import problems_demo
from learningsets.models import ProblemStatus, RecurringProblem
from reflections import demo as reflections_demo
from reflections.models import JournalEntry
from teams import demo as teams_demo
from tests.conftest import client_for
from tests.tenants.test_demo_seeding import people  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_larch_house_keeps_two_recurring_problems_and_sam_a_five_whys(alpha, people):  # noqa: F811
    from people import demo as people_demo

    with tenant_context(alpha):
        people_demo.seed(people=people)
        teams_demo.seed(people=people)
        problems_demo.seed(people=people)
        problems_demo.seed(people=people)
        problems = {p.title: p for p in RecurringProblem.objects.select_related("team", "owner")}
        assert len(problems) == 2 and {p.team.name for p in problems.values()} == {teams_demo.DEMO_TEAM_NAME}
        late = problems["The medication round runs late after the morning handover"]
        assert late.status == ProblemStatus.TRYING and late.action and late.root and late.look_again_on
        assert all(getattr(late, f"why{n}") for n in range(1, 6))
        agency = problems["Agency staff don't know residents' preferences"]
        assert agency.status == ProblemStatus.EXPLORING and agency.owner is None and agency.why2 and not agency.root

        # A journal seeded before the Five whys existed gets Sam's entry once, and a fresh one too.
        JournalEntry.objects.create(author=people["leader"], title="Older entry", body="x", is_draft=False)
        reflections_demo.seed(people=people)
        reflections_demo.seed(people=people)
        [entry] = JournalEntry.objects.filter(author=people["leader"], template="five-whys")
        assert entry.fw_root and entry.fw_action and not entry.fw_why5 and entry.behaviours == ["understanding"]

    sam = client_for(alpha, people["leader"])
    page = sam.get(f"/teams/{late.team_id}/problems/").content.decode()
    assert "The medication round runs late" in page and "Kept moving by Amira Haddad" in page
    assert "2 being explored" in " ".join(sam.get(f"/teams/{late.team_id}/").content.decode().split())
    assert "Why the medication round keeps running late" in sam.get(f"/journal/{entry.pk}/").content.decode()
