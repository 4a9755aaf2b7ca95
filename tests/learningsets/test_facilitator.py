"""Who facilitates a set, and removing a member in two steps.

The one rule (learningsets.services.facilitator_hand_over): the facilitator hands the role to another member who has
joined, or an admin appoints one; the facilitator cannot leave without handing over first; a facilitator whose
account was closed leaves the set needing one, which its members and the admins are told in words. Removing a member
asks first, and says they lose the whole set at once."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from learningsets import services
from learningsets.models import EndedHow, SetMember
from people.services import member_deactivate
from tests.conftest import client_for
from tests.learningsets.sets_world import build_world, place_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alpha, beta):
    return build_world(alpha, beta)


def _facilitators(learning_set) -> list[str]:
    return [p.user.get_full_name() for p in SetMember.objects.filter(
        learning_set=learning_set, ended_at__isnull=True, is_facilitator=True).select_related("user")]


def _url(world, tail: str = "") -> str:
    return f"/sets/{world.learning_set.pk}/{tail}"


# --- The rule, in the service


def test_a_facilitator_who_only_facilitates_steps_out_when_they_hand_over(world, alpha):
    with tenant_context(alpha):
        services.facilitator_hand_over(learning_set=world.learning_set, by=world.facilitator, to=world.sam)
        assert _facilitators(world.learning_set) == ["Sam Shift"]
        old = SetMember.objects.get(learning_set=world.learning_set, user=world.facilitator)
        assert old.ended_at is not None and old.ended_how == EndedHow.LEFT
        sam = place_of(world.sam, world.learning_set)
        assert sam.is_member and sam.is_facilitator
        # Sam can book now; Priya can do nothing in the set any more.
        services.rhythm_set(learning_set=world.learning_set, by=world.sam, rhythm_weeks=5)
        with pytest.raises(services.SetError):
            services.rhythm_set(learning_set=world.learning_set, by=world.facilitator, rhythm_weeks=4)


def test_a_facilitator_who_is_also_a_member_stays_as_a_member_or_hands_over_and_leaves(world, alpha):
    with tenant_context(alpha):
        services.facilitator_hand_over(learning_set=world.learning_set, by=world.facilitator, to=world.sam)
        services.facilitator_hand_over(learning_set=world.learning_set, by=world.sam, to=world.ellis)
        sam = place_of(world.sam, world.learning_set)
        assert sam.is_member and not sam.is_facilitator and _facilitators(world.learning_set) == ["Ellis Evening"]
        services.facilitator_hand_over(learning_set=world.learning_set, by=world.ellis, to=world.sam,
                                       then_leave=True)
        assert not SetMember.objects.filter(learning_set=world.learning_set, user=world.ellis,
                                            ended_at__isnull=True).exists()
        assert _facilitators(world.learning_set) == ["Sam Shift"]


def test_the_facilitator_cannot_leave_without_handing_over(world, alpha):
    with tenant_context(alpha), pytest.raises(services.SetError, match="hand the role to another member"):
        services.place_leave(place=place_of(world.facilitator, world.learning_set), user=world.facilitator)
    with tenant_context(alpha):
        assert _facilitators(world.learning_set) == ["Priya Facilitator"]


@pytest.mark.parametrize("who", ["invited", "former", "other_member", "admin", "facilitator"])
def test_only_a_member_who_has_joined_can_become_facilitator(world, alpha, who):
    with tenant_context(alpha), pytest.raises(services.SetError):
        services.facilitator_hand_over(learning_set=world.learning_set, by=world.facilitator,
                                       to=getattr(world, who))
    with tenant_context(alpha):
        assert _facilitators(world.learning_set) == ["Priya Facilitator"]


@pytest.mark.parametrize("who", ["sam", "invited", "former", "other_member", "mentor"])
def test_nobody_but_the_facilitator_or_an_admin_hands_the_role_on(world, alpha, who):
    with tenant_context(alpha), pytest.raises(services.SetError):
        services.facilitator_hand_over(learning_set=world.learning_set, by=getattr(world, who), to=world.ellis)
    with tenant_context(alpha):
        assert _facilitators(world.learning_set) == ["Priya Facilitator"]


def test_an_admin_appoints_a_facilitator_when_the_facilitators_account_is_closed(world, alpha):
    with tenant_context(alpha):
        member_deactivate(member=world.facilitator, by=world.admin)
    sam = client_for(alpha, world.sam)
    assert "This set needs a facilitator" in sam.get(_url(world)).content.decode()
    admin = client_for(alpha, world.admin)
    listing = admin.get("/manage/sets/").content.decode()
    assert "Needs a facilitator" in listing and listing.count("Needs a facilitator") == 1  # not the Night set
    page = admin.get(f"/manage/sets/{world.learning_set.pk}/").content.decode()
    assert "This set needs a facilitator" in page and "Deactivated" in page and world.marker not in page

    response = admin.post(f"/manage/sets/{world.learning_set.pk}/facilitator/", {"appoint-person": world.ellis.pk})
    assert response.status_code == 302
    with tenant_context(alpha):
        assert _facilitators(world.learning_set) == ["Ellis Evening"]
        old = SetMember.objects.get(learning_set=world.learning_set, user=world.facilitator)
        assert old.ended_how == EndedHow.HANDED_OVER
    assert "This set needs a facilitator" not in sam.get(_url(world)).content.decode()
    assert "Needs a facilitator" not in admin.get("/manage/sets/").content.decode()
    page = admin.get(f"/manage/sets/{world.learning_set.pk}/").content.decode()
    assert "This set needs a facilitator" not in page and world.marker not in page
    # Ellis can book meetings now.
    assert client_for(alpha, world.ellis).get(_url(world, "meetings/new/")).status_code == 200


def test_an_admin_can_appoint_while_someone_facilitates(world, alpha):
    with tenant_context(alpha):
        services.facilitator_hand_over(learning_set=world.learning_set, by=world.admin, to=world.members[2])
        assert _facilitators(world.learning_set) == ["Cass Carer"]


def test_an_admin_appoints_only_from_those_who_joined_and_a_stranger_is_404(world, alpha):
    admin = client_for(alpha, world.admin)
    url = f"/manage/sets/{world.learning_set.pk}/facilitator/"
    for person in (world.invited, world.former, world.other_member, world.mentor):
        assert admin.post(url, {"appoint-person": person.pk}).status_code == 404
    response = admin.post(url, {"appoint-person": "not a number"})
    assert response.status_code == 400 and "Choose someone from the list." in response.content.decode()
    assert admin.post(url, {"appoint-person": ""}).status_code == 400
    assert admin.post("/manage/sets/999999/facilitator/", {"appoint-person": world.sam.pk}).status_code == 404
    assert client_for(alpha, world.sam).post(url, {"appoint-person": world.sam.pk}).status_code == 404
    with tenant_context(alpha):
        assert _facilitators(world.learning_set) == ["Priya Facilitator"]


# --- On the set's pages


def test_the_facilitator_hands_over_from_the_set_page(world, alpha):
    client = client_for(alpha, world.facilitator)
    page = client.get(_url(world)).content.decode()
    assert "Hand over facilitating" in page and "you step out of it" in page
    # The form offers only those who have joined, and not the facilitator.
    form = page[page.index('id="handover-title"'):]
    form = form[:form.index("</section>")]
    assert "Sam Shift" in form and "Fin Floor" not in form and "Gus Gone" not in form
    assert "Priya Facilitator" not in form
    assert "Hand over facilitating" not in client_for(alpha, world.sam).get(_url(world)).content.decode()

    response = client.post(_url(world, "facilitator/"), {"handover-person": world.sam.pk}, follow=True)
    assert "Sam Shift facilitates" in response.content.decode()
    assert client.get(_url(world)).status_code == 404
    assert "You facilitate this set" in client_for(alpha, world.sam).get(_url(world)).content.decode()


def test_a_hand_over_to_someone_outside_the_set_is_404_and_bad_input_is_explained(world, alpha):
    client = client_for(alpha, world.facilitator)
    for person in (world.invited, world.former, world.other_member, world.admin):
        assert client.post(_url(world, "facilitator/"), {"handover-person": person.pk}).status_code == 404
    response = client.post(_url(world, "facilitator/"), {"handover-person": ""})
    assert response.status_code == 400 and "Choose who facilitates next." in response.content.decode()
    response = client.post(_url(world, "facilitator/"), {"handover-person": world.facilitator.pk})
    assert response.status_code == 400 and "Choose another member" in response.content.decode()
    for who in (world.sam, world.admin, world.former):
        assert client_for(alpha, who).post(_url(world, "facilitator/"),
                                           {"handover-person": world.ellis.pk}).status_code == 404
    with tenant_context(alpha):
        assert _facilitators(world.learning_set) == ["Priya Facilitator"]


def test_the_leave_page_tells_the_facilitator_to_hand_over_with_the_form_right_there(world, alpha):
    client = client_for(alpha, world.facilitator)
    page = client.get(_url(world, "leave/")).content.decode()
    assert "hand the role to another member before you leave" in page and "Hand over and leave" in page
    assert f'action="{_url(world, "facilitator/")}"' in page
    refused = client.post(_url(world, "leave/"))
    assert refused.status_code == 400 and "hand the role to another member" in refused.content.decode()
    with tenant_context(alpha):
        assert _facilitators(world.learning_set) == ["Priya Facilitator"]

    response = client.post(_url(world, "facilitator/"), {"handover-person": world.ellis.pk, "handover-leave": "True"},
                           follow=True)
    assert "you have left it" in response.content.decode()
    assert client.get(_url(world)).status_code == 404
    with tenant_context(alpha):
        assert _facilitators(world.learning_set) == ["Ellis Evening"]


def test_a_member_still_just_leaves(world, alpha):
    client = client_for(alpha, world.sam)
    page = client.get(_url(world, "leave/")).content.decode()
    assert "Hand over and leave" not in page and "Leave the set" in page
    assert client.post(_url(world, "leave/")).status_code == 302
    assert client.get(_url(world)).status_code == 404


# --- Removing a member: two steps


def test_removing_a_member_asks_first_and_says_they_lose_the_whole_set(world, alpha):
    with tenant_context(alpha):
        place = place_of(world.members[2], world.learning_set)
    facilitator = client_for(alpha, world.facilitator)
    url = _url(world, f"members/{place.pk}/remove/")
    page = facilitator.get(_url(world)).content.decode()
    # On the set page, Remove is a link to the question, not a button that acts at once.
    assert f'<a href="{url}">Remove' in page and f'action="{url}"' not in page

    confirm = facilitator.get(url)
    text = confirm.content.decode()
    assert confirm.status_code == 200 and "Remove Cass Carer from the set?" in text
    assert "They lose access to the whole set at once" in text and "Keep them in the set" in text
    with tenant_context(alpha):
        assert place_of(world.members[2], world.learning_set).ended_at is None  # looking changed nothing

    cass = client_for(alpha, world.members[2])
    assert cass.get(_url(world)).status_code == 200
    response = facilitator.post(url, follow=True)
    assert "Cass Carer is no longer in the set" in response.content.decode()
    assert cass.get(_url(world)).status_code == 404
    assert facilitator.get(url).status_code == 404  # they are no longer in it


def test_only_the_facilitator_sees_the_removal_question_and_not_about_themselves(world, alpha):
    with tenant_context(alpha):
        ellis = place_of(world.ellis, world.learning_set).pk
        own = place_of(world.facilitator, world.learning_set).pk
        other = place_of(world.other_member, world.other_set).pk
    for who in (world.sam, world.ellis, world.admin, world.former, world.invited):
        assert client_for(alpha, who).get(_url(world, f"members/{ellis}/remove/")).status_code == 404
    facilitator = client_for(alpha, world.facilitator)
    assert facilitator.get(_url(world, f"members/{own}/remove/")).status_code == 404
    assert facilitator.get(_url(world, f"members/{other}/remove/")).status_code == 404
    assert facilitator.get(_url(world, "members/999999/remove/")).status_code == 404
