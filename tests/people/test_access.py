"""Who reaches /manage/: admins only. Everyone else gets a 404 (signed in) or the sign-in page (signed out);
a session of another organisation means nothing here; Django admin does not exist inside an organisation."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from people.models import Invitation, MentorPairing
from people.services import invitation_create, pairing_create
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db

GET_URLS = [
    "/manage/", "/manage/people/", "/manage/people/{member}/", "/manage/invitations/",
    "/manage/invitations/?state=expired", "/manage/invitations/upload/", "/manage/pairings/",
    "/manage/pairings/?show=all", "/manage/settings/",
]
POST_URLS = [
    "/manage/people/{member}/deactivate/", "/manage/people/{member}/reactivate/",
    "/manage/invitations/{invitation}/resend/", "/manage/invitations/{invitation}/revoke/",
    "/manage/pairings/{pairing}/end/", "/manage/invitations/", "/manage/pairings/", "/manage/settings/",
    "/manage/people/{member}/",
]


@pytest.fixture
def alpha_data(alpha, alpha_people):
    with tenant_context(alpha):
        invitation = invitation_create(
            email="secret-invitee@example.org", full_name="Secret Invitee", roles=["leader"],
            invited_by=alpha_people.admin,
        )
        pairing = pairing_create(leader=alpha_people.leader, mentor=alpha_people.mentor)
    return {"member": alpha_people.leader.pk, "invitation": invitation.pk, "pairing": pairing.pk}


def test_admin_reaches_every_manage_page(alpha, alpha_people, alpha_data):
    admin = client_for(alpha, alpha_people.admin)
    for url in GET_URLS:
        response = admin.get(url.format(**alpha_data))
        assert response.status_code == 200, url
    index = admin.get("/manage/").content.decode()
    for link in ("/manage/people/", "/manage/invitations/", "/manage/pairings/", "/manage/learning/"):
        assert f'href="{link}"' in index


@pytest.mark.parametrize("role", ["leader", "mentor"])
def test_leaders_and_mentors_get_404_everywhere_under_manage(alpha, alpha_people, alpha_data, role):
    client = client_for(alpha, getattr(alpha_people, role))
    for url in GET_URLS:
        assert client.get(url.format(**alpha_data)).status_code == 404, url
    for url in POST_URLS:
        assert client.post(url.format(**alpha_data)).status_code == 404, url
    with tenant_context(alpha):
        assert Invitation.objects.get().revoked_at is None
        assert MentorPairing.objects.get().ends_on is None
    # And the navigation does not offer Manage.
    assert 'href="/manage/"' not in client.get("/").content.decode()


def test_leader_with_mentor_role_too_is_still_not_an_admin(alpha):
    both = make_person(alpha, ["leader", "mentor"])
    assert client_for(alpha, both).get("/manage/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(alpha, alpha_data):
    visitor = client_for(alpha)
    for url in GET_URLS + POST_URLS:
        response = visitor.get(url.format(**alpha_data)) if url in GET_URLS else visitor.post(url.format(**alpha_data))
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_deactivated_admin_is_signed_out_not_let_in(alpha, alpha_people):
    other_admin = make_person(alpha, ["admin"])
    client = client_for(alpha, other_admin)
    with tenant_context(alpha):
        other_admin.is_active = False
        other_admin.save()
    assert client.get("/manage/").status_code == 302


def test_beta_admin_session_at_alpha_sees_nothing_of_alpha(alpha, beta, alpha_people, alpha_data):
    beta_admin = make_person(beta, ["admin", "leader"], name="Beta Boss")
    at_beta = client_for(beta, beta_admin)
    assert at_beta.get("/manage/").status_code == 200
    session_id = at_beta.cookies["sessionid"].value

    at_alpha = client_for(alpha)
    at_alpha.cookies["sessionid"] = session_id
    alpha_secrets = [
        "Secret Invitee", "secret-invitee@example.org", alpha_people.leader.email, "Lee Leader", "Mo Mentor",
    ]
    # The learning report (courses) lives under /manage/ too.
    for url in [*GET_URLS, "/manage/learning/"]:
        response = at_alpha.get(url.format(**alpha_data))
        assert response.status_code in (302, 404), url
        body = response.content.decode()
        for secret in alpha_secrets:
            assert secret not in body, (url, secret)
    for url in POST_URLS:
        response = at_alpha.post(url.format(**alpha_data))
        assert response.status_code in (302, 403, 404), url
    with tenant_context(alpha):
        assert Invitation.objects.get().revoked_at is None
        assert MentorPairing.objects.get().ends_on is None
        assert alpha_people.leader.__class__.objects.get(pk=alpha_people.leader.pk).is_active


def test_beta_admin_at_beta_cannot_reach_alpha_objects_by_id(alpha, beta, alpha_data):
    beta_admin = make_person(beta, ["admin"])
    at_beta = client_for(beta, beta_admin)
    # Ids of alpha's objects mean nothing in beta's schema.
    assert at_beta.get(f"/manage/people/{alpha_data['member'] + 1000}/").status_code == 404
    assert at_beta.post(f"/manage/invitations/{alpha_data['invitation']}/revoke/").status_code == 404
    assert at_beta.post(f"/manage/pairings/{alpha_data['pairing']}/end/").status_code == 404
    with tenant_context(alpha):
        assert Invitation.objects.get().revoked_at is None


def test_django_admin_does_not_exist_inside_an_organisation(alpha, alpha_people):
    superuser = make_person(alpha, ["admin"])
    with tenant_context(alpha):
        superuser.is_staff = superuser.is_superuser = True
        superuser.save()
    assert client_for(alpha, superuser).get("/django-admin/").status_code == 404
    assert client_for(alpha).get("/django-admin/login/").status_code == 404
