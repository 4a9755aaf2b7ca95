"""Owning your record: export as a ZIP, import into another organisation, delete your account."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from people.models import MentorPairing, User
from reflections.models import Comment, EntryShare, JournalEntry, Notification
from reflections.services.conversations import comment_create
from reflections.services.journal import entry_create
from reflections.services.sharing import entry_share
from tests.conftest import PASSWORD, client_for, make_person
from tests.reflections.conftest import pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(alpha):
    leader = make_person(alpha, ["leader"], name="Lee Leader", email="lee@example.org")
    mentor = make_person(alpha, ["mentor"], name="Mo Mentor")
    pair(alpha, leader, mentor)
    with tenant_context(alpha):
        gibbs = entry_create(
            author=leader, title="Night shift", template="gibbs", behaviours=["empathising"],
            fields={"gibbs_description": "It was busy.", "gibbs_action_plan": "Ask for help sooner."},
        )
        entry_create(author=leader, title="Free one", template="free", fields={"body": "Just *thinking*."})
        entry_share(entry=gibbs, author=leader, mentor=mentor)
        comment_create(entry=gibbs, author=mentor, body="What would sooner look like?")
    return leader, mentor, gibbs


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_export_is_a_zip_of_markdown_and_json(alpha, written):
    leader, mentor, gibbs = written
    response = client_for(alpha, leader).get("/journal/account/export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    archive = _zip(response)
    names = archive.namelist()
    assert "journal.json" in names and len([n for n in names if n.startswith("entries/")]) == 2
    data = json.loads(archive.read("journal.json"))
    assert data["format"] == "heartwood-journal" and len(data["entries"]) == 2
    night = next(e for e in data["entries"] if e["title"] == "Night shift")
    assert night["sections"]["gibbs_action_plan"] == "Ask for help sooner."
    assert night["shares"][0]["mentor"] == "Mo Mentor"
    assert night["conversation"][0]["body"] == "What would sooner look like?"
    markdown = archive.read(next(n for n in names if "night-shift" in n)).decode()
    assert "# Night shift" in markdown and "## Action plan" in markdown and "What would sooner look like?" in markdown


def test_import_an_export_into_an_account_at_another_organisation(alpha, beta, written):
    leader, _, _ = written
    export = client_for(alpha, leader).get("/journal/account/export/").content
    newcomer = make_person(beta, ["leader"], name="Lee Leader", email="lee@example.org")
    at_beta = client_for(beta, newcomer)
    response = at_beta.post("/journal/account/import/", {
        "file": SimpleUploadedFile("heartwood-journal.zip", export, content_type="application/zip"),
    })
    assert response.status_code == 302
    with tenant_context(beta):
        imported = {e.title: e for e in JournalEntry.objects.filter(author=newcomer)}
        assert set(imported) == {"Night shift", "Free one"}
        night = imported["Night shift"]
        assert night.gibbs_action_plan == "Ask for help sooner." and night.behaviours == ["empathising"]
        assert not EntryShare.objects.exists()  # the mentors belong to the other organisation
        assert night.earlier_conversation[0]["body"] == "What would sooner look like?"
    # Importing the same file again adds nothing twice.
    at_beta.post("/journal/account/import/", {
        "file": SimpleUploadedFile("heartwood-journal.zip", export, content_type="application/zip"),
    })
    with tenant_context(beta):
        assert JournalEntry.objects.filter(author=newcomer).count() == 2
    at_beta.post("/journal/", {"q": "help sooner"})
    assert "Night shift" in at_beta.get("/journal/").content.decode()  # imported entries are searchable
    page = at_beta.get(f"/journal/{night.pk}/").content.decode()
    assert "Conversation from your previous organisation" in page


@pytest.mark.parametrize("payload, message", [
    (b"not json at all", "not a Heartwood journal export"),
    (json.dumps({"format": "something-else", "entries": []}).encode(), "not a Heartwood journal export"),
    (b"PK\x03\x04broken zip", "does not hold a journal.json"),
])
def test_import_explains_a_wrong_file(alpha, payload, message):
    person = make_person(alpha, ["leader"])
    response = client_for(alpha, person).post("/journal/account/import/", {
        "file": SimpleUploadedFile("x.json", payload),
    })
    assert response.status_code == 400 and message in response.content.decode()


def test_delete_account_removes_everything_logs_out_and_confirms_by_email(alpha, written):
    leader, mentor, gibbs = written
    with tenant_context(alpha):
        comment_create(entry=gibbs, author=leader, body="My reply", mentor=mentor)
    client = client_for(alpha)
    client.post("/accounts/login/", {"login": leader.email, "password": PASSWORD})
    other_device = client_for(alpha, leader)
    assert other_device.get("/journal/").status_code == 200
    wrong = client.post("/journal/account/delete/", {"password": "wrong-password-x", "confirm": "on"})
    assert "That password is not right" in wrong.content.decode()
    mail.outbox.clear()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/journal/account/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200 and "Your account has been deleted" in response.content.decode()
    with tenant_context(alpha):
        assert not User.objects.filter(pk=leader.pk).exists()
        assert not JournalEntry.objects.exists() and not EntryShare.objects.exists()
        assert not Comment.objects.exists() and not Notification.objects.filter(recipient=leader.pk).exists()
        assert not MentorPairing.objects.filter(leader=leader.pk).exists()
        assert not UserSession.objects.filter(user=leader.pk).exists()
        for session in Session.objects.all():
            assert str(session.get_decoded().get("_auth_user_id")) != str(leader.pk)
    assert client.get("/journal/").status_code == 302  # signed out
    assert other_device.get("/journal/").status_code == 302  # and everywhere else
    [message] = mail.outbox
    assert message.to == ["lee@example.org"] and "deleted" in message.subject
    assert "Night shift" not in message.body


def test_the_only_admin_cannot_delete_their_account(alpha):
    admin = make_person(alpha, ["admin", "leader"], name="Only Admin")
    with tenant_context(alpha):
        User.objects.filter(roles__contains=["admin"]).exclude(pk=admin.pk).update(is_active=False)
    response = client_for(alpha, admin).post("/journal/account/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200 and "only admin of your organisation" in response.content.decode()
    with tenant_context(alpha):
        assert User.objects.filter(pk=admin.pk).exists()
