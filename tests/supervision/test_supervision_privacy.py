"""Supervision's privacy matrix: every supervision surface × every viewer. A session belongs to its two people: the
supervisee always, the supervisor while the relationship is current. The supervisee's check-in reaches the
supervisor only when shared. Admins see dates and agreement, never content; a marker planted in the record,
agenda, action and check-in appears nowhere else. Forbidden and missing both answer 404."""

from __future__ import annotations

import logging

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from supervision.models import Action, AgendaItem, CheckIn, Relationship, Session
from tests.conftest import client_for
from tests.supervision.sessions_world import build_world

pytestmark = pytest.mark.django_db

VIEWERS = [
    "supervisee", "supervisor", "former_supervisor", "other_supervisor", "team_member", "admin", "mentor",
    "operator", "beta_user",
]


@pytest.fixture
def world(alpha, beta):
    return build_world(alpha, beta)


def _client(world, viewer: str, alpha, beta):
    user = getattr(world, viewer)
    if viewer == "operator":
        return client_for(None, user)
    return client_for(beta if viewer == "beta_user" else alpha, user)


BOTH = {"supervisee", "supervisor"}
# surface -> (url, who gets the page, who sees the marker). {past} is last week's session, {old} Fay's.
SURFACES: dict[str, tuple[str, set[str], set[str]]] = {
    "session": ("/supervision/sessions/{past}/", BOTH, BOTH),
    "versions": ("/supervision/sessions/{past}/record/versions/", BOTH, BOTH),
    "calendar": ("/supervision/sessions/{past}/calendar.ics", BOTH, set()),
    "reschedule": ("/supervision/sessions/{upcoming}/change/", BOTH, set()),
    # Opens with last week's action ("Last time we agreed…"); Sue's own check-in is there, unshared.
    "upcoming session": ("/supervision/sessions/{upcoming}/", BOTH, BOTH),
    "relationship": ("/supervision/with/{relationship}/", BOTH, set()),
    "old session": ("/supervision/sessions/{old}/", {"supervisee"}, {"supervisee"}),
    "old relationship": ("/supervision/with/{old_relationship}/", {"supervisee"}, set()),
    "missing session": ("/supervision/sessions/{missing}/", set(), set()),
    "missing relationship": ("/supervision/with/{missing}/", set(), set()),
    "manage": ("/manage/supervision/", {"admin"}, set()),
    "manage csv": ("/manage/supervision/dates.csv", {"admin"}, set()),
}
LISTINGS = {
    "home": "/", "supervision": "/supervision/", "reflect link": "/journal/new/?about=supervision.session:{past}",
}


def _fill(world) -> dict[str, int]:
    return {
        "past": world.past.pk, "upcoming": world.upcoming.pk, "old": world.old.pk, "missing": world.old.pk + 1000,
        "relationship": world.relationship.pk, "old_relationship": world.old_relationship.pk,
    }


@pytest.mark.parametrize("surface", list(SURFACES))
def test_only_the_two_people_see_a_session(world, alpha, beta, surface, caplog):
    """One world per surface, every viewer in turn (a world per viewer would cost minutes)."""
    template, allowed, with_marker = SURFACES[surface]
    caplog.set_level(logging.DEBUG)
    for viewer in VIEWERS:
        response = _client(world, viewer, alpha, beta).get(template.format(**_fill(world)))
        content = response.content.decode()
        if viewer in allowed:
            assert response.status_code == 200, viewer
        elif surface.startswith("manage") and viewer == "operator":
            assert response.status_code in (302, 404), viewer  # the public site has no such page
        elif surface.startswith("manage") and viewer == "beta_user":
            assert response.status_code == 200, viewer  # beta's own admin page, with beta's people only
        else:
            assert response.status_code == 404, viewer
        assert (world.marker in content) == (viewer in with_marker), viewer
        assert (world.private_marker in content) == (surface == "upcoming session" and viewer == "supervisee")
        assert world.marker not in caplog.text
        if viewer != "operator" and not surface.startswith("manage"):
            assert "no-store" in response.get("Cache-Control", ""), viewer


@pytest.mark.parametrize("listing", list(LISTINGS))
def test_listings_carry_no_content(world, alpha, beta, listing):
    for viewer in VIEWERS:
        response = _client(world, viewer, alpha, beta).get(LISTINGS[listing].format(**_fill(world)))
        content = response.content.decode()
        assert world.marker not in content and world.private_marker not in content, viewer
        if viewer == "operator":
            assert response.status_code == (200 if listing == "home" else 404)
        else:
            assert response.status_code == 200, viewer
        if listing == "reflect link":
            assert ("Supervision with" in content) == (viewer in BOTH), viewer


def test_the_check_in_shows_to_the_supervisor_only_when_shared(world, alpha):
    supervisor = client_for(alpha, world.supervisor)
    supervisee = client_for(alpha, world.supervisee)
    upcoming = f"/supervision/sessions/{world.upcoming.pk}/"
    assert world.private_marker in supervisee.get(upcoming).content.decode()
    assert world.private_marker not in supervisor.get(upcoming).content.decode()
    supervisee.post(f"{upcoming}check-in/", {"checkin-text": f"Private {world.private_marker}", "checkin-shared": "on"})
    assert world.private_marker in supervisor.get(upcoming).content.decode()
    supervisee.post(f"{upcoming}check-in/", {"checkin-text": f"Private {world.private_marker}"})
    assert world.private_marker not in supervisor.get(upcoming).content.decode()


def test_a_supervisor_loses_access_the_day_the_relationship_ends(world, alpha):
    supervisor = client_for(alpha, world.supervisor)
    url = f"/supervision/sessions/{world.past.pk}/"
    assert world.marker in supervisor.get(url).content.decode()
    with tenant_context(alpha):
        Relationship.objects.filter(pk=world.relationship.pk).update(ends_on=timezone.localdate())
    assert supervisor.get(url).status_code == 404
    assert supervisor.post(f"{url}agenda/", {"agenda-text": "still here?"}).status_code == 404
    # The supervisee keeps it.
    assert world.marker in client_for(alpha, world.supervisee).get(url).content.decode()


def _state(alpha) -> tuple:
    with tenant_context(alpha):
        return (
            sorted(AgendaItem.objects.values_list("id", "text")),
            sorted(Action.objects.values_list("id", "status")),
            sorted(CheckIn.objects.values_list("id", "text", "shared")),
            sorted(Session.objects.values_list("id", "version", "agreed_at", "cancelled_at", "sequence")),
        )


WRITES = {
    "agenda": ("/supervision/sessions/{past}/agenda/", {"agenda-text": "x"}),
    "record": ("/supervision/sessions/{past}/record/", {"record-text": "x", "record-based_on": "1"}),
    "agree": ("/supervision/sessions/{past}/record/agree/", {"version": "1"}),
    "action": ("/supervision/sessions/{past}/actions/", {"action-text": "x", "action-owner": "supervisor"}),
    "check-in": ("/supervision/sessions/{past}/check-in/", {"checkin-text": "x"}),
    "cancel": ("/supervision/sessions/{upcoming}/cancel/", {}),
    "book": ("/supervision/with/{relationship}/", {"on": "2030-01-01", "at": "10:00", "duration_minutes": "60"}),
    "old agenda": ("/supervision/sessions/{old}/agenda/", {"agenda-text": "x"}),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_nobody_else_changes_anything(world, alpha, beta, write):
    template, data = WRITES[write]
    before = _state(alpha)
    for viewer in VIEWERS:
        if viewer in BOTH:
            continue
        response = _client(world, viewer, alpha, beta).post(template.format(**_fill(world)), data)
        assert response.status_code == 404, viewer
        assert _state(alpha) == before, viewer
        assert world.marker not in response.content.decode()


def test_the_admin_page_and_csv_carry_dates_never_content(world, alpha):
    admin = client_for(alpha, world.admin)
    page = admin.get("/manage/supervision/").content.decode()
    csv = admin.get("/manage/supervision/dates.csv").content.decode()
    for content in (page, csv):
        assert world.marker not in content and world.private_marker not in content
        assert "Sue Supervisee" in content
    assert "Not mentoring" not in page and "is not mentoring" in page
    line = next(line for line in csv.splitlines() if line.startswith("Sue Supervisee"))
    assert "Sid Supervisor" in line and "not yet agreed by both" in line
