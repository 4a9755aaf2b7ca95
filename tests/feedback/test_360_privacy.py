"""The 360's privacy matrix: every 360 surface × every viewer. Results go to the leader alone, and the summary to a
mentor they shared it with while that pairing is current; a marker planted in a comment appears nowhere else;
forbidden and missing both answer 404."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django_tenants.utils import tenant_context

from feedback.models import Round, ThreeSixtyShare
from tests.conftest import client_for
from tests.feedback.threesixty_world import build_world

pytestmark = pytest.mark.django_db

VIEWERS = [
    "leader", "rater", "other_member", "admin", "mentor_shared", "mentor_unshared", "mentor_ended", "operator",
    "beta_user",
]


@pytest.fixture
def world(alpha, beta):
    return build_world(alpha, beta)


def _client(world, viewer: str, alpha, beta):
    user = getattr(world, viewer)
    if viewer == "operator":
        return client_for(None, user)
    return client_for(beta if viewer == "beta_user" else alpha, user)


# surface -> (url template, who gets the page, who sees the marker). "{pk}" is the 360.
SURFACES: dict[str, tuple[str, set[str], set[str]]] = {
    "detail": ("/feedback/360/{pk}/", {"leader"}, {"leader"}),
    "summary": ("/feedback/360/{pk}/summary/", {"leader", "mentor_shared"}, {"leader", "mentor_shared"}),
    "share": ("/feedback/360/{pk}/share/", {"leader"}, set()),
    "answer": ("/feedback/360/{pk}/answer/", {"rater"}, set()),
    "missing detail": ("/feedback/360/{missing}/", set(), set()),
    "missing summary": ("/feedback/360/{missing}/summary/", set(), set()),
    "missing answer": ("/feedback/360/{missing}/answer/", set(), set()),
}
# Pages that list the viewer's own things: 200 for everyone signed in to the organisation, no marker.
LISTINGS = {
    "hub": "/feedback/360/",
    "home": "/",
    "reflect link": "/journal/new/?about=feedback.360:{pk}",
    "a link that never was": "/feedback/360/r/not-a-link/",
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("surface", list(SURFACES))
def test_only_intended_viewers_see_the_360(world, alpha, beta, surface, viewer, caplog):
    template, allowed, with_marker = SURFACES[surface]
    url = template.format(pk=world.three_sixty.pk, missing=world.three_sixty.pk + 1000)
    caplog.set_level(logging.DEBUG)
    response = _client(world, viewer, alpha, beta).get(url)
    content = response.content.decode()
    if viewer in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
    assert (world.marker in content) == (viewer in with_marker)
    assert "no-store" in response.get("Cache-Control", "") or viewer == "operator"
    assert world.marker not in caplog.text


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("listing", list(LISTINGS))
def test_listings_never_carry_the_results(world, alpha, beta, listing, viewer):
    response = _client(world, viewer, alpha, beta).get(LISTINGS[listing].format(pk=world.three_sixty.pk))
    content = response.content.decode()
    assert world.marker not in content
    assert "You always stop and listen" not in content
    if viewer == "operator":
        # The public site has no 360 at all (its home page is the landing page).
        assert response.status_code == (200 if listing == "home" else 404)
    elif listing == "a link that never was":
        assert response.status_code == 404 and "This link no longer works" in content
    else:
        assert response.status_code == 200
    if listing == "reflect link":
        assert ("Your 360 of" in content) == (viewer == "leader")
    if listing == "hub":
        # Only Mo, with a share in force, finds it listed as shared.
        assert ("Lee Leader's 360" in content) == (viewer == "mentor_shared")


def _state(world, alpha) -> dict[str, object]:
    with tenant_context(alpha):
        return {
            "shares": sorted(ThreeSixtyShare.objects.filter(three_sixty=world.three_sixty)
                             .values_list("mentor_id", flat=True)),
            "closed": list(Round.objects.filter(pk=world.three_sixty.round_id).values_list("closed_at", flat=True)),
        }


WRITES = {
    "unshare": ("/feedback/360/{pk}/unshare/{mentor}/", {}),
    "share": ("/feedback/360/{pk}/share/", {"mentors": "{unshared}"}),
    "close": ("/feedback/360/{pk}/close/", {}),
    "answer": ("/feedback/360/{pk}/answer/", {"s1": "1", "comment": "x"}),
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("write", list(WRITES))
def test_nobody_but_the_leader_changes_anything(world, alpha, beta, write, viewer):
    template, data = WRITES[write]
    fill = {"pk": world.three_sixty.pk, "mentor": world.mentor_shared.pk, "unshared": world.mentor_unshared.pk}
    before = _state(world, alpha)
    response = _client(world, viewer, alpha, beta).post(
        template.format(**fill), {k: v.format(**fill) for k, v in data.items()}
    )
    after = _state(world, alpha)
    if viewer == "leader" and write in ("unshare", "share"):
        assert response.status_code == 302 and after != before
    elif viewer == "leader" and write == "close":
        assert response.status_code == 302 and after == before  # closed already: closing again changes nothing
    elif viewer == "rater" and write == "answer":
        assert response.status_code == 200 and after == before  # their own ask, answered already
    else:
        assert response.status_code == 404
        assert after == before
        assert world.marker not in response.content.decode()


def test_a_mentor_loses_the_summary_the_day_the_pairing_ends(world, alpha):
    from django.utils import timezone

    from people.models import MentorPairing

    mentor = client_for(alpha, world.mentor_shared)
    url = f"/feedback/360/{world.three_sixty.pk}/summary/"
    assert world.marker in mentor.get(url).content.decode()
    with tenant_context(alpha):
        MentorPairing.objects.filter(leader=world.leader, mentor=world.mentor_shared).update(
            ends_on=timezone.localdate()
        )
    assert mentor.get(url).status_code == 404
    # Paired again later: what was shared under the old pairing stays dark until shared again.
    with tenant_context(alpha):
        MentorPairing.objects.create(leader=world.leader, mentor=world.mentor_shared,
                                     starts_on=timezone.localdate() + timedelta(days=1))
    assert mentor.get(url).status_code == 404


def test_a_deactivated_leader_and_an_admin_get_nothing_more(world, alpha):
    """Admins have no way in: there is no admin page, report or export with 360 results."""
    admin = client_for(alpha, world.admin)
    for url in ("/manage/", "/manage/people/", f"/manage/people/{world.leader.pk}/", "/manage/learning/"):
        response = admin.get(url)
        assert world.marker not in response.content.decode()
