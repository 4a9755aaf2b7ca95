"""Writing, drafts, search, sharing, conversations, notifications, prompts: what a leader and a mentor do."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from courses.models import Lesson
from reflections.models import (
    Acknowledgement,
    Comment,
    EntryRead,
    EntryShare,
    JournalEntry,
    Notification,
    Prompt,
)
from reflections.services.conversations import comment_create, entry_acknowledge
from reflections.services.journal import entry_autosave, entry_create
from reflections.services.prompts import PROMPTS_FILE, prompts_load
from reflections.services.sharing import entry_read_record, entry_share
from tests.conftest import client_for, make_person
from tests.reflections.conftest import pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(alpha):
    return make_person(alpha, ["leader"], name="Lee Leader")


@pytest.fixture
def mentor(alpha, leader):
    person = make_person(alpha, ["mentor"], name="Mo Mentor")
    pair(alpha, leader, person)
    return person


def entries(alpha, **filters):
    with tenant_context(alpha):
        return list(JournalEntry.objects.filter(**filters).order_by("id"))


def test_writing_a_gibbs_entry_keeps_only_its_sections(alpha, leader):
    client = client_for(alpha, leader)
    form = client.get("/journal/new/").content.decode()
    assert "Reflect on situations, not named people" in form
    response = client.post("/journal/new/", {
        "title": "A hard handover", "template": "gibbs", "gibbs_description": "Night shift ran late.",
        "gibbs_feelings": "Frustrated.", "body": "typed before switching template", "behaviours": ["attending"],
        "save": "1",
    })
    [entry] = entries(alpha)
    assert response.status_code == 302 and response["Location"] == f"/journal/{entry.pk}/"
    assert (entry.title, entry.template, entry.is_draft) == ("A hard handover", "gibbs", False)
    assert entry.gibbs_description == "Night shift ran late." and entry.body == ""
    assert entry.behaviours == ["attending"]
    page = client.get(f"/journal/{entry.pk}/").content.decode()
    assert "Description" in page and "Night shift ran late." in page and "Feelings" in page
    assert "Action plan" not in page  # empty sections are left out


def test_a_saved_entry_needs_a_title_and_some_words(alpha, leader):
    response = client_for(alpha, leader).post("/journal/new/", {"title": "", "template": "free", "save": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give your entry a title" in page and "Write something in at least one section" in page
    assert entries(alpha) == []


def test_autosave_creates_then_updates_one_draft_and_saving_publishes_it(alpha, leader):
    client = client_for(alpha, leader)
    first = client.post("/journal/autosave/", {"template": "free", "body": "Start of a thought"})
    assert first.status_code == 200 and first.json()["saved"]
    draft_id = first.json()["id"]
    assert "Start of a thought" not in first.content.decode()  # the answer carries no text
    client.post("/journal/autosave/", {"draft_id": draft_id, "template": "free", "body": "Start of a longer thought"})
    [draft] = entries(alpha)
    assert draft.pk == draft_id and draft.is_draft and draft.body == "Start of a longer thought"
    assert "Draft" in client.get("/journal/").content.decode()
    client.post("/journal/new/", {"draft_id": draft_id, "title": "Finished", "template": "free",
                                  "body": "Start of a longer thought, finished.", "save": "1"})
    [entry] = entries(alpha)
    assert entry.pk == draft_id and not entry.is_draft and entry.title == "Finished"


def test_autosave_refuses_someone_elses_draft_and_shared_entries(alpha, leader, mentor):
    other = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        theirs = entry_autosave(author=other, entry=None, title="", template="free", fields={"body": "x"})
        shared = entry_create(author=leader, title="Done", template="free", fields={"body": "y"})
        entry_share(entry=shared, author=leader, mentor=mentor)
    client = client_for(alpha, leader)
    for pk in (theirs.pk, shared.pk):
        response = client.post("/journal/autosave/", {"draft_id": pk, "template": "free", "body": "overwrite"})
        assert response.status_code == 404
    assert entries(alpha, pk=theirs.pk)[0].body == "x"
    assert entries(alpha, pk=shared.pk)[0].body == "y"  # a mentor never reads a half-written change
    assert "saved when you press Save" in client.get(f"/journal/{shared.pk}/edit/").content.decode()


def test_autosave_keeps_a_private_saved_entry_and_its_title(alpha, leader):
    with tenant_context(alpha):
        mine = entry_create(author=leader, title="Done", template="free", fields={"body": "y"})
    client = client_for(alpha, leader)
    response = client.post("/journal/autosave/", {"draft_id": mine.pk, "title": "", "template": "free",
                                                  "body": "y, and more"})
    assert response.status_code == 200 and response.json() == {**response.json(), "id": mine.pk, "draft": False}
    [entry] = entries(alpha)
    assert (entry.title, entry.body, entry.is_draft) == ("Done", "y, and more", False)


def test_new_entry_from_a_lesson_and_from_a_prompt(alpha, leader):
    with tenant_context(alpha):
        lesson = Lesson.objects.exclude(reflection_question="").first()
        prompt = Prompt.objects.create(slug="test-prompt", theme="attending", text="Who listened to you today?")
    client = client_for(alpha, leader)
    if lesson is not None:
        page = client.get(f"/journal/new/?lesson={lesson.pk}").content.decode()
        assert lesson.title in page
    page = client.get(f"/journal/new/?prompt={prompt.pk}").content.decode()
    assert "Who listened to you today?" in page
    assert re.search(r'<input[^>]*value="attending"[^>]*checked', page)  # the prompt's behaviour starts ticked
    client.post("/journal/new/", {"title": "Listening", "template": "free", "body": "My manager did.",
                                  "prompt": prompt.pk, "lesson": lesson.pk if lesson else "", "save": "1"})
    [entry] = entries(alpha)
    assert entry.prompt_id == prompt.pk
    assert entry.lesson_id == (lesson.pk if lesson else None)


def test_search_and_filters_over_your_own_entries(alpha, leader):
    with tenant_context(alpha):
        entry_create(author=leader, title="Medication round", template="free",
                              fields={"body": "The medicines trolley was blocked"}, behaviours=["helping"])
        entry_create(author=leader, title="Handover", template="what-so-what-now-what",
                              fields={"what": "Listening to the night team"}, behaviours=["attending"])
    client = client_for(alpha, leader)
    client.post("/journal/", {"q": "medicine"})  # stemming: "medicines" matches
    page = client.get("/journal/").content.decode()
    assert "Medication round" in page and "Handover" not in page
    client.post("/journal/", {"behaviour": "attending"})
    page = client.get("/journal/").content.decode()
    assert "Handover" in page and "Medication round" not in page
    client.post("/journal/", {"template": "free"})
    assert "Medication round" in client.get("/journal/").content.decode()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    client.post("/journal/", {"date_from": tomorrow})
    assert "No entries match" in client.get("/journal/").content.decode()
    client.post("/journal/", {"clear": "1"})
    page = client.get("/journal/").content.decode()
    assert "Medication round" in page and "Handover" in page


def test_list_is_newest_first_and_paginated(alpha, leader):
    with tenant_context(alpha):
        for n in range(25):
            entry = entry_create(author=leader, title=f"Entry number {n:02d}", template="free",
                                          fields={"body": "x"})
            JournalEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(days=30 - n))
    client = client_for(alpha, leader)
    first = client.get("/journal/").content.decode()
    assert first.index("Entry number 24") < first.index("Entry number 23")
    assert "Entry number 04" not in first and "Page 1 of 2" in first
    assert "Entry number 04" in client.get("/journal/?page=2").content.decode()


def test_sharing_filter(alpha, leader, mentor):
    with tenant_context(alpha):
        shared = entry_create(author=leader, title="Shared one", template="free", fields={"body": "x"})
        entry_create(author=leader, title="Private one", template="free", fields={"body": "y"})
        entry_share(entry=shared, author=leader, mentor=mentor)
    client = client_for(alpha, leader)
    client.post("/journal/", {"shared": "yes"})
    page = client.get("/journal/").content.decode()
    assert "Shared one" in page and "Private one" not in page
    client.post("/journal/", {"shared": "no"})
    page = client.get("/journal/").content.decode()
    assert "Private one" in page and "Shared one" not in page


def test_share_read_log_and_unshare(alpha, leader, mentor):
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="Talk it through", template="free", fields={"body": "x"})
    author = client_for(alpha, leader)
    assert "Mo Mentor" in author.get(f"/journal/{entry.pk}/share/").content.decode()
    response = author.post(f"/journal/{entry.pk}/share/", {"mentors": [mentor.pk]})
    assert response.status_code == 302
    with tenant_context(alpha):
        assert Notification.objects.filter(recipient=mentor, kind="shared", entry=entry).exists()
    at_mentor = client_for(alpha, mentor)
    page = at_mentor.get(f"/journal/{entry.pk}/")
    assert page.status_code == 200
    # Opening the page writes nothing (a GET never writes); the page's "seen" beacon records the read.
    assert f'action="/journal/{entry.pk}/seen/" data-seen' in page.content.decode()
    with tenant_context(alpha):
        assert not EntryRead.objects.filter(entry=entry, reader=mentor).exists()
    assert at_mentor.post(f"/journal/{entry.pk}/seen/").status_code == 204
    assert at_mentor.post(f"/journal/{entry.pk}/seen/").status_code == 204
    with tenant_context(alpha):
        assert EntryRead.objects.filter(entry=entry, reader=mentor).count() == 2
    page = author.get(f"/journal/{entry.pk}/").content.decode()
    assert "read 2 times" in page
    author.post(f"/journal/{entry.pk}/unshare/{mentor.pk}/")
    assert at_mentor.get(f"/journal/{entry.pk}/").status_code == 404
    with tenant_context(alpha):
        assert not Notification.objects.filter(recipient=mentor, entry=entry).exists()


def test_cannot_share_with_someone_who_is_not_your_current_mentor(alpha, leader, mentor):
    stranger = make_person(alpha, ["mentor"])
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="T", template="free", fields={"body": "x"})
    response = client_for(alpha, leader).post(f"/journal/{entry.pk}/share/", {"mentors": [stranger.pk]})
    assert response.status_code == 200  # the form refuses the choice
    with tenant_context(alpha):
        assert not EntryShare.objects.exists()
        draft = entry_autosave(author=leader, entry=None, title="", template="free", fields={"body": "x"})
        with pytest.raises(Exception, match="Save the entry"):
            entry_share(entry=draft, author=leader, mentor=mentor)


def test_conversation_notifies_the_other_side_and_comments_are_editable_for_15_minutes(
    alpha, leader, mentor, django_capture_on_commit_callbacks
):
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="T", template="free", fields={"body": "x"})
        entry_share(entry=entry, author=leader, mentor=mentor)
    at_mentor, at_author = client_for(alpha, mentor), client_for(alpha, leader)
    at_mentor.post(f"/journal/{entry.pk}/comments/", {"body": "What helped, **do you think**?"})
    at_author.post(f"/journal/{entry.pk}/comments/", {"body": "Asking for help early.", "mentor": mentor.pk})
    with tenant_context(alpha):
        kinds = sorted(Notification.objects.values_list("recipient__full_name", "kind"))
        assert kinds == [("Lee Leader", "comment"), ("Mo Mentor", "comment"), ("Mo Mentor", "shared")]
        mine = Comment.objects.get(author=mentor)
    page = at_author.get(f"/journal/{entry.pk}/").content.decode()
    assert "<strong>do you think</strong>" in page and "Asking for help early." in page
    assert at_mentor.get(f"/journal/comments/{mine.pk}/edit/").status_code == 200
    at_mentor.post(f"/journal/comments/{mine.pk}/edit/", {"body": "What helped most?"})
    with tenant_context(alpha):
        mine.refresh_from_db()
        assert mine.body == "What helped most?" and mine.edited_at
        Comment.objects.filter(pk=mine.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    response = at_mentor.post(f"/journal/comments/{mine.pk}/edit/", {"body": "Too late"})
    assert response.status_code == 302
    with tenant_context(alpha):
        mine.refresh_from_db()
        assert mine.body == "What helped most?"
    assert at_author.post(f"/journal/comments/{mine.pk}/delete/").status_code == 404  # not the writer
    at_mentor.post(f"/journal/comments/{mine.pk}/delete/")
    with tenant_context(alpha):
        assert not Comment.objects.filter(pk=mine.pk).exists()


def test_acknowledge_once_and_the_author_hears(alpha, leader, mentor):
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="T", template="free", fields={"body": "x"})
        entry_share(entry=entry, author=leader, mentor=mentor)
    at_mentor = client_for(alpha, mentor)
    at_mentor.post(f"/journal/{entry.pk}/acknowledge/")
    at_mentor.post(f"/journal/{entry.pk}/acknowledge/")
    with tenant_context(alpha):
        assert Acknowledgement.objects.filter(entry=entry).count() == 1
        assert Notification.objects.filter(recipient=leader, kind="acknowledged").count() == 1
    assert "Mo Mentor has read this" in client_for(alpha, leader).get(f"/journal/{entry.pk}/").content.decode()
    assert "I&#x27;ve read this" not in at_mentor.get(f"/journal/{entry.pk}/").content.decode()


def test_mentoring_page_shows_mentees_shared_entries_with_unread_marks(alpha, leader, mentor):
    with tenant_context(alpha):
        shared = entry_create(author=leader, title="Shared with Mo", template="free", fields={"body": "x"})
        entry_create(author=leader, title="Kept private", template="free", fields={"body": "y"})
        entry_share(entry=shared, author=leader, mentor=mentor)
    client = client_for(alpha, mentor)
    page = client.get("/mentoring/").content.decode()
    assert "Lee Leader" in page and "Shared with Mo" in page and "Kept private" not in page
    assert "tag-new" in page
    client.post(f"/journal/{shared.pk}/seen/")
    assert "tag-new" not in client.get("/mentoring/").content.decode()
    with tenant_context(alpha):
        comment_create(entry=shared, author=leader, body="Another thought", mentor=mentor)
    assert "tag-new" in client.get("/mentoring/").content.decode()


def test_notifications_page_badge_and_open(alpha, leader, mentor):
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="T", template="free", fields={"body": "x"})
        entry_share(entry=entry, author=leader, mentor=mentor)
        notification = Notification.objects.get(recipient=mentor)
    client = client_for(alpha, mentor)
    assert 'class="badge"' in client.get("/mentoring/").content.decode()
    page = client.get("/notifications/").content.decode()
    assert "Lee Leader shared an entry with you" in page
    response = client.get(f"/notifications/{notification.pk}/")
    assert response["Location"] == f"/journal/{entry.pk}/"
    assert 'class="badge"' in client.get("/mentoring/").content.decode()  # following the link wrote nothing
    client.post(f"/journal/{entry.pk}/seen/")  # the entry page, open in a browser, says it was seen
    assert 'class="badge"' not in client.get("/mentoring/").content.decode()
    assert client_for(alpha, leader).get(f"/notifications/{notification.pk}/").status_code == 404


def test_notification_email_is_sent_by_a_task_with_ids_only(alpha, leader, mentor, django_capture_on_commit_callbacks,
                                                             monkeypatch):
    from reflections import tasks

    sent: list[tuple] = []
    monkeypatch.setattr(tasks.notification_email_send, "delay", lambda *args, **kw: sent.append((args, kw)))
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="Secret title", template="free", fields={"body": "x"})
        with django_capture_on_commit_callbacks(execute=True):
            entry_share(entry=entry, author=leader, mentor=mentor)
            comment_create(entry=entry, author=mentor, body="Secret reply")
        to_author = Notification.objects.get(recipient=leader)
    assert ((to_author.pk,), {}) in sent
    assert all(len(args) == 1 and isinstance(args[0], int) and not kwargs for args, kwargs in sent)  # ids only
    with tenant_context(alpha):
        tasks.notification_email_send(to_author.pk)
    [message] = mail.outbox
    assert message.to == [leader.email]
    assert "Mo Mentor replied in a conversation" in message.subject
    assert "Secret" not in message.subject + message.body
    assert f"http://alpha.localhost/notifications/{to_author.pk}/" in message.body


def test_delete_really_deletes_everything_about_the_entry(alpha, leader, mentor):
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="T", template="free", fields={"body": "x"})
        entry_share(entry=entry, author=leader, mentor=mentor)
        comment_create(entry=entry, author=mentor, body="hi")
        entry_acknowledge(entry=entry, mentor=mentor)
        entry_read_record(entry=entry, reader=mentor)
    client_for(alpha, leader).post(f"/journal/{entry.pk}/delete/")
    with tenant_context(alpha):
        for model in (JournalEntry, EntryShare, Comment, Acknowledgement, EntryRead, Notification):
            assert not model.objects.exists(), model


def test_prompts_are_loaded_into_the_template_schema_and_upserted_by_slug(tmp_path, alpha):
    # Every shipped lesson's reflection question joins the library too.
    with schema_context(settings.TENANT_BASE_SCHEMA):
        shipped = Prompt.objects.filter(source="shipped", is_active=True).count()
        questions = Lesson.objects.filter(source="shipped").exclude(reflection_question="").count()
    assert questions > 0
    assert shipped == PROMPTS_FILE.read_text().count("- slug:") + questions
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n  - slug: one\n    theme: attending\n    text: First?\n"
                    "  - slug: two\n    theme: helping\n    text: Second?\n")
    with tenant_context(alpha):
        Prompt.objects.create(slug="ours", theme="helping", text="Written here", source="organisation")
        assert prompts_load(path=path) == 2 + questions
        path.write_text("- slug: one\n  theme: attending\n  text: First, reworded?\n")
        assert prompts_load(path=path) == 1 + questions
        assert Prompt.objects.get(slug="one").text == "First, reworded?"
        assert not Prompt.objects.get(slug="two").is_active
        assert Prompt.objects.get(slug="ours").is_active
    page = client_for(alpha, make_person(alpha, ["leader"])).get("/journal/prompts/").content.decode()
    assert "First, reworded?" in page and "Second?" not in page
