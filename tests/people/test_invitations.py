"""Invitations: one at a time, from a CSV file, resend, withdraw, accept, and links that no longer work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from people.models import Invitation, User
from people.services import CSV_MAX_ROWS, invitation_create, token_hash
from tests.conftest import client_for

from .conftest import accept_links, path_of

pytestmark = pytest.mark.django_db


def invite(client, django_capture_on_commit_callbacks, **data):
    payload = {"full_name": "Mina Patel", "email": "mina@example.org", "roles": ["mentor"], **data}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/manage/invitations/", payload)


def test_admin_invites_one_person_and_the_email_links_to_the_organisation(
    alpha, alpha_people, send_now, django_capture_on_commit_callbacks
):
    admin = client_for(alpha, alpha_people.admin)
    response = invite(admin, django_capture_on_commit_callbacks, email="Mina@Example.org")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mina@example.org"]
    assert "Alpha Care" in message.subject
    [link] = accept_links()
    assert link.startswith("http://alpha.localhost/invitations/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    with tenant_context(alpha):
        invitation = Invitation.objects.get(email="mina@example.org")
        assert invitation.roles == ["mentor"]
        assert invitation.invited_by == alpha_people.admin
        # Only the hash is stored; the token itself lives only in the email.
        assert invitation.token_hash == token_hash(token)
        assert token not in str(Invitation.objects.values().get(pk=invitation.pk))
    page = admin.get("/manage/invitations/")
    assert "mina@example.org" in page.content.decode()


def test_inviting_a_member_or_someone_already_invited_gives_a_clear_message(
    alpha, alpha_people, send_now, django_capture_on_commit_callbacks
):
    admin = client_for(alpha, alpha_people.admin)
    response = invite(admin, django_capture_on_commit_callbacks, email=alpha_people.leader.email)
    assert "already a member" in response.content.decode()
    invite(admin, django_capture_on_commit_callbacks)
    response = invite(admin, django_capture_on_commit_callbacks)
    assert "already been invited" in response.content.decode()
    response = invite(admin, django_capture_on_commit_callbacks, email="friend@example.org", roles=[])
    assert "Choose at least one role." in response.content.decode()
    response = invite(admin, django_capture_on_commit_callbacks, email="not-an-email", roles=["leader"])
    assert "Enter an email address like name@example.org." in response.content.decode()
    assert len(mail.outbox) == 1


def upload(client, content: bytes | str, django_capture_on_commit_callbacks, name: str = "people.csv"):
    data = content.encode() if isinstance(content, str) else content
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/manage/invitations/upload/", {"file": SimpleUploadedFile(name, data, "text/csv")})


def test_csv_upload_reports_each_row(alpha, alpha_people, send_now, django_capture_on_commit_callbacks):
    admin = client_for(alpha, alpha_people.admin)
    with tenant_context(alpha):
        invitation_create(email="waiting@example.org", full_name="", roles=["leader"], invited_by=None)
    csv_text = (
        "Name,Email,Roles\n"
        "Priya Shah,priya@example.org,leader\n"
        "Tom Okafor,TOM@example.org,leader;mentor\n"
        "Sam Lee,sam@example.org,mentor|admin\n"
        "Bad Email,not-an-email,leader\n"
        "Odd Role,odd@example.org,manager\n"
        "Tom Again,tom@example.org,leader\n"
        f"Already Here,{alpha_people.mentor.email},mentor\n"
        "Waiting,waiting@example.org,leader\n"
        "No Role,norole@example.org,\n"
        "\n"
    )
    response = upload(admin, csv_text, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    report = response.context["report"]
    assert [row.email for row in report.invited] == ["priya@example.org", "TOM@example.org", "sam@example.org"]
    assert {row.email: row.reason for row in report.skipped} == {
        alpha_people.mentor.email: "already a member", "waiting@example.org": "already invited",
    }
    rejected = {row.line: row.reason for row in report.rejected}
    assert rejected[5] == "not a valid email address"
    assert "unknown role “manager”" in rejected[6]
    assert rejected[7] == "this email address appears earlier in the file"
    assert "no role given" in rejected[10]
    page = response.content.decode()
    for count, what in ((3, "invited"), (2, "skipped"), (4, "rejected")):
        assert f'<span class="stat-value">{count}</span> <span class="stat-label">{what}</span>' in page
    with tenant_context(alpha):
        assert Invitation.objects.get(email="tom@example.org").roles == ["leader", "mentor"]
        assert Invitation.objects.get(email="sam@example.org").roles == ["admin", "mentor"]
    assert sorted(m.to[0] for m in mail.outbox) == ["priya@example.org", "sam@example.org", "tom@example.org"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("first,last,email\nA,B,a@example.org\n", "The first row must name the columns name, email and roles"),
        ("name,email,roles\n", "has a header but no people"),
        ("", "The file is empty"),
        (b"PK\x03\x04\x00\x00binary-spreadsheet", "does not look like a CSV file"),
        (b"\xff\xfe\x00n\x00a\x00m\x00e", "does not look like a CSV file"),
        # A NUL byte well after the first 4 KB used to reach PostgreSQL (500).
        ("name,email,roles\n" + "".join(f"P{i},p{i}@example.org,leader\n" for i in range(300))
         + "Nul\x00Name,nul@example.org,leader\n", "does not look like a CSV file"),
        ("name,email,roles\nPriya,priya@example.org,leader\n".encode("utf-16"), "saved as UTF-16"),
        ("name,email,roles\nPriya,priya@example.org,leader\n".encode("utf-16-be"), "does not look like a CSV file"),
        (b"name,email,roles\nP\x81\x8d,p@example.org,leader\n", "does not look like a CSV file"),
        ("name,email,roles\n" + "A" * 200_000 + ",a@example.org,leader\n", "We could not read line 2"),
        ('name,email,roles\n"Unclosed,a@example.org,leader\n' + "B" * 2000 + "\n", "longer than 1,000 characters"),
        (
            "name,email,roles\n" + "".join(f"P{i},p{i}@example.org,leader\n" for i in range(CSV_MAX_ROWS + 1)),
            "you can invite up to 1,000 at a time",
        ),
    ],
)
def test_unusable_csv_files_get_a_clear_error_and_invite_nobody(
    alpha, alpha_people, send_now, django_capture_on_commit_callbacks, content, message
):
    admin = client_for(alpha, alpha_people.admin)
    response = upload(admin, content, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert message in response.content.decode()
    with tenant_context(alpha):
        assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_latin_1_file_is_read_and_overlong_values_are_rejected_row_by_row(
    alpha, alpha_people, send_now, django_capture_on_commit_callbacks
):
    admin = client_for(alpha, alpha_people.admin)
    long_email = "a" * 250 + "@example.org"  # a valid shape, but longer than the column holds
    data = (
        "name,email,roles\nJosé Núñez,jose@example.org,leader\n"
        f"Long Address,{long_email},leader\n{'N' * 151},long-name@example.org,leader\n"
    ).encode("latin-1")
    response = upload(admin, data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    report = response.context["report"]
    assert [row.email for row in report.invited] == ["jose@example.org"]
    assert {row.line: row.reason for row in report.rejected} == {
        3: "the email address is too long", 4: "the name is too long",
    }
    with tenant_context(alpha):
        assert list(Invitation.objects.values_list("full_name", flat=True)) == ["José Núñez"]


def test_a_thousand_rows_are_accepted(alpha, alpha_people, django_capture_on_commit_callbacks, monkeypatch):
    from people import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.invitation_send, "delay", queued.append)
    admin = client_for(alpha, alpha_people.admin)
    csv_text = "name,email,roles\n" + "".join(f"P{i},p{i}@example.org,leader\n" for i in range(CSV_MAX_ROWS))
    response = upload(admin, csv_text, django_capture_on_commit_callbacks)
    assert len(response.context["report"].invited) == CSV_MAX_ROWS
    assert len(queued) == CSV_MAX_ROWS


def test_resend_sends_a_new_link_and_the_old_one_stops_working(
    alpha, alpha_people, send_now, django_capture_on_commit_callbacks
):
    admin = client_for(alpha, alpha_people.admin)
    invite(admin, django_capture_on_commit_callbacks)
    [old_link] = accept_links()
    with tenant_context(alpha):
        invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/manage/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new_link = accept_links()[1]
    assert new_link != old_link
    visitor = client_for(alpha)
    assert visitor.get(path_of(new_link)).status_code == 200
    old = visitor.get(path_of(old_link))
    assert old.status_code == 404
    assert "We don't recognise this invitation link" in old.content.decode()


def test_revoked_invitation_cannot_be_accepted(alpha, alpha_people, send_now, django_capture_on_commit_callbacks):
    admin = client_for(alpha, alpha_people.admin)
    invite(admin, django_capture_on_commit_callbacks)
    [link] = accept_links()
    with tenant_context(alpha):
        invitation = Invitation.objects.get()
    assert admin.post(f"/manage/invitations/{invitation.pk}/revoke/").status_code == 302
    visitor = client_for(alpha)
    page = visitor.get(path_of(link))
    assert page.status_code == 410
    assert "This invitation has been withdrawn" in page.content.decode()
    posted = visitor.post(
        path_of(link), {"full_name": "Mina", "password1": "pw-xyz-12345", "password2": "pw-xyz-12345"}
    )
    assert posted.status_code == 410
    with tenant_context(alpha):
        assert not User.objects.filter(email="mina@example.org").exists()
    # It is listed under "Withdrawn".
    assert "mina@example.org" in admin.get("/manage/invitations/?state=revoked").content.decode()


def test_accepting_sets_name_and_password_verifies_email_and_signs_in(
    alpha, alpha_people, send_now, django_capture_on_commit_callbacks
):
    admin = client_for(alpha, alpha_people.admin)
    invite(admin, django_capture_on_commit_callbacks, roles=["mentor", "leader"])
    [link] = accept_links()
    visitor = client_for(alpha)
    form = visitor.get(path_of(link))
    assert "Join Alpha Care" in form.content.decode()
    assert 'value="Mina Patel"' in form.content.decode()
    mismatch = visitor.post(
        path_of(link), {"full_name": "Mina Patel", "password1": "calm-river-stones-7", "password2": "other"}
    )
    assert "The two passwords do not match." in mismatch.content.decode()
    weak = visitor.post(path_of(link), {"full_name": "Mina Patel", "password1": "password", "password2": "password"})
    assert "too short" in weak.content.decode() or "too common" in weak.content.decode()

    response = visitor.post(
        path_of(link), {"full_name": "Mina P.", "password1": "calm-river-stones-7", "password2": "calm-river-stones-7"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    home = visitor.get("/")
    assert home.status_code == 200
    assert "Hello, Mina" in home.content.decode()
    with tenant_context(alpha):
        user = User.objects.get(email="mina@example.org")
        assert user.full_name == "Mina P."
        assert user.roles == ["leader", "mentor"]
        assert user.check_password("calm-river-stones-7")
        assert EmailAddress.objects.get(user=user).verified
        invitation = Invitation.objects.get()
        assert invitation.accepted_user == user and invitation.accepted_at
    # The link is used up, and says so.
    again = client_for(alpha).get(path_of(link))
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    # The new person can sign in with the password they chose.
    fresh = client_for(alpha)
    signed_in = fresh.post("/accounts/login/", {"login": "mina@example.org", "password": "calm-river-stones-7"})
    assert signed_in.status_code == 302


def test_expired_invitation_gets_a_clear_page(alpha, alpha_people, send_now, django_capture_on_commit_callbacks):
    admin = client_for(alpha, alpha_people.admin)
    invite(admin, django_capture_on_commit_callbacks)
    [link] = accept_links()
    with tenant_context(alpha):
        Invitation.objects.update(expires=timezone.now() - timedelta(minutes=1))
    page = client_for(alpha).get(path_of(link))
    assert page.status_code == 410
    assert "This invitation has expired" in page.content.decode()
    # An expired invitation can be sent again, with a link that works.
    assert "mina@example.org" in admin.get("/manage/invitations/?state=expired").content.decode()
    with tenant_context(alpha):
        invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/manage/invitations/{invitation.pk}/resend/")
    assert client_for(alpha).get(path_of(accept_links()[-1])).status_code == 200


def test_an_invitation_link_of_one_organisation_means_nothing_at_another(
    alpha, beta, alpha_people, send_now, django_capture_on_commit_callbacks
):
    admin = client_for(alpha, alpha_people.admin)
    invite(admin, django_capture_on_commit_callbacks)
    [link] = accept_links()
    assert client_for(beta).get(path_of(link)).status_code == 404


def test_a_withdrawn_invitation_is_not_emailed_if_the_task_runs_late(alpha, alpha_people, monkeypatch):
    from people import tasks
    from people.services import invitation_revoke

    queued: list[int] = []
    monkeypatch.setattr(tasks.invitation_send, "delay", queued.append)
    with tenant_context(alpha):
        invitation = invitation_create(email="late@example.org", full_name="", roles=["leader"], invited_by=None)
        invitation_revoke(invitation=invitation)
        # on_commit does not fire inside the test transaction; run what the worker would run.
        assert tasks.invitation_send(invitation.pk) is False
        assert tasks.invitation_send(invitation.pk + 999) is False
    assert mail.outbox == []


def test_a_file_over_one_megabyte_is_refused_before_reading(alpha, alpha_people, django_capture_on_commit_callbacks):
    admin = client_for(alpha, alpha_people.admin)
    big = "name,email,roles\n" + "x" * (1024 * 1024)
    response = upload(admin, big, django_capture_on_commit_callbacks)
    assert "larger than 1 MB" in response.content.decode()


def test_an_extra_verified_address_of_a_member_counts_as_a_member(
    alpha, alpha_people, send_now, django_capture_on_commit_callbacks
):
    with tenant_context(alpha):
        EmailAddress.objects.create(user=alpha_people.leader, email="lee.home@example.org", verified=True)
    admin = client_for(alpha, alpha_people.admin)
    response = invite(admin, django_capture_on_commit_callbacks, email="lee.home@example.org")
    assert "already a member" in response.content.decode()
    report = upload(admin, "name,email,roles\nLee,Lee.Home@example.org,leader\n", django_capture_on_commit_callbacks)
    assert [row.reason for row in report.context["report"].skipped] == ["already a member"]
