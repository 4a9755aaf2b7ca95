"""A journal entry written "about" something of a higher app (reflections.about), with a test registration: the
label shows only to those the owning app lets see the thing, anything else is ignored without a word, and the
entry stays its author's."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import tenant_context

from people.models import User
from reflections import about as about_module
from reflections.about import AboutLink, about_for, about_new_entry_url, about_parse, about_register
from reflections.models import JournalEntry
from reflections.selectors.journal import own_entries_about
from reflections.services.journal import entry_create
from reflections.services.sharing import entry_share
from tests.conftest import client_for, make_person
from tests.reflections.conftest import pair

KIND = "tests.thing"
# The "things" of a pretend higher app: id -> the people who may see it.
THINGS: dict[int, set[int]] = {}


def thing_about(user: User, pk: int) -> AboutLink | None:
    # One query, as a real resolver reading through its app's selector would make.
    if not User.objects.filter(pk=user.pk, is_active=True).exists() or user.pk not in THINGS.get(pk, set()):
        return None
    return AboutLink(
        label=f"Thing number {pk}", url=f"/things/{pk}/", title="What the thing showed me",
        prompt="What surprised you about the thing?", behaviours=("understanding",),
    )


def raising_about(user: User, pk: int) -> AboutLink | None:
    raise Http404


@pytest.fixture(autouse=True)
def registered() -> Iterator[None]:
    about_register(KIND, thing_about)
    about_register("tests.raising", raising_about)
    yield
    about_module.about_unregister(KIND)
    about_module.about_unregister("tests.raising")
    THINGS.clear()


@pytest.fixture
def people(db, alpha):
    leader, mentor, other = (make_person(alpha, [role]) for role in ("leader", "mentor", "leader"))
    pair(alpha, leader, mentor)
    THINGS[41] = {leader.pk}  # the leader's alone
    THINGS[42] = {leader.pk, mentor.pk}  # the leader's, shared with the mentor
    THINGS[43] = {other.pk}  # someone else's
    return leader, mentor, other


def _about(entry: JournalEntry) -> tuple[str, int | None]:
    entry.refresh_from_db()
    return entry.about_kind, entry.about_id


@pytest.mark.parametrize(("value", "expected"), [
    ("tests.thing:41", ("tests.thing", 41)),
    ("feedback.360:7", ("feedback.360", 7)),
    ("supervision.session.agenda:2147483647", ("supervision.session.agenda", 2147483647)),
    ("tests.thing:0", None), ("tests.thing:-1", None), ("tests.thing:2147483648", None),
    ("tests.thing:" + "9" * 30, None), ("tests.thing:1:2", None), ("tests.thing: 1", None),
    ("tests.thing:١", None), ("Tests.Thing:1", None), ("thing:1", None), (":1", None), ("tests.thing", None),
    ("tests.thing:1\x00", None), ("", None), (None, None), (["tests.thing:1"], None), ("x" * 20_000, None),
])
def test_about_parse(value, expected):
    assert about_parse(value) == expected


def test_about_register_refuses_a_kind_of_the_wrong_shape():
    for kind in ("thing", "Tests.thing", "tests.thing:1", "tests." + "x" * 40, ""):
        with pytest.raises(ValueError):
            about_register(kind, thing_about)
    assert about_new_entry_url("feedback.360", 12) == "/journal/new/?about=feedback.360%3A12"


def test_only_what_the_owning_app_lets_you_see_resolves(alpha, people):
    leader, mentor, other = people
    with tenant_context(alpha):
        assert about_for(leader, "tests.thing:41").link.label == "Thing number 41"
        assert about_for(leader, "tests.thing:41").value == "tests.thing:41"
        assert about_for(mentor, "tests.thing:41") is None
        assert about_for(leader, "tests.thing:43") is None
        assert about_for(leader, "tests.thing:99") is None  # made up
        assert about_for(leader, "tests.nobody:41") is None  # nobody registered it
        assert about_for(leader, "tests.raising:41") is None  # a resolver that 404s means "not for you"


def test_a_new_entry_about_a_thing_shows_it_suggests_a_title_and_prompt_and_keeps_the_link(alpha, people):
    leader, _, _ = people
    client = client_for(alpha, leader)
    url = about_new_entry_url(KIND, 41)
    page = client.get(url).content.decode()
    assert 'About <a href="/things/41/">Thing number 41</a>' in page
    assert "What surprised you about the thing?" in page
    assert 'value="What the thing showed me"' in page
    assert '<input type="hidden" name="about" value="tests.thing:41">' in page
    assert re.search(r'<input[^>]*name="behaviours" value="understanding"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="behaviours" value="attending"[^>]*checked', page)

    response = client.post(reverse("reflections:entry_new"), {
        "title": "What the thing showed me", "template": "free", "body": "It surprised me.", "save": "1",
        "about": "tests.thing:41",
    })
    assert response.status_code == 302
    with tenant_context(alpha):
        entry = JournalEntry.objects.get(author=leader)
        assert _about(entry) == (KIND, 41)
        assert list(own_entries_about(leader, kind=KIND, pk=41)) == [entry]
    detail = client.get(f"/journal/{entry.pk}/").content.decode()
    assert 'About <a href="/things/41/">Thing number 41</a>' in detail
    assert "What surprised you about the thing?" not in detail  # an opening prompt belongs to the new form
    edit = client.get(f"/journal/{entry.pk}/edit/").content.decode()
    assert "Thing number 41" in edit and 'name="about"' not in edit  # shown, not changed by editing


@pytest.mark.parametrize("value", [
    "tests.thing:43",  # someone else's
    "tests.thing:99",  # made up
    "tests.nobody:41",  # a kind nobody registered
    "tests.raising:41",
    "nonsense",
    "tests.thing:99999999999999999999",
])
def test_anything_else_is_ignored_without_a_word_and_without_a_trace(alpha, people, value):
    leader, _, _ = people
    client = client_for(alpha, leader)
    plain = client.get("/journal/new/")
    asked = client.get("/journal/new/?" + f"about={value}")
    assert asked.status_code == plain.status_code == 200

    def without_token(text: str) -> str:  # the CSRF token and the CSP nonce differ on every page
        text = re.sub(r'nonce="[^"]*"', "", text)
        return "\n".join(line for line in text.splitlines() if "csrf" not in line.lower())

    # The same page as a plain new entry: nothing says whether the thing exists.
    assert without_token(asked.content.decode()) == without_token(plain.content.decode())

    response = client.post("/journal/new/", {"title": "T", "template": "free", "body": "B", "about": value})
    assert response.status_code == 302
    response = client.post("/journal/autosave/", {"title": "D", "template": "free", "body": "B", "draft_id": "",
                                                  "about": value})
    assert response.status_code == 200
    with tenant_context(alpha):
        assert set(JournalEntry.objects.filter(author=leader).values_list("about_kind", "about_id")) == {("", None)}


def test_autosave_starts_the_draft_about_the_thing_and_saving_it_keeps_the_link(alpha, people):
    leader, _, _ = people
    client = client_for(alpha, leader)
    draft_id = client.post("/journal/autosave/", {
        "title": "Draft", "template": "free", "body": "Half", "draft_id": "", "about": "tests.thing:41",
    }).json()["id"]
    # A later autosave of the same draft cannot move it to something else.
    client.post("/journal/autosave/", {"title": "Draft", "template": "free", "body": "More", "draft_id": draft_id,
                                       "about": "tests.thing:42"})
    client.post("/journal/new/", {"title": "Done", "template": "free", "body": "All", "draft_id": draft_id,
                                  "about": "tests.thing:41", "save": "1"})
    with tenant_context(alpha):
        entry = JournalEntry.objects.get(author=leader)
        assert entry.pk == draft_id and not entry.is_draft and _about(entry) == (KIND, 41)


def test_the_label_shows_only_to_viewers_the_owning_app_lets_see_it_and_never_widens_the_entry(alpha, people):
    leader, mentor, other = people
    with tenant_context(alpha):
        private = entry_create(author=leader, title="Private", template="free", fields={"body": "Mine"},
                               about=about_for(leader, "tests.thing:42"))
        shared_41 = entry_create(author=leader, title="Shared 41", template="free", fields={"body": "Ours"},
                                 about=about_for(leader, "tests.thing:41"))
        shared_42 = entry_create(author=leader, title="Shared 42", template="free", fields={"body": "Ours"},
                                 about=about_for(leader, "tests.thing:42"))
        for entry in (shared_41, shared_42):
            entry_share(entry=entry, author=leader, mentor=mentor)
    at_mentor = client_for(alpha, mentor)
    # The mentor may see thing 42, yet an entry about it that was not shared with them stays out of reach.
    assert at_mentor.get(f"/journal/{private.pk}/").status_code == 404
    assert "Thing number 42" in at_mentor.get(f"/journal/{shared_42.pk}/").content.decode()
    # Shared with them, but about a thing they may not see: the entry shows, the label does not.
    page = at_mentor.get(f"/journal/{shared_41.pk}/").content.decode()
    assert "Shared 41" in page and "Thing number 41" not in page and "/things/41/" not in page
    # Someone else who may see nothing of it.
    at_other = client_for(alpha, other)
    THINGS[42].add(other.pk)
    for entry in (private, shared_41, shared_42):
        assert at_other.get(f"/journal/{entry.pk}/").status_code == 404


def test_the_label_costs_only_the_resolvers_queries(alpha, people):
    leader, _, _ = people
    with tenant_context(alpha):
        plain = entry_create(author=leader, title="Plain", template="free", fields={"body": "x"})
        about = entry_create(author=leader, title="About", template="free", fields={"body": "x"},
                             about=about_for(leader, "tests.thing:41"))
    client = client_for(alpha, leader)
    client.get(f"/journal/{plain.pk}/")

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert count(f"/journal/{about.pk}/") == count(f"/journal/{plain.pk}/") + 1
    assert count(about_new_entry_url(KIND, 41)) == count("/journal/new/") + 1


def test_kind_and_id_come_together_in_the_database(alpha, people):
    leader, _, _ = people
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="T", template="free", fields={"body": "x"})
        for kind, pk in ((KIND, None), ("", 41)):
            with pytest.raises(IntegrityError), transaction.atomic():
                JournalEntry.objects.filter(pk=entry.pk).update(about_kind=kind, about_id=pk)
        # Only the author's own entries, whoever else wrote about the same thing.
        other = make_person(alpha, ["leader"])
        THINGS[41].add(other.pk)
        entry_create(author=other, title="Theirs", template="free", fields={"body": "x"},
                     about=about_for(other, "tests.thing:41"))
        assert not own_entries_about(leader, kind=KIND, pk=41).exists()
        assert own_entries_about(other, kind=KIND, pk=41).count() == 1
