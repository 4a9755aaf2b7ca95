"""The pulse's privacy matrix: every pulse surface × every viewer (member, lead, another team's member, admin,
mentor, past member, platform operator, another organisation's user). A marker planted in comments of three
rounds (one that reached k, one that closed below k, one still open) appears only on the allowed surfaces, and
only from the round that reached k; forbidden surfaces answer 404; actions by anyone but a lead or an admin
change nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django_tenants.utils import tenant_context

from feedback.models import PulseRound, Round
from teams.sections import team_sections
from tests.conftest import client_for
from tests.feedback.pulse_world import PulseWorld, answer, build_world, close, open_pulse

pytestmark = pytest.mark.django_db

VIEWERS = ["member", "lead", "other_team_member", "admin", "mentor", "past_member", "operator", "beta_user"]
TEAM_VIEWERS = {"member", "lead", "admin"}  # results belong to the team (and admins see them too)


@dataclass
class Scene:
    world: PulseWorld
    reached: PulseRound
    below: PulseRound
    open: PulseRound

    def viewer(self, name: str):
        w = self.world
        return {
            "member": w.members[4], "lead": w.lead, "other_team_member": w.night_members[1], "admin": w.admin,
            "mentor": w.mentor, "past_member": w.past_member, "operator": w.operator, "beta_user": w.beta_user,
        }[name]


@pytest.fixture
def scene(db, alpha, beta) -> Scene:
    world = build_world(alpha, beta)
    marker = world.marker
    below = open_pulse(alpha, world.team, world.lead)
    answer(alpha, below, world.larch[:4], comments={0: f"{marker}-below"})
    close(alpha, below)
    reached = open_pulse(alpha, world.team, world.lead)
    answer(alpha, reached, world.larch[:5], comments={0: f"{marker}-reached", 3: f"{marker}-reached-too"})
    close(alpha, reached)
    # The other team's pulse reached k too: none of it may show on Larch House's surfaces, nor the reverse.
    night = open_pulse(alpha, world.night, None)
    answer(alpha, night, world.night_members, comments={0: f"{marker}-night"})
    close(alpha, night)
    current = open_pulse(alpha, world.team, world.lead)
    answer(alpha, current, world.larch, comments={0: f"{marker}-open"})
    return Scene(world=world, reached=reached, below=below, open=current)


def _client(scene: Scene, viewer: str, alpha, beta):
    user = scene.viewer(viewer)
    if viewer == "operator":
        return client_for(None, user)
    return client_for(beta if viewer == "beta_user" else alpha, user)


def _team_page_url(team_id: int) -> str | None:
    try:
        return reverse("teams:detail", args=[team_id])
    except NoReverseMatch:  # the teams pages are not on main yet
        return None


# surface -> (url template, who gets a 200, who sees the reached round's comments)
SURFACES: dict[str, tuple[str, set[str], set[str]]] = {
    "results": ("/feedback/pulse/team/{team}/", TEAM_VIEWERS, TEAM_VIEWERS),
    "answer open round": ("/feedback/pulse/{open}/", {"member", "lead"}, set()),
    "answer closed round": ("/feedback/pulse/{reached}/", {"member", "lead"}, set()),
    "rhythm": ("/feedback/pulse/team/{team}/rhythm/", {"lead", "admin"}, set()),
    # beta's admin gets beta's own page, which holds nothing of alpha's.
    "manage": ("/manage/feedback/", {"admin", "beta_user"}, set()),
    "home": ("/", set(VIEWERS), set()),
    "team page": ("{team_page}", TEAM_VIEWERS, set()),
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("surface", list(SURFACES))
def test_only_the_team_sees_its_results_and_only_of_a_round_that_reached_k(scene, alpha, beta, surface, viewer,
                                                                          caplog):
    template, allowed, sees_comments = SURFACES[surface]
    team_page = _team_page_url(scene.world.team.pk)
    if surface == "team page" and team_page is None:
        pytest.skip("the team page is not on main yet")
    url = template.format(team=scene.world.team.pk, open=scene.open.round_id, reached=scene.reached.round_id,
                          team_page=team_page)
    caplog.set_level(logging.DEBUG)
    response = _client(scene, viewer, alpha, beta).get(url)
    content = response.content.decode()
    marker = scene.world.marker
    if viewer == "operator" and surface != "home":
        assert response.status_code == 404  # the public site has no pulse at all
    elif viewer in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
    if viewer in sees_comments and response.status_code == 200:
        assert f"{marker}-reached" in content and f"{marker}-reached-too" in content
    else:
        assert f"{marker}-reached" not in content
    for never in ("below", "open", "night"):
        assert f"{marker}-{never}" not in content
    if surface in ("results", "answer open round", "answer closed round") and response.status_code == 200:
        assert "no-store" in response.get("Cache-Control", "")
    assert marker not in caplog.text


@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v not in ("operator", "beta_user")])
def test_the_team_page_section_is_the_teams_and_never_carries_comments(scene, alpha, viewer):
    with tenant_context(alpha):
        sections = [s for s in team_sections(scene.world.team, scene.viewer(viewer)) if s.key == "feedback.pulse"]
        rendered = "".join(render_to_string(s.template, dict(s.context)) for s in sections)
    assert bool(sections) == (viewer in TEAM_VIEWERS)
    assert scene.world.marker not in rendered


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_a_lead_or_an_admin_can_open_close_or_set_the_rhythm(scene, alpha, beta, viewer):
    client = _client(scene, viewer, alpha, beta)
    team = scene.world.team.pk
    with tenant_context(alpha):
        before = list(Round.objects.order_by("pk").values_list("pk", "closed_at"))
    closing = client.post(f"/feedback/pulse/team/{team}/close/")
    rhythm = client.post(f"/feedback/pulse/team/{team}/rhythm/", {"rhythm": "monthly", "days_open": "7"})
    with tenant_context(alpha):
        after = list(Round.objects.order_by("pk").values_list("pk", "closed_at"))
        open_now = Round.objects.filter(pk=scene.open.round_id, closed_at__isnull=True).exists()
    if viewer in ("lead", "admin"):
        assert closing.status_code == 302 and rhythm.status_code == 302 and not open_now
    else:
        assert closing.status_code == 404 and rhythm.status_code == 404
        assert before == after and open_now
        assert client.post(f"/feedback/pulse/team/{team}/open/", {"days_open": "7"}).status_code == 404
        with tenant_context(alpha):
            assert list(Round.objects.order_by("pk").values_list("pk", "closed_at")) == before


def test_the_answer_rows_of_an_open_round_hold_nothing_about_anyone(scene, alpha):
    with tenant_context(alpha):
        rows = list(Round.objects.get(pk=scene.open.round_id).answers.values())
    assert len(rows) == 6
    for row in rows:
        assert set(row) == {"id", "round_id", "scores", "comment"}
