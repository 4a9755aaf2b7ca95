"""The growth demo: Larch House's strengths shown to the team (a map with pairings), Sam's growth profile with an
accepted suggestion from the supervisor, Amira's stretch done and reflected on, and one waiting for Sam's answer.
Through the services; seeding twice changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from people.models import MentorPairing, User
from reflections.models import JournalEntry
from supervision import growth_demo
from supervision.models import GrowthSuggestion, StretchOpportunity
from supervision.selectors.growth import supervisors_of
from supervision.services.sessions import relationship_create
from teams import demo as teams_demo
from teams.models import StrengthProfile, Team
from teams.strength_selectors import team_strengths_map
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db


def test_the_growth_demo_tells_its_story_once(alpha):
    people = {
        "admin": make_person(alpha, ["admin", "leader"], name="Priya Admin"),
        "leader": make_person(alpha, ["leader"], name="Sam Leader"),
        "mentor": make_person(alpha, ["mentor"], name="Morgan Mentor"),
    }
    with tenant_context(alpha):
        MentorPairing.objects.create(leader=people["leader"], mentor=people["mentor"],
                                     starts_on=timezone.localdate() - timedelta(days=42))
        teams_demo.seed(people=people)
        if not supervisors_of(people["leader"]).exists():  # the sessions demo may have made it already
            relationship_create(supervisor=people["admin"], supervisee=people["leader"],
                                starts_on=timezone.localdate() - timedelta(days=120))
        growth_demo.seed(people=people)
        counts = (StrengthProfile.objects.count(), GrowthSuggestion.objects.count(),
                  StretchOpportunity.objects.count(), JournalEntry.objects.filter(about_kind="supervision.stretch")
                  .count())
        growth_demo.seed(people=people)
        assert (StrengthProfile.objects.count(), GrowthSuggestion.objects.count(),
                StretchOpportunity.objects.count(),
                JournalEntry.objects.filter(about_kind="supervision.stretch").count()) == counts == (7, 1, 2, 1)
        sam, amira = people["leader"], User.objects.get(username="amira")
        larch = Team.objects.get(name=teams_demo.DEMO_TEAM_NAME)
        strengths_map = team_strengths_map(larch)
        assert len(strengths_map.people) == 7 and strengths_map.pairings
        assert GrowthSuggestion.objects.get().status == "accepted"
        handover_pk = StretchOpportunity.objects.get(person=amira, status="done").pk
        assert StretchOpportunity.objects.get(person=sam).status == "offered"
    sam_client = client_for(alpha, sam)
    assert "Asking the team for ideas before deciding" in sam_client.get("/growing/profile/").content.decode()
    assert "Present at an action learning set" in sam_client.get("/").content.decode()
    team_page = sam_client.get(f"/teams/{larch.pk}/").content.decode()
    assert "ideas person and the implementer" in team_page and "Amira Haddad" in team_page
    amira_page = client_for(alpha, amira).get(f"/growing/opportunities/{handover_pk}/").content.decode()
    assert "Reflect on this" in amira_page and "Done on" in amira_page
