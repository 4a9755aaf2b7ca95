"""The demo organisation's teams: Larch House led by Sam, with enough people for a pulse to reach k = 5, whose
colleagues sign in with short usernames; seeding again changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from people.demo import DEMO_PASSWORD
from teams import demo, selectors
from teams.models import Membership, Team
from tests.conftest import client_for
from tests.tenants.test_demo_seeding import people  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_demo_teams(alpha, people):  # noqa: F811
    from people import demo as people_demo

    with tenant_context(alpha):
        people_demo.seed(people=people)
        demo.seed(people=people)
        counts = (Team.objects.count(), Membership.objects.count())
        demo.seed(people=people)
        assert (Team.objects.count(), Membership.objects.count()) == counts  # nothing twice
        larch = Team.objects.get(name=demo.DEMO_TEAM_NAME)
        members = list(selectors.current_members(larch))
        assert len(members) >= 8
        assert [m.full_name for m in members if m.is_lead] == ["Sam Leader"]
        assert list(selectors.teams_led_by(people["leader"])) == [larch]
        assert {t.name for t in Team.objects.all()} == {"Larch House", "Night team", "Rowan Court"}
        # The team was made when its first person joined, more than a year ago, not on the day of `make run`.
        first = min(m.starts_on for m in larch.memberships.all())
        assert larch.created_at.date() == first
        assert (timezone.localdate() - first).days > 365
    for username, _ in demo.DEMO_COLLEAGUES:
        assert len(username) <= 6 and username.isalpha()
        client = client_for(alpha)
        response = client.post("/accounts/login/", {"login": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert "Larch House" in client.get("/teams/").content.decode()
