"""The privacy matrix: every journal surface × every viewer. Only the intended viewers get content; a marker
planted in the entry's title, sections and both comments appears nowhere else; forbidden answers 404."""

from __future__ import annotations

import io
import logging
import zipfile

import pytest
from django.contrib import admin
from django.core import mail
from django_tenants.utils import tenant_context

from reflections.models import Comment, EntryShare, JournalEntry
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

VIEWERS = [
    "author", "mentor_shared", "mentor_unshared", "mentor_ended", "other_mentor", "other_leader", "admin",
    "operator", "beta_user",
]


def _client(journal, viewer: str, alpha, beta):
    user = getattr(journal, viewer)
    if viewer == "operator":
        return client_for(None, user)
    return client_for(beta if viewer == "beta_user" else alpha, user)


def _content(response) -> str:
    if response.get("Content-Type") == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        return "\n".join(archive.read(name).decode() for name in archive.namelist())
    return response.content.decode()


# surface -> (method, url template, who may see content). "{pk}", "{comment}", "{mine}" are filled in.
SURFACES: dict[str, tuple[str, str, set[str]]] = {
    "list": ("get", "/journal/", {"author"}),
    "detail": ("get", "/journal/{pk}/", {"author", "mentor_shared"}),
    "edit": ("get", "/journal/{pk}/edit/", {"author"}),
    "delete": ("get", "/journal/{pk}/delete/", {"author"}),
    "share": ("get", "/journal/{pk}/share/", {"author"}),
    "export": ("get", "/journal/account/export/", {"author"}),
    "comment_edit_author": ("get", "/journal/comments/{comment}/edit/", {"author"}),
    "comment_edit_mentor": ("get", "/journal/comments/{mentor_comment}/edit/", {"mentor_shared"}),
    "notifications": ("get", "/notifications/", set()),
    "mentoring": ("get", "/mentoring/", {"mentor_shared"}),
    "account": ("get", "/journal/account/", set()),
}
# Surfaces that list the viewer's own things: a 200 with nothing of the entry in it, for signed-in viewers.
LISTINGS = {"list", "export", "notifications", "mentoring", "account"}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("surface", list(SURFACES))
def test_only_intended_viewers_see_the_entry(journal, alpha, beta, surface, viewer, caplog):
    method, template, allowed = SURFACES[surface]
    url = template.format(pk=journal.entry.pk, comment=journal.author_comment.pk,
                          mentor_comment=journal.mentor_comment.pk)
    caplog.set_level(logging.DEBUG)
    response = getattr(_client(journal, viewer, alpha, beta), method)(url)
    content = _content(response)
    if viewer in allowed:
        assert response.status_code == 200
        assert journal.marker in content
    else:
        assert journal.marker not in content
        if viewer == "operator":
            assert response.status_code == 404  # the public site has no journal at all
        elif surface in LISTINGS:
            assert response.status_code == 200
        else:
            assert response.status_code == 404
    assert "no-store" in response.get("Cache-Control", "") or viewer == "operator"
    assert journal.marker not in caplog.text
    assert journal.marker not in url


def test_search_finds_only_your_own_entries(journal, alpha, beta):
    for viewer in VIEWERS:
        client = _client(journal, viewer, alpha, beta)
        client.post("/journal/", {"q": journal.marker.lower()})
        response = client.get("/journal/")
        if viewer == "author":
            assert journal.marker in response.content.decode()
            assert "1 entry match" in response.content.decode()
        else:
            assert journal.marker not in response.content.decode()
        # The search words never travel in a URL.
        assert journal.marker.lower() not in response.wsgi_request.get_full_path() if response.status_code == 200 \
            else True


def _state(journal, organisation) -> dict[str, object]:
    """Everything a write on the entry could change, read in the author's organisation."""
    from reflections.models import Acknowledgement

    pk = journal.entry.pk
    with tenant_context(organisation):
        entry = JournalEntry.objects.filter(pk=pk).values("title", "body").first()
        return {
            "entry": entry,
            "comments": sorted(Comment.objects.filter(entry_id=pk).values_list("pk", "body")),
            "shares": sorted(EntryShare.objects.filter(entry_id=pk).values_list("mentor_id", flat=True)),
            "acks": sorted(Acknowledgement.objects.filter(entry_id=pk).values_list("mentor_id", flat=True)),
            "drafts": JournalEntry.objects.filter(is_draft=True).count(),
        }


# name: (url template, data, who may, what the write must have changed when allowed)
WRITES = {
    "comment": ("/journal/{pk}/comments/", {"body": "A reply", "mentor": "{mentor}"}, {"author", "mentor_shared"},
                lambda before, after, mentor: len(after["comments"]) == len(before["comments"]) + 1),
    "acknowledge": ("/journal/{pk}/acknowledge/", {}, {"mentor_shared"},
                    lambda before, after, mentor: after["acks"] == sorted([*before["acks"], mentor])),
    "delete": ("/journal/{pk}/delete/", {}, {"author"}, lambda before, after, mentor: after["entry"] is None),
    "edit": ("/journal/{pk}/edit/", {"title": "Changed", "template": "free", "body": "Changed"}, {"author"},
             lambda before, after, mentor: after["entry"] == {"title": "Changed", "body": "Changed"}),
    "unshare": ("/journal/{pk}/unshare/{mentor}/", {}, {"author"},
                lambda before, after, mentor: after["shares"] == [m for m in before["shares"] if m != mentor]),
    "comment_delete": ("/journal/comments/{comment}/delete/", {}, {"author"},
                       lambda before, after, mentor: len(after["comments"]) == len(before["comments"]) - 1),
    "autosave": ("/journal/autosave/", {"draft_id": "{pk}", "template": "free", "body": "x"}, set(), None),
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("write", list(WRITES))
def test_only_intended_people_can_write(journal, alpha, beta, write, viewer):
    template, data, allowed, changed = WRITES[write]
    fill = {"pk": journal.entry.pk, "mentor": journal.mentor_shared.pk, "comment": journal.author_comment.pk}
    url = template.format(**fill)
    data = {key: value.format(**fill) if isinstance(value, str) else value for key, value in data.items()}
    before = _state(journal, alpha)
    response = _client(journal, viewer, alpha, beta).post(url, data)
    after = _state(journal, alpha)
    if viewer in allowed:
        assert response.status_code == 302
        assert changed(before, after, journal.mentor_shared.pk), (before, after)  # the write really happened
    else:
        assert response.status_code == 404
        assert journal.marker not in response.content.decode()
        assert before == after


def test_mentor_loses_access_on_the_very_next_request_when_the_pairing_ends(journal, alpha):
    from django.utils import timezone

    from people.models import MentorPairing

    mentor = client_for(alpha, journal.mentor_shared)
    assert mentor.get(f"/journal/{journal.entry.pk}/").status_code == 200
    with tenant_context(alpha):
        MentorPairing.objects.filter(leader=journal.author, mentor=journal.mentor_shared).update(
            ends_on=timezone.localdate()
        )
    response = mentor.get(f"/journal/{journal.entry.pk}/")
    assert response.status_code == 404
    assert journal.marker not in response.content.decode()
    assert journal.marker not in mentor.get("/mentoring/").content.decode()
    # The author still sees that it was shared, and that this mentor cannot see it now.
    page = client_for(alpha, journal.author).get(f"/journal/{journal.entry.pk}/share/").content.decode()
    assert "no longer your mentor" in page


def test_deactivated_author_shares_nothing(journal, alpha):
    with tenant_context(alpha):
        type(journal.author).objects.filter(pk=journal.author.pk).update(is_active=False)
    mentor = client_for(alpha, journal.mentor_shared)
    response = mentor.get(f"/journal/{journal.entry.pk}/")
    assert response.status_code == 404 and journal.marker not in response.content.decode()
    mentoring = mentor.get("/mentoring/")
    assert mentoring.status_code == 200
    assert journal.marker not in mentoring.content.decode() and "Lee Leader" not in mentoring.content.decode()


def test_notifications_and_emails_carry_no_journal_text(journal, alpha, django_capture_on_commit_callbacks):
    from reflections import tasks

    with tenant_context(alpha):
        from reflections.models import Notification

        ids = list(Notification.objects.values_list("pk", flat=True))
        assert ids
        for pk in ids:
            tasks.notification_email_send(pk)
    assert mail.outbox  # at least the author heard about the mentor's reply
    for message in mail.outbox:
        assert journal.marker not in message.subject + message.body
        assert "Hard handover" not in message.body
        assert "/notifications/" in message.body


def test_nothing_of_the_journal_is_in_the_django_admin(journal, alpha):
    assert not [model for model in admin.site._registry if model._meta.app_label == "reflections"]
    operator = client_for(None, journal.operator)
    page = operator.get("/django-admin/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Reflections" not in text and "Journal" not in text and journal.marker not in text
    assert operator.get("/django-admin/reflections/journalentry/").status_code == 404


def test_journal_pages_are_never_cached(journal, alpha):
    client = client_for(alpha, journal.author)
    for url in ["/journal/", f"/journal/{journal.entry.pk}/", "/journal/999999/", "/mentoring/", "/notifications/"]:
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_a_mentor_never_reads_another_mentors_conversation(journal, alpha):
    from reflections.models import Notification
    from reflections.services.conversations import comment_create, entry_acknowledge
    from reflections.services.sharing import entry_share
    from tests.conftest import make_person
    from tests.reflections.conftest import pair

    second = make_person(alpha, ["mentor"], name="Sol Second")
    pair(alpha, journal.author, second)
    with tenant_context(alpha):
        before = Notification.objects.filter(recipient=journal.mentor_shared, kind="comment").count()
        entry_share(entry=journal.entry, author=journal.author, mentor=second)
        comment_create(entry=journal.entry, author=second, body="SECONDTHREAD from Sol")
        comment_create(entry=journal.entry, author=journal.author, body="SECONDREPLY to Sol", mentor=second)
        entry_acknowledge(entry=journal.entry, mentor=second)
        to_first = Notification.objects.filter(recipient=journal.mentor_shared, kind="comment").count() - before
    first_page = client_for(alpha, journal.mentor_shared).get(f"/journal/{journal.entry.pk}/").content.decode()
    second_page = client_for(alpha, second).get(f"/journal/{journal.entry.pk}/").content.decode()
    author_page = client_for(alpha, journal.author).get(f"/journal/{journal.entry.pk}/").content.decode()
    assert "SECONDTHREAD" not in first_page and "SECONDREPLY" not in first_page and "Sol Second" not in first_page
    assert f"Mentor says {journal.marker}" not in second_page and f"Author replies {journal.marker}" not in second_page
    assert "Mo Mentor" not in second_page
    assert "SECONDTHREAD" in second_page and "SECONDREPLY" in second_page
    assert "SECONDTHREAD" in author_page and f"Mentor says {journal.marker}" in author_page
    assert "Conversation with Sol Second" in author_page and "Conversation with Mo Mentor" in author_page
    assert to_first == 0  # the author's reply to Sol is not news for Mo


def test_the_author_cannot_write_into_a_conversation_with_someone_who_cannot_see_the_entry(journal, alpha):
    client = client_for(alpha, journal.author)
    for mentor in (journal.mentor_ended, journal.mentor_unshared, journal.other_mentor):
        client.post(f"/journal/{journal.entry.pk}/comments/", {"body": "Hello?", "mentor": mentor.pk})
    with tenant_context(alpha):
        assert not Comment.objects.filter(body="Hello?").exists()


def test_organisation_admin_pages_never_show_journal_content(journal, alpha):
    """`/manage/` reports may count participation; they never show what anyone wrote."""
    admin_client = client_for(alpha, journal.admin)
    urls = [
        "/manage/", "/manage/people/", f"/manage/people/{journal.author.pk}/",
        f"/manage/people/{journal.mentor_shared.pk}/", "/manage/pairings/", "/manage/learning/", "/learn/manage/",
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url  # every page answered, so its emptiness of content means something
        assert journal.marker not in response.content.decode(), url
        assert "Tired and worried" not in response.content.decode(), url
