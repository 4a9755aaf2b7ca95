"""Inviting someone into a team: the invitation form, the CSV upload and "add someone without an email address"
take an optional team (people.invitation_extras, filled in by teams.invitations); accepting makes them a member."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from people.models import Invitation, User
from teams import selectors, services
from teams.models import Membership
from tests.conftest import client_for
from tests.people.conftest import accept_links, path_of, send_now  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = {"password1": "a-fresh-long-password-9", "password2": "a-fresh-long-password-9"}


def _accept(alpha, link: str, name: str = "Nia New") -> User:
    response = client_for(alpha).post(path_of(link), {"full_name": name, **NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(alpha):
        return User.objects.get(full_name=name)


def test_the_invitation_form_offers_live_teams_only_when_there_are_some(alpha, alpha_people):
    admin = client_for(alpha, alpha_people.admin)
    assert 'name="team"' not in admin.get("/manage/invitations/").content.decode()
    with tenant_context(alpha):
        services.team_create(name="Larch House")
        services.team_archive(team=services.team_create(name="Old Oak"))
    page = admin.get("/manage/invitations/").content.decode()
    assert 'name="team"' in page and "Larch House" in page and "Old Oak" not in page


def test_invited_with_a_team_they_join_it_when_they_accept(
    alpha, alpha_people, send_now, django_capture_on_commit_callbacks  # noqa: F811
):
    with tenant_context(alpha):
        team = services.team_create(name="Larch House")
    admin = client_for(alpha, alpha_people.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/manage/invitations/", {
            "full_name": "Nia New", "email": "nia@example.org", "roles": ["leader"], "team": str(team.pk),
        })
    assert response.status_code == 302
    with tenant_context(alpha):
        assert Invitation.objects.get(email="nia@example.org").extras == {"team": team.pk}
    [link] = accept_links()
    person = _accept(alpha, link)
    with tenant_context(alpha):
        assert list(selectors.teams_of(person)) == [team]
    assert "Larch House" in client_for(alpha, person).get("/teams/").content.decode()


def test_a_team_archived_before_they_accept_is_left_alone(
    alpha, alpha_people, send_now, django_capture_on_commit_callbacks  # noqa: F811
):
    with tenant_context(alpha):
        team = services.team_create(name="Larch House")
    admin = client_for(alpha, alpha_people.admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post("/manage/invitations/", {
            "full_name": "Nia New", "email": "nia@example.org", "roles": ["leader"], "team": str(team.pk),
        })
    with tenant_context(alpha):
        services.team_archive(team=team)
    person = _accept(alpha, accept_links()[0])
    with tenant_context(alpha):
        assert not Membership.objects.filter(user=person).exists()


def test_an_unknown_team_on_the_form_is_a_message_and_nobody_is_invited(alpha, alpha_people):
    with tenant_context(alpha):
        services.team_create(name="Larch House")
    response = client_for(alpha, alpha_people.admin).post("/manage/invitations/", {
        "full_name": "Nia New", "email": "nia@example.org", "roles": ["leader"], "team": "999999",
    })
    assert response.status_code == 200 and "Choose a team from the list" in response.content.decode()
    with tenant_context(alpha):
        assert not Invitation.objects.exists()


def test_csv_upload_with_a_team_column(alpha, alpha_people, send_now, django_capture_on_commit_callbacks):  # noqa: F811
    with tenant_context(alpha):
        larch = services.team_create(name="Larch House")
        services.team_create(name="Night team")
    csv_text = (
        "name,email,roles,team\n"
        "Ann One,ann@example.org,leader,larch  HOUSE\n"
        "Ben Two,ben@example.org,leader,\n"
        "Cas Three,cas@example.org,leader,Nowhere Ward\n"
    )
    admin = client_for(alpha, alpha_people.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/manage/invitations/upload/", {
            "file": SimpleUploadedFile("people.csv", csv_text.encode(), "text/csv"),
        })
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is no team called “Nowhere Ward”" in text
    with tenant_context(alpha):
        invitations = {i.email: i.extras for i in Invitation.objects.all()}
    assert invitations == {"ann@example.org": {"team": larch.pk}, "ben@example.org": {}}  # nothing for Cas
    links = accept_links()
    assert len(links) == 2
    # A link names nobody: accept each, then look at who joined which team.
    for number, link in enumerate(links):
        _accept(alpha, link, name=f"Person {number}")
    with tenant_context(alpha):
        ann = User.objects.get(email="ann@example.org")
        ben = User.objects.get(email="ben@example.org")
        assert list(selectors.teams_of(ann)) == [larch]
        assert list(selectors.teams_of(ben)) == []


def test_the_upload_page_names_the_optional_team_column(alpha, alpha_people):
    page = client_for(alpha, alpha_people.admin).get("/manage/invitations/upload/").content.decode()
    assert "<code>team</code>" in page


def test_a_header_with_an_unknown_column_is_refused(alpha, alpha_people, django_capture_on_commit_callbacks):
    response = client_for(alpha, alpha_people.admin).post("/manage/invitations/upload/", {
        "file": SimpleUploadedFile("p.csv", b"name,email,roles,shoe size\nA,a@example.org,leader,9\n", "text/csv"),
    })
    assert "(and, if you like, team)" in response.content.decode()
    with tenant_context(alpha):
        assert not Invitation.objects.exists()


def test_someone_added_without_an_email_address_joins_the_team_at_once(alpha, alpha_people):
    with tenant_context(alpha):
        team = services.team_create(name="Night team")
    admin = client_for(alpha, alpha_people.admin)
    assert 'name="noemail-team"' in admin.get("/manage/people/add/").content.decode()
    response = admin.post("/manage/people/add/", {
        "noemail-full_name": "Jo Night", "noemail-roles": "leader", "noemail-team": str(team.pk),
        "noemail-once": "form-1",
    })
    assert response.status_code == 200
    # The same form sent again adds nobody, and no second membership.
    admin.post("/manage/people/add/", {
        "noemail-full_name": "Jo Night", "noemail-roles": "leader", "noemail-team": str(team.pk),
        "noemail-once": "form-1",
    })
    with tenant_context(alpha):
        jo = User.objects.get(full_name="Jo Night")
        assert list(selectors.current_members(team)) == [jo]
        assert Membership.objects.filter(user=jo).count() == 1
