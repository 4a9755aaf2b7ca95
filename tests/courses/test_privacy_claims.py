"""What the welcome module tells learners about their privacy must be what the product does.

The lesson "Your journal, and why it is private" says, in one bullet, what organisation admins see: one
"For each <thing>, it shows …" clause per table of the learning report at /manage/learning/. These tests read
that bullet from the shipped Markdown, render the report as an admin and compare the two, both ways: a column
the lesson does not mention fails, and so does a claim the report does not back. When the report changes,
these fail until the lesson is rewritten to match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django_tenants.utils import tenant_context

from courses import services
from courses.loader import DEFAULT_PROGRAMME_DIR, read_programme
from courses.models import Lesson, Module
from reflections.models import JournalEntry
from tests.conftest import client_for, make_person

WELCOME = "welcome"
JOURNAL_LESSON = "your-private-journal"
ADMIN_BULLET = re.compile(r"^- \*\*Admins see[^\n]*$", re.MULTILINE)
PER_TABLE = re.compile(r"for each (\w+)(.*?)(?=for each|that is all|$)", re.IGNORECASE | re.DOTALL)
# Joining words a clause may use around the column names ("how many people have started it").
JOINING = {"it", "shows", "how", "many", "people", "have", "has", "they", "their", "and", "the", "by", "name"}
# What the lesson promises never reaches the report.
NEVER_IN_REPORT = {"journal", "journals", "entry", "entries", "prompt", "prompts", "self", "answers", "written"}


@dataclass
class Table:
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return self.headers[0].lower()

    @property
    def row_headers(self) -> list[str]:
        return [row[0] for row in self.rows if row]


class _Tables(HTMLParser):
    """Every <table> of a page: its column headers (thead) and its rows (tbody), as plain text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self._section = ""
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(Table())
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr" and self._section == "tbody":
            self.tables[-1].rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            table = self.tables[-1]
            if self._section == "thead":
                table.headers.append(text)
            else:
                table.rows[-1].append(text)
            self._cell = None
        elif tag in ("thead", "tbody"):
            self._section = ""

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def _welcome_lessons() -> dict[str, str]:
    programme = read_programme(DEFAULT_PROGRAMME_DIR)
    assert programme is not None
    module = next(m for m in programme.modules if m.slug == WELCOME)
    return {"module.md": module.summary} | {lesson.slug: lesson.body for lesson in module.lessons}


def _admin_claims() -> dict[str, str]:
    """{table subject: what the lesson says admins see for it}, from the lesson's "Admins see" bullet."""
    body = _welcome_lessons()[JOURNAL_LESSON]
    bullets = ADMIN_BULLET.findall(body)
    assert len(bullets) == 1, "The journal lesson says what admins see in exactly one '- **Admins see' bullet"
    claims = {subject.lower(): clause for subject, clause in PER_TABLE.findall(bullets[0])}
    assert claims, "The 'Admins see' bullet names what the report shows: 'For each <thing>, it shows …'"
    return claims


def _report_tables(client) -> list[Table]:
    response = client.get("/manage/learning/")
    assert response.status_code == 200
    parser = _Tables()
    parser.feed(response.content.decode())
    assert parser.tables and all(t.headers for t in parser.tables)
    return parser.tables


@pytest.fixture
def report(alpha):
    """The learning report rendered for an admin, with one learner part-way through the shipped programme."""
    admin = make_person(alpha, ["admin"], name="Ada Admin")
    leader = make_person(alpha, ["leader"], name="Lee Leader")
    with tenant_context(alpha):
        for lesson in Lesson.objects.filter(module__slug=WELCOME):
            services.lesson_complete(user=leader, lesson=lesson)
    client = client_for(alpha, admin)
    return client, leader, _report_tables(client)


@pytest.mark.django_db
def test_every_column_of_the_report_is_one_the_lesson_tells_learners_about(report):
    _, _, tables = report
    claims = _admin_claims()
    assert set(claims) == {t.subject for t in tables}, (
        "The lesson has one 'For each …' clause per table of the learning report, no more and no fewer"
    )
    for table in tables:
        said = _words(claims[table.subject])
        for column in table.headers[1:]:
            assert _words(column) <= said, f"The report shows '{column}' per {table.subject}; the lesson doesn't say so"


@pytest.mark.django_db
def test_the_lesson_claims_nothing_the_report_does_not_show(report):
    _, leader, tables = report
    claims = _admin_claims()
    for table in tables:
        clause = claims[table.subject]
        columns = set().union(*(_words(h) for h in table.headers))
        extra = _words(clause) - columns - JOINING
        assert not extra, f"The lesson says admins see {sorted(extra)} per {table.subject}; the report does not"
        # "by name" is said exactly where the rows name people.
        names_people = leader.full_name in table.row_headers
        assert ("by name" in clause.lower()) == names_people, table.subject


@pytest.mark.django_db
def test_nothing_the_lesson_keeps_private_is_a_column_or_changes_the_report(alpha, report):
    client, leader, before = report
    for table in before:
        for column in table.headers:
            assert not _words(column) & NEVER_IN_REPORT, column
    # Writing in the journal and answering a self-check leaves the admin's report exactly as it was.
    with tenant_context(alpha):
        for n in range(7):
            JournalEntry.objects.create(author=leader, title=f"Night shift {n}", body="What I noticed.", is_draft=False)
        attending = Module.objects.get(slug="attending")
        services.self_check_record(
            user=leader, module=attending, answers=[5] * len(attending.self_check["statements"])
        )
    after = _report_tables(client)
    assert [(t.headers, t.rows) for t in after] == [(t.headers, t.rows) for t in before]


def test_only_the_journal_lesson_speaks_of_admins():
    """Every sentence of the welcome module about admins is the checked bullet, so no unchecked claim slips in."""
    for slug, body in _welcome_lessons().items():
        for line in body.splitlines():
            if re.search(r"\badmins?\b", line, re.IGNORECASE):
                assert slug == JOURNAL_LESSON and ADMIN_BULLET.fullmatch(line), (slug, line)
