"""The Five whys journal template: one definition of its steps (reflections.five_whys), and the entry it makes
saves, shows, is found by search, exports and imports like the others."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from reflections.five_whys import (
    FIVE_WHYS,
    FIVE_WHYS_KEYS,
    FIVE_WHYS_WHY_KEYS,
    five_whys_form_fields,
    five_whys_lesson_url,
    five_whys_steps,
    journal_field,
)
from reflections.models import SECTIONS, TEXT_FIELDS, EntryTemplate, JournalEntry
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db

WHYS = {
    "fw_problem": "The medication round runs late after the morning handover.",
    "fw_why1": "Handover overruns by twenty minutes.",
    "fw_why2": "Nights repeat everything out loud because the notes are skimmed.",
    "fw_why3": "Days arrive with no time to read them.",
    "fw_root": "Nobody planned time to read the notes.",
    "fw_action": "Ten quiet minutes to read before handover, for a month. Look again on the 1st.",
}


def test_one_definition_of_the_steps():
    assert FIVE_WHYS_KEYS == ("problem", "why1", "why2", "why3", "why4", "why5", "root", "action")
    assert FIVE_WHYS_WHY_KEYS == ("why1", "why2", "why3", "why4", "why5")
    assert EntryTemplate.FIVE_WHYS.label == "Five whys"
    assert SECTIONS[EntryTemplate.FIVE_WHYS] == [(journal_field(s.key), s.label, s.hint) for s in FIVE_WHYS]
    assert all(journal_field(key) in TEXT_FIELDS for key in FIVE_WHYS_KEYS)
    fields = five_whys_form_fields(required=("problem",))
    assert list(fields) == list(FIVE_WHYS_KEYS)
    assert fields["problem"].required and not fields["why5"].required
    assert fields["root"].label == "The root you reached"
    steps = five_whys_steps({"problem": "Late", "why1": "Because"})
    assert [(step.key, text) for step, text in steps][:3] == [("problem", "Late"), ("why1", "Because"), ("why2", "")]
    assert five_whys_lesson_url() == "/learn/understanding/root-causes/"


def test_a_five_whys_entry_saves_and_shows_its_steps(alpha):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    form = client.get("/journal/new/").content.decode()
    assert 'value="five-whys"' in form and "Five whys" in form
    assert "each why building on the last" in form and 'href="/learn/understanding/root-causes/"' in form
    assert "The root you reached" in form and "What you will try" in form
    response = client.post("/journal/new/", {
        "title": "Late medication round", "template": "five-whys", **WHYS, "body": "typed before switching",
        "behaviours": ["understanding"], "save": "1",
    })
    with tenant_context(alpha):
        entry = JournalEntry.objects.get(author=leader)
    assert response.status_code == 302 and response["Location"] == f"/journal/{entry.pk}/"
    assert (entry.template, entry.fw_root, entry.body, entry.is_draft) == (
        "five-whys", WHYS["fw_root"], "", False)
    page = client.get(f"/journal/{entry.pk}/").content.decode()
    for said in ("The problem", "Why does it happen?", "And why is that?", "The root you reached",
                 "What you will try", WHYS["fw_why3"], "Five whys"):
        assert said in page
    assert "Why, again?" not in page and "One last why" not in page  # steps left empty are left out
    client.post("/journal/", {"q": "skimmed"})
    assert "Late medication round" in client.get("/journal/").content.decode()  # the whys are searchable
    client.post("/journal/", {"clear": "1", "template": "five-whys"})
    assert "Late medication round" in client.get("/journal/").content.decode()


def test_an_empty_five_whys_is_not_saved(alpha):
    leader = make_person(alpha, ["leader"])
    response = client_for(alpha, leader).post("/journal/new/", {
        "title": "Nothing yet", "template": "five-whys", "body": "only in the free box", "save": "1",
    })
    assert response.status_code == 200 and "Write something in at least one section" in response.content.decode()
    with tenant_context(alpha):
        assert not JournalEntry.objects.filter(author=leader, is_draft=False).exists()


def test_a_five_whys_entry_exports_and_imports(alpha, beta):
    leader = make_person(alpha, ["leader"], email="five@example.org")
    client = client_for(alpha, leader)
    client.post("/journal/new/", {"title": "Late medication round", "template": "five-whys", **WHYS, "save": "1"})
    export = client.get("/journal/account/export/").content
    archive = zipfile.ZipFile(io.BytesIO(export))
    data = json.loads(archive.read("journal.json"))
    [item] = data["entries"]
    assert item["template"] == "five-whys" and item["sections"]["fw_why2"] == WHYS["fw_why2"]
    markdown = archive.read(next(n for n in archive.namelist() if n.startswith("entries/"))).decode()
    assert "*Five whys · written" in markdown
    assert "## The problem" in markdown and "## The root you reached" in markdown and WHYS["fw_action"] in markdown

    newcomer = make_person(beta, ["leader"], email="five@example.org")
    response = client_for(beta, newcomer).post("/journal/account/import/", {
        "file": SimpleUploadedFile("heartwood-journal.zip", export, content_type="application/zip"),
    })
    assert response.status_code == 302
    with tenant_context(beta):
        entry = JournalEntry.objects.get(author=newcomer)
    assert entry.template == "five-whys"
    assert {name: getattr(entry, name) for name in WHYS} == WHYS and entry.fw_why5 == ""


def test_the_welcome_lesson_explains_the_template_and_links_the_root_causes_lesson():
    root = Path(__file__).resolve().parents[2] / "courses/content/foundations"
    welcome = (root / "01-welcome/02-your-private-journal.md").read_text()
    assert "**Five whys**" in welcome and "(/learn/understanding/root-causes/)" in welcome
    lesson = (root / "03-understanding/03-root-causes.md").read_text()
    assert "slug: root-causes" in lesson
    assert "slug: understanding" in (root / "03-understanding/module.md").read_text()
