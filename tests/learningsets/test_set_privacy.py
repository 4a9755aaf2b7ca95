"""The privacy matrix of action learning sets: every set surface × every viewer (a member who accepted, one invited
who has not accepted yet, the facilitator, a former member, another set's member, an admin, a mentor, a platform
operator, someone of another organisation). A marker planted in a brief, a question and an action shows only to the
set's accepted members and facilitator; forbidden and missing both answer 404; the admin's pages never show it;
writes by anyone not entitled change nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from learningsets.models import Attendance, LearningSet, Meeting, MeetingEmail, Question, SetMember
from tests.conftest import client_for
from tests.learningsets.sets_world import build_world

pytestmark = pytest.mark.django_db

VIEWERS = ["member", "invited", "facilitator", "former", "other_member", "admin", "mentor", "operator", "beta_user"]
MISSING = 999_999


@pytest.fixture
def world(alpha, beta):
    return build_world(alpha, beta)


def _user(world, viewer: str):
    return {"member": world.sam, "invited": world.invited}.get(viewer) or getattr(world, viewer)


def _client(world, viewer: str, alpha, beta):
    if viewer == "operator":
        return client_for(None, world.operator)
    return client_for(beta if viewer == "beta_user" else alpha, _user(world, viewer))


def _ids(world) -> dict[str, int]:
    return {"set": world.learning_set.pk, "held": world.held.pk, "upcoming": world.upcoming.pk,
            "other_set": world.other_set.pk, "ellis_place": world.extra["ellis_place"]}


# surface -> (url, who may see it, whether the planted content shows there). Listings answer 200 to everyone
# signed in inside the organisation, with nothing of the set in them unless they are allowed.
SURFACES: dict[str, tuple[str, set[str], bool]] = {
    "set page": ("/sets/{set}/", {"member", "facilitator"}, False),
    "held meeting": ("/sets/{set}/meetings/{held}/", {"member", "facilitator"}, True),
    "upcoming meeting (report back)": ("/sets/{set}/meetings/{upcoming}/", {"member", "facilitator"}, True),
    "calendar file": ("/sets/{set}/meetings/{upcoming}/meeting.ics", {"member", "facilitator"}, False),
    "brief page": ("/sets/{set}/meetings/{held}/brief/", {"member"}, True),
    "leave page": ("/sets/{set}/leave/", {"member", "facilitator"}, False),
    "removing a member, asked first": ("/sets/{set}/members/{ellis_place}/remove/", {"facilitator"}, False),
    "book a meeting": ("/sets/{set}/meetings/new/", {"facilitator"}, False),
    "change a meeting": ("/sets/{set}/meetings/{upcoming}/edit/", {"facilitator"}, False),
    "manage set": ("/manage/sets/{set}/", {"admin"}, False),
}
LISTINGS: dict[str, tuple[str, set[str]]] = {
    # url, who sees the set's name there
    "home": ("/", {"member", "facilitator", "invited"}),
    "sets": ("/sets/", {"member", "facilitator", "invited"}),
    "manage list": ("/manage/sets/", {"admin"}),
    "cpd record": ("/learn/cpd/", {"member"}),
    "journal about a meeting": ("/journal/new/?about=learningsets.meeting:{held}", {"member", "facilitator"}),
}
CONTENT = ("-brief", "-question", "-action")


# Each test walks every viewer in turn over one world (building a world per viewer would cost minutes).


@pytest.mark.parametrize("surface", list(SURFACES))
def test_only_the_set_sees_its_surfaces(world, alpha, beta, surface):
    template, allowed, carries_content = SURFACES[surface]
    for viewer in VIEWERS:
        response = _client(world, viewer, alpha, beta).get(template.format(**_ids(world)))
        content = response.content.decode()
        if viewer in allowed:
            assert response.status_code == 200, viewer
            if carries_content:
                assert world.marker in content, viewer
        elif surface == "set page" and viewer == "invited":
            # Their invitation and the agreement, nothing of the set (test_the_invitation_shows_the_agreement_...).
            assert response.status_code == 200 and "Ellis Evening" not in content
        else:
            assert response.status_code == 404, viewer
        if surface == "manage set" or viewer not in allowed:
            assert world.marker not in content, viewer


@pytest.mark.parametrize("listing", list(LISTINGS))
def test_listings_name_the_set_only_to_its_people(world, alpha, beta, listing):
    template, allowed = LISTINGS[listing]
    for viewer in VIEWERS:
        response = _client(world, viewer, alpha, beta).get(template.format(**_ids(world)))
        content = response.content.decode()
        assert world.marker not in content, viewer
        if viewer == "operator":
            assert response.status_code in (200, 302, 404)  # the public site has none of these
        elif listing == "manage list" and viewer not in ("admin", "beta_user"):
            assert response.status_code == 404, viewer
        else:
            assert response.status_code == 200, viewer
        assert ("Larch House set" in content) == (viewer in allowed), viewer


def test_the_invitation_shows_the_agreement_and_nothing_of_the_set(world, alpha, beta):
    content = _client(world, "invited", alpha, beta).get(f"/sets/{world.learning_set.pk}/").content.decode()
    assert "The set's agreement" in content and "Safeguarding concerns never stay in the room" in content
    for inside in ("Ellis Evening", "Cass Carer", "Who presents", "Past meetings", world.marker):
        assert inside not in content


def test_the_invited_person_does_not_see_the_set_after_declining(world, alpha, beta):
    client = _client(world, "invited", alpha, beta)
    assert client.post(f"/sets/{world.learning_set.pk}/decline/").status_code == 302
    assert client.get(f"/sets/{world.learning_set.pk}/").status_code == 404


@pytest.mark.parametrize("template", [
    "/sets/{missing}/", "/sets/{set}/meetings/{missing}/", "/sets/{missing}/meetings/{held}/",
    "/sets/{other_set}/meetings/{held}/", "/manage/sets/{missing}/",
])
def test_a_missing_set_or_meeting_answers_like_a_forbidden_one(world, alpha, beta, template):
    url = template.format(**_ids(world), missing=MISSING)
    for viewer in VIEWERS:
        assert _client(world, viewer, alpha, beta).get(url).status_code == 404, viewer


def _state(organisation) -> dict[str, object]:
    with tenant_context(organisation):
        return {
            "sets": sorted(LearningSet.objects.values_list("pk", "name", "rhythm_weeks")),
            "places": sorted(SetMember.objects.values_list("pk", "user_id", "accepted_at", "ended_at",
                                                           "is_facilitator")),
            "meetings": sorted(Meeting.objects.values_list(
                "pk", "starts_at", "cancelled_at", "presenter_id", "brief", "action", "report", "sequence",
            )),
            "questions": sorted(Question.objects.values_list("pk", "text")),
            "attendance": sorted(Attendance.objects.values_list("pk", "user_id", "attended")),
            "emails": MeetingEmail.objects.count(),
        }


# write -> (url, data, who may do it). Dates are far ahead so a valid post would work.
WRITES: dict[str, tuple[str, dict[str, str], set[str]]] = {
    "accept": ("/sets/{set}/accept/", {}, {"invited"}),
    "decline": ("/sets/{set}/decline/", {}, {"invited"}),
    # The facilitator hands the role on before leaving (their post is refused, 400, nothing changed).
    "leave": ("/sets/{set}/leave/", {}, {"member"}),
    "hand over": ("/sets/{set}/facilitator/", {"handover-person": "{cass}"}, {"facilitator"}),
    "hand over and leave": ("/sets/{set}/facilitator/", {"handover-person": "{cass}", "handover-leave": "True"},
                            {"facilitator"}),
    "appoint a facilitator": ("/manage/sets/{set}/facilitator/", {"appoint-person": "{cass}"}, {"admin"}),
    "invite": ("/sets/{set}/members/", {"invite-person": "{mentor}"}, {"facilitator"}),
    "remove": ("/sets/{set}/members/{ellis_place}/remove/", {}, {"facilitator"}),
    "rhythm": ("/sets/{set}/rhythm/", {"rhythm-rhythm": "6"}, {"facilitator"}),
    "book": ("/sets/{set}/meetings/new/", {"meeting-day": "2030-03-04", "meeting-time": "14:00",
                                           "meeting-minutes": "90", "meeting-place": "", "meeting-presenter": ""},
             {"facilitator"}),
    "change": ("/sets/{set}/meetings/{upcoming}/edit/", {"meeting-day": "2030-03-05", "meeting-time": "10:00",
                                                         "meeting-minutes": "90", "meeting-place": "Room 2"},
               {"facilitator"}),
    "cancel": ("/sets/{set}/meetings/{upcoming}/cancel/", {}, {"facilitator"}),
    "presenter": ("/sets/{set}/meetings/{upcoming}/presenter/", {"presenter-presenter": "{cass}"}, {"facilitator"}),
    "brief": ("/sets/{set}/meetings/{upcoming}/brief/", {"shape": "free", "brief-brief": "Mine now"}, set()),
    "question": ("/sets/{set}/meetings/{held}/questions/", {"question-question": "What matters most?"},
                 {"facilitator"}),
    "action": ("/sets/{set}/meetings/{held}/action/", {"action-action": "Talk to the night team"}, {"member"}),
    "report": ("/sets/{set}/meetings/{held}/report/", {"report-report": "It went well"}, {"member"}),
    "attendance": ("/sets/{set}/meetings/{held}/attendance/", {"attendance-present": "{sam}"}, {"facilitator"}),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_only_those_entitled_can_change_a_set(world, alpha, beta, write):
    """Everyone not entitled tries first (nothing may change), then whoever is entitled (it must)."""
    with tenant_context(alpha):
        ellis_place = SetMember.objects.get(learning_set=world.learning_set, user=world.ellis, ended_at__isnull=True)
    fill = {**_ids(world), "ellis_place": ellis_place.pk, "mentor": world.mentor.pk, "cass": world.members[2].pk,
            "sam": world.sam.pk}
    template, data, allowed = WRITES[write]
    data = {key: value.format(**fill) for key, value in data.items()}
    for viewer in [v for v in VIEWERS if v not in allowed] + [v for v in VIEWERS if v in allowed]:
        before, beta_before = _state(alpha), _state(beta)
        response = _client(world, viewer, alpha, beta).post(template.format(**fill), data)
        connection.set_schema_to_public()
        after = _state(alpha)
        assert _state(beta) == beta_before, viewer
        assert world.marker not in response.content.decode() or viewer in ("member", "facilitator")
        if viewer in allowed:
            assert response.status_code == 302, (viewer, response.content.decode()[:3000])
            assert after != before, viewer
        else:
            assert response.status_code in (400, 404) or (viewer == "operator" and response.status_code in (302, 403))
            assert after == before, viewer


def test_a_set_id_of_one_organisation_means_nothing_in_another(world, alpha, beta):
    with tenant_context(beta):
        LearningSet.objects.create(pk=world.learning_set.pk, name="Beta own set")
    at_beta = client_for(beta, world.beta_user)
    for url in (f"/sets/{world.learning_set.pk}/", f"/sets/{world.learning_set.pk}/meetings/{world.held.pk}/"):
        assert at_beta.get(url).status_code == 404
    text = at_beta.get(f"/manage/sets/{world.learning_set.pk}/").content.decode()
    assert "Beta own set" in text and "Sam Shift" not in text and world.marker not in text


def test_set_pages_are_never_stored(world, alpha):
    client = client_for(alpha, world.sam)
    pk = world.learning_set.pk
    for url in ("/sets/", f"/sets/{pk}/", f"/sets/{pk}/meetings/{world.held.pk}/"):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_leaving_ends_access_on_the_next_request_and_says_so(world, alpha):
    client = client_for(alpha, world.members[2])
    meeting = f"/sets/{world.learning_set.pk}/meetings/{world.held.pk}/"
    assert world.marker in client.get(meeting).content.decode()
    assert "you stop seeing anything in the set straight away" in client.get(
        f"/sets/{world.learning_set.pk}/leave/").content.decode()
    response = client.post(f"/sets/{world.learning_set.pk}/leave/", follow=True)
    assert "From now on you won&#x27;t see anything in it" in response.content.decode()
    assert client.get(meeting).status_code == 404
    assert client.get(f"/sets/{world.learning_set.pk}/").status_code == 404


def test_someone_removed_loses_access_on_the_next_request(world, alpha):
    cass = world.members[2]
    with tenant_context(alpha):
        place = SetMember.objects.get(learning_set=world.learning_set, user=cass, ended_at__isnull=True)
    client = client_for(alpha, cass)
    assert client.get(f"/sets/{world.learning_set.pk}/").status_code == 200
    client_for(alpha, world.facilitator).post(f"/sets/{world.learning_set.pk}/members/{place.pk}/remove/")
    assert client.get(f"/sets/{world.learning_set.pk}/").status_code == 404
    assert client.get(f"/sets/{world.learning_set.pk}/meetings/{world.held.pk}/").status_code == 404


def test_the_admin_pages_read_no_content_columns(world, alpha, django_assert_max_num_queries):
    """The admin's set page reads meetings with `only` the columns that carry no content."""
    from django.test.utils import CaptureQueriesContext

    client = client_for(alpha, world.admin)
    client.get("/manage/sets/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/manage/sets/{world.learning_set.pk}/")
        client.get("/manage/sets/")
    sql = " ".join(query["sql"] for query in queries.captured_queries if "learningsets_" in query["sql"])
    for column in ('"brief"', '"action"', '"report"', '"text"', '"brief_parts"'):
        assert column not in sql
