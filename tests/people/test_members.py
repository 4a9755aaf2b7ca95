"""The member list, role changes, the last-admin rule, deactivation and reactivation."""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django_tenants.utils import tenant_context

from people.models import User
from tests.conftest import PASSWORD, client_for, make_person

pytestmark = pytest.mark.django_db


def names_on(response) -> list[str]:
    return [member.full_name for member in response.context["page"].object_list]


def test_member_list_search_and_role_filter(alpha, alpha_people):
    make_person(alpha, ["mentor", "leader"], name="Grace Hopper", email="grace@example.org")
    admin = client_for(alpha, alpha_people.admin)
    everyone = admin.get("/manage/people/")
    assert names_on(everyone) == ["Ada Admin", "Grace Hopper", "Lee Leader", "Mo Mentor"]
    assert names_on(admin.get("/manage/people/?q=grace")) == ["Grace Hopper"]
    assert names_on(admin.get("/manage/people/?q=GRACE@EXAMPLE")) == ["Grace Hopper"]
    assert names_on(admin.get("/manage/people/?role=mentor")) == ["Grace Hopper", "Mo Mentor"]
    assert names_on(admin.get("/manage/people/?role=mentor&q=mo")) == ["Mo Mentor"]
    nobody = admin.get("/manage/people/?q=zebra")
    assert names_on(nobody) == []
    assert "Nobody matches that search" in nobody.content.decode()


def test_member_list_query_count_does_not_grow_with_people(alpha, alpha_people, django_assert_max_num_queries):
    admin = client_for(alpha, alpha_people.admin)
    admin.get("/manage/people/")  # warm the session
    with django_assert_max_num_queries(12) as few:
        admin.get("/manage/people/")
    for index in range(30):
        make_person(alpha, ["leader", "mentor"] if index % 2 else ["leader"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin.get("/manage/people/")
    assert len(response.context["page"].object_list) == 33


def test_member_list_pages_at_fifty(alpha, alpha_people):
    with tenant_context(alpha):
        User.objects.bulk_create(
            [User(email=f"bulk{i}@example.org", full_name=f"Bulk {i:03d}", roles=["leader"]) for i in range(60)]
        )
    admin = client_for(alpha, alpha_people.admin)
    first = admin.get("/manage/people/?role=leader")
    assert len(first.context["page"].object_list) == 50
    assert "page=2" in first.content.decode() and "role=leader" in first.content.decode()
    second = admin.get("/manage/people/?role=leader&page=2")
    assert len(second.context["page"].object_list) == 62 - 50


def test_admin_changes_someones_roles(alpha, alpha_people):
    admin = client_for(alpha, alpha_people.admin)
    url = f"/manage/people/{alpha_people.leader.pk}/"
    response = admin.post(url, {"roles-roles": ["leader", "mentor"]})
    assert response.status_code == 302
    with tenant_context(alpha):
        assert User.objects.get(pk=alpha_people.leader.pk).roles == ["leader", "mentor"]
    assert "roles are now: Leader, Mentor" in admin.get(url).content.decode()
    empty = admin.post(url, {})
    assert "Choose at least one role." in empty.content.decode()
    bogus = admin.post(url, {"roles-roles": ["overlord"]})
    assert bogus.status_code == 200
    with tenant_context(alpha):
        assert User.objects.get(pk=alpha_people.leader.pk).roles == ["leader", "mentor"]


def test_the_only_admin_cannot_remove_their_own_admin_role(alpha, alpha_people):
    admin = client_for(alpha, alpha_people.admin)
    response = admin.post(f"/manage/people/{alpha_people.admin.pk}/", {"roles-roles": ["leader"]})
    assert response.status_code == 200
    assert ("You are the only admin of your organisation, so you cannot remove your own admin role"
            in response.content.decode())
    with tenant_context(alpha):
        assert User.objects.get(pk=alpha_people.admin.pk).is_org_admin

    # With a second admin, they can step down.
    second = make_person(alpha, ["admin"], name="Second Admin")
    assert admin.post(f"/manage/people/{alpha_people.admin.pk}/", {"roles-roles": ["leader"]}).status_code == 302
    with tenant_context(alpha):
        assert not User.objects.get(pk=alpha_people.admin.pk).is_org_admin
    # ... and now they are no longer allowed in.
    assert admin.get("/manage/").status_code == 404
    # The remaining admin is the last one now.
    last = client_for(alpha, second)
    response = last.post(f"/manage/people/{second.pk}/", {"roles-roles": ["mentor"]})
    assert "only admin" in response.content.decode()


def test_admins_cannot_deactivate_themselves(alpha, alpha_people):
    admin = client_for(alpha, alpha_people.admin)
    response = admin.post(f"/manage/people/{alpha_people.admin.pk}/deactivate/", follow=True)
    assert "You cannot deactivate yourself" in response.content.decode()
    with tenant_context(alpha):
        assert User.objects.get(pk=alpha_people.admin.pk).is_active


def test_deactivation_ends_every_session_at_once_and_blocks_sign_in(alpha, alpha_people):
    leader = alpha_people.leader
    phone, laptop = client_for(alpha), client_for(alpha)
    for device in (phone, laptop):
        assert device.post("/accounts/login/", {"login": leader.email, "password": PASSWORD}).status_code == 302
        assert device.get("/").status_code == 200
    with tenant_context(alpha):
        assert UserSession.objects.filter(user=leader).count() == 2
    keys = [phone.cookies["sessionid"].value, laptop.cookies["sessionid"].value]

    admin = client_for(alpha, alpha_people.admin)
    response = admin.post(f"/manage/people/{leader.pk}/deactivate/", follow=True)
    assert "has been deactivated and signed out everywhere" in response.content.decode()

    with tenant_context(alpha):
        assert not Session.objects.filter(session_key__in=keys).exists()
        assert not UserSession.objects.filter(user=leader).exists()
        assert not User.objects.get(pk=leader.pk).is_active
    for device in (phone, laptop):
        response = device.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # They cannot sign in again.
    again = client_for(alpha)
    attempt = again.post("/accounts/login/", {"login": leader.email, "password": PASSWORD})
    assert not attempt.wsgi_request.user.is_authenticated
    assert again.get("/").status_code == 302
    # The list shows them as deactivated.
    assert names_on(admin.get("/manage/people/?status=inactive")) == ["Lee Leader"]

    # Reactivated, they can sign in with their old password.
    admin.post(f"/manage/people/{leader.pk}/reactivate/")
    back = client_for(alpha)
    assert back.post("/accounts/login/", {"login": leader.email, "password": PASSWORD}).status_code == 302
    assert back.get("/").status_code == 200


def test_force_logged_in_session_without_tracking_also_ends(alpha, alpha_people):
    # A session allauth never saw (made before tracking) is found by the user id it carries.
    client = client_for(alpha, alpha_people.mentor)
    key = client.cookies["sessionid"].value
    with tenant_context(alpha):
        UserSession.objects.filter(session_key=key).delete()
    client_for(alpha, alpha_people.admin).post(f"/manage/people/{alpha_people.mentor.pk}/deactivate/")
    with tenant_context(alpha):
        assert not Session.objects.filter(session_key=key).exists()


def test_removing_the_mentor_role_ends_that_persons_mentor_pairings(alpha, alpha_people):
    from people.selectors import current_mentees_of, current_mentors_of
    from people.services import pairing_create

    second_mentor = make_person(alpha, ["mentor"], name="Nia Mentor")
    with tenant_context(alpha):
        pairing_create(leader=alpha_people.leader, mentor=alpha_people.mentor)
        pairing_create(leader=alpha_people.leader, mentor=second_mentor)
    admin = client_for(alpha, alpha_people.admin)
    # Adding a role leaves pairings alone.
    admin.post(f"/manage/people/{second_mentor.pk}/", {"roles-roles": ["mentor", "leader"]})
    admin.post(f"/manage/people/{alpha_people.mentor.pk}/", {"roles-roles": ["leader"]})
    with tenant_context(alpha):
        assert list(current_mentees_of(alpha_people.mentor)) == []
        assert list(current_mentors_of(alpha_people.leader)) == [second_mentor]
