"""Journal import of hand-edited files: the whole file is checked before anything is written, every problem is
named per entry, and nothing reaches a 500. A lesson of a hidden module is never linked (the normal path's rule)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from django_tenants.utils import tenant_context

from reflections.models import JournalEntry
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db

GOOD_ENTRY = {
    "title": "A good one", "template": "free", "body": "Fine.", "sections": {}, "behaviours": ["attending"],
    "lesson": None, "prompt": None, "is_draft": False, "created_at": "2026-01-05T10:00:00+00:00",
    "updated_at": "2026-01-05T10:00:00+00:00", "shares": [], "acknowledgements": [], "conversation": [],
}


def export(*entries: Any) -> bytes:
    return json.dumps({"format": "heartwood-journal", "version": 1, "entries": list(entries)}).encode()


def post(client, payload: bytes):
    return client.post("/journal/account/import/", {"file": SimpleUploadedFile("journal.json", payload)})


# (what is changed in the second entry, what the message says); the first entry is always fine.
HOSTILE_ENTRIES = [
    ({"body": "before\x00after"}, "Entry 2: body contains a NUL character"),
    ({"title": "nul\x00title"}, "Entry 2: title contains a NUL character"),
    ({"sections": {"gibbs_feelings": "a\x00b"}, "template": "gibbs"}, "Entry 2: gibbs_feelings contains a NUL"),
    ({"conversation": [{"author": "Mo", "body": "hi\x00", "created_at": "2026-01-01T00:00:00"}]},
     "Entry 2, conversation message 1: body contains a NUL character"),
    ({"conversation": [{"author": "M\x00o", "body": "hi"}]}, "conversation message 1: author contains a NUL"),
    ({"behaviours": 5}, "Entry 2: behaviours must be a list"),
    ({"behaviours": "attending"}, "Entry 2: behaviours must be a list"),
    ({"behaviours": [["attending"]]}, "Entry 2: behaviours may only be"),
    ({"behaviours": ["bossing"]}, "Entry 2: behaviours may only be"),
    ({"conversation": 7}, "Entry 2: conversation must be a list"),
    ({"conversation": {"body": "x"}}, "Entry 2: conversation must be a list"),
    ({"conversation": [7]}, "Entry 2, conversation message 1: must be an object"),
    ({"conversation": [{"body": 7}]}, "conversation message 1: body must be text"),
    ({"conversation": [{"body": "x", "by_me": "yes"}]}, "by_me must be true or false"),
    ({"body": 12}, "Entry 2: body must be text"),
    ({"body": ["a", "list"]}, "Entry 2: body must be text"),
    ({"title": {"a": 1}}, "Entry 2: title must be text"),
    ({"title": "T" * 201}, "Entry 2: title is longer than 200 characters"),
    ({"sections": "gibbs"}, "Entry 2: sections must be an object"),
    ({"sections": {"what": 3}}, "Entry 2: what must be text"),
    ({"template": "diary"}, "Entry 2: template must be one of"),
    ({"template": ["free"]}, "Entry 2: template must be one of"),
    ({"is_draft": "no"}, "Entry 2: is_draft must be true or false"),
    ({"created_at": "yesterday"}, "Entry 2: created_at is not a date and time"),
    ({"created_at": "2026-13-45T99:00:00"}, "Entry 2: created_at is not a date and time"),
    ({"created_at": 1767600000}, "Entry 2: created_at must be text"),
    ({"lesson": "some-slug"}, "Entry 2: lesson must be an object with a slug"),
    ({"lesson": {"slug": 4}}, "Entry 2: lesson slug must be text"),
    ({"prompt": {"slug": "x\x00"}}, "Entry 2: prompt slug contains a NUL character"),
    ({"body": "half an emoji \ud83d"}, "Entry 2: body contains a character that is not valid text"),
]


@pytest.mark.parametrize(("change", "message"), HOSTILE_ENTRIES, ids=[m[:50] for _, m in HOSTILE_ENTRIES])
def test_a_hand_edited_entry_is_named_and_nothing_is_imported(alpha, change, message):
    person = make_person(alpha, ["leader"])
    response = post(client_for(alpha, person), export(GOOD_ENTRY, {**GOOD_ENTRY, "title": "Second", **change}))
    assert response.status_code == 400
    page = response.content.decode()
    assert escape(message) in page, page[page.find("Nothing was imported") - 200:][:800]
    assert "Nothing was imported" in page
    with tenant_context(alpha):
        assert not JournalEntry.objects.filter(author=person).exists()  # not even the good first entry


BROKEN_FILES = [
    b'{"format": "heartwood-journal", "version": 1, "entries": 5}',
    b'{"format": "heartwood-journal", "version": 1, "entries": [5]}',
    b'{"format": "heartwood-journal", "version": "1", "entries": []}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"format": "heartwood-journal", "version": 1, "entries": [], "n": ' + b"9" * 5000 + b"}",
    "{\"format\": \"heartwood-journal\", \"entries\": []}".encode("utf-16"),
    b'{"format": "heartwood-journal", "version": 1, "entries": []}\xff',
    b'\x00' * 100,
    b"",
    b"null",
    b'"heartwood-journal"',
]


@pytest.mark.parametrize("payload", BROKEN_FILES, ids=[f"file{n}" for n in range(len(BROKEN_FILES))])
def test_broken_files_are_explained_never_a_500(alpha, payload):
    person = make_person(alpha, ["leader"])
    response = post(client_for(alpha, person), payload)
    assert response.status_code == 400
    with tenant_context(alpha):
        assert not JournalEntry.objects.filter(author=person).exists()


def _zip(deflate: bool = True) -> bytearray:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as archive:
        archive.writestr("journal.json", export(GOOD_ENTRY) * 20)
    return bytearray(buffer.getvalue())


def _damaged() -> bytes:
    raw = _zip()
    start = 30 + len("journal.json")  # the compressed data, after the local file header
    raw[start:start + 8] = b"\xff" * 8
    return bytes(raw)


def _password_protected() -> bytes:
    raw = _zip()
    raw[6] |= 1  # "encrypted" in the local header and in the central directory
    raw[raw.find(b"PK\x01\x02") + 8] |= 1
    return bytes(raw)


def _unknown_compression() -> bytes:
    raw = _zip(deflate=False)
    raw[8] = 99  # compression method, local header and central directory
    raw[raw.find(b"PK\x01\x02") + 10] = 99
    return bytes(raw)


@pytest.mark.parametrize("payload", [_damaged(), _password_protected(), _unknown_compression()],
                         ids=["damaged", "password", "unknown compression"])
def test_a_zip_that_cannot_be_opened_is_explained(alpha, payload):
    person = make_person(alpha, ["leader"])
    response = client_for(alpha, person).post(
        "/journal/account/import/", {"file": SimpleUploadedFile("journal.zip", payload)}
    )
    assert response.status_code == 400
    assert "That ZIP file can&#x27;t be opened" in response.content.decode()
    with tenant_context(alpha):
        assert not JournalEntry.objects.filter(author=person).exists()


def test_problems_are_listed_for_each_entry_up_to_five(alpha):
    person = make_person(alpha, ["leader"])
    entries = [{**GOOD_ENTRY, "behaviours": n} for n in range(8)]
    page = post(client_for(alpha, person), export(*entries)).content.decode()
    assert "Entry 1: behaviours must be a list" in page and "Entry 5: behaviours must be a list" in page
    assert "Entry 6:" not in page and "and 3 more problems" in page


def test_an_entry_exported_without_optional_fields_still_imports(alpha):
    person = make_person(alpha, ["leader"])
    response = post(client_for(alpha, person), export({"title": "Bare"}, {**GOOD_ENTRY, "created_at": None,
                                                                        "updated_at": "2026-02-01T09:00:00"}))
    assert response.status_code == 302
    with tenant_context(alpha):
        assert sorted(JournalEntry.objects.filter(author=person).values_list("title", flat=True)) == [
            "A good one", "Bare"]


def test_an_import_never_links_a_lesson_of_a_hidden_module(alpha):
    from courses import services as learning
    from courses.models import Lesson

    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        module = learning.module_create(title="Draft module for review")
        hidden = learning.lesson_create(module=module, title="Unfinished lesson title", body="Draft body",
                                        reflection_question="A draft question nobody should see yet?")
        learning.module_settings_update(module=module, is_hidden=True)
        shown = Lesson.objects.filter(module__is_hidden=False).exclude(slug=hidden.slug).first()
    client = client_for(alpha, leader)
    response = post(client, export(
        {**GOOD_ENTRY, "title": "From the hidden one", "lesson": {"slug": hidden.slug, "title": "x"}},
        {**GOOD_ENTRY, "title": "From a shown one", "lesson": {"slug": shown.slug, "title": "y"}},
    ))
    assert response.status_code == 302
    with tenant_context(alpha):
        entries = {entry.title: entry for entry in JournalEntry.objects.filter(author=leader)}
    assert entries["From the hidden one"].lesson is None
    assert entries["From a shown one"].lesson == shown
    page = client.get(f"/journal/{entries['From the hidden one'].pk}/").content.decode()
    assert "Unfinished lesson title" not in page and "A draft question" not in page
