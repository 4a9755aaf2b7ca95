"""CPD from other apps (courses/cpd.py): a registered source's activities join the modules on the record, its CSV,
its PDF and the record's certificate, in date order with their kind; the page states the source's rule; the page's
query count holds as modules and activities grow."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from courses.cpd import CpdActivity, cpd_record_for, cpd_source_register, cpd_source_unregister
from courses.models import Lesson, ModuleCompletion
from people.models import User
from tests.conftest import client_for, make_person
from tests.courses.conftest import complete_after_reading

KIND = "Test circle meeting"
RULE = "A test circle counts with its length when someone noted that you were there."
# Who attended what: user id -> [(day offset from today, title, minutes)]. The provider reads one query's worth.
ATTENDED: dict[int, list[tuple[int, str, int]]] = {}


def _provider(user: User, *, since: date | None = None, until: date | None = None) -> list[CpdActivity]:
    User.objects.filter(pk=user.pk).exists()  # stands for the one query a real source makes
    today = timezone.localdate()
    activities = [CpdActivity(title=title, date=today + timedelta(days=offset), minutes=minutes, kind_label=KIND)
                  for offset, title, minutes in ATTENDED.get(user.pk, [])]
    return [a for a in activities if (since is None or a.date >= since) and (until is None or a.date <= until)]


@pytest.fixture
def source() -> Iterator[None]:
    ATTENDED.clear()
    cpd_source_register("tests.circle", _provider, rule=RULE)
    yield
    cpd_source_unregister("tests.circle")
    ATTENDED.clear()


def _complete_welcome(org, person) -> ModuleCompletion:
    with tenant_context(org):
        for lesson in Lesson.objects.filter(module__slug="welcome"):
            complete_after_reading(person, lesson)
        return ModuleCompletion.objects.get(user=person, module__slug="welcome")


def test_activities_join_the_record_in_date_order_with_their_kind(loaded, alpha, source):
    leader, other = make_person(alpha, ["leader"]), make_person(alpha, ["leader"])
    _complete_welcome(alpha, leader)  # 23 minutes, today
    ATTENDED[leader.pk] = [(-30, "Rowan circle, first meeting", 90), (2, "Rowan circle, next meeting", 60)]
    ATTENDED[other.pk] = [(-5, "Someone else's circle", 45)]
    with tenant_context(alpha):
        record = cpd_record_for(leader)
    assert [(row.title, row.kind_label, row.minutes) for row in record.rows] == [
        ("Rowan circle, first meeting", KIND, 90), ("Welcome", "Module", 23), ("Rowan circle, next meeting", KIND, 60),
    ]
    assert (record.total_minutes, record.module_count, record.activity_count) == (173, 1, 2)

    page = " ".join(client_for(alpha, leader).get("/learn/cpd/").content.decode().split())
    assert "1 module completed · 2 other activities · 173 minutes of continuing professional development" in page
    assert page.index("Rowan circle, first meeting") < page.index("Welcome") < page.index("Rowan circle, next")
    assert KIND in page and RULE in page
    assert "Someone else" not in page
    assert "/learn/cpd/welcome/certificate/" in page and "/learn/cpd/record.pdf" in page

    rows = list(csv.reader(io.StringIO(client_for(alpha, leader).get("/learn/cpd/record.csv").content.decode())))
    today = timezone.localdate()
    assert rows == [
        ["Activity", "Kind", "Programme", "Date", "CPD minutes", "CPD hours"],
        ["Rowan circle, first meeting", KIND, "", (today - timedelta(days=30)).isoformat(), "90", "1.50"],
        ["Welcome", "Module", "Test programme", today.isoformat(), "23", "0.38"],
        ["Rowan circle, next meeting", KIND, "", (today + timedelta(days=2)).isoformat(), "60", "1.00"],
        ["Total", "", "", "", "173", "2.88"],
    ]


def test_the_record_pdf_is_the_whole_record_for_its_owner_only(loaded, alpha, source):
    leader = make_person(alpha, ["leader"], name="Bronwen Ashby-Llewellyn")
    completion = _complete_welcome(alpha, leader)
    ATTENDED[leader.pk] = [(-30, "Rowan circle, first meeting", 90)]
    response = client_for(alpha, leader).get("/learn/cpd/record.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="heartwood-cpd-record.pdf"'
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "RECORD OF CONTINUING PROFESSIONAL DEVELOPMENT" in text
    assert "Bronwen Ashby-Llewellyn" in text and "Alpha Care" in text
    assert "113 minutes of continuing professional development" in text
    assert text.index("Rowan circle, first meeting") < text.index("Welcome")
    assert KIND in text and f"certificate {completion.reference}" in text
    # Someone else's download is their own (empty) record; signed out, sign in first; a POST is refused.
    other = client_for(alpha, make_person(alpha, ["leader"])).get("/learn/cpd/record.pdf")
    other_text = " ".join(PdfReader(io.BytesIO(other.content)).pages[0].extract_text().split())
    assert "Nothing on this record yet" in other_text
    assert client_for(alpha).get("/learn/cpd/record.pdf").status_code == 302
    assert client_for(alpha, leader).post("/learn/cpd/record.pdf").status_code == 405


def test_since_and_until_reach_the_modules_and_every_source(loaded, alpha, source):
    leader = make_person(alpha, ["leader"])
    _complete_welcome(alpha, leader)
    ATTENDED[leader.pk] = [(-30, "Old", 90), (-1, "Yesterday", 60)]
    today = timezone.localdate()
    with tenant_context(alpha):
        assert [r.title for r in cpd_record_for(leader, since=today - timedelta(days=2)).rows] == [
            "Yesterday", "Welcome"]
        assert [r.title for r in cpd_record_for(leader, until=today - timedelta(days=1)).rows] == ["Old", "Yesterday"]


def test_a_negative_activity_takes_nothing_off(loaded, alpha, source):
    leader = make_person(alpha, ["leader"])
    ATTENDED[leader.pk] = [(-3, "Broken", -500), (-2, "Fine", 30)]
    with tenant_context(alpha):
        record = cpd_record_for(leader)
    assert [r.title for r in record.rows] == ["Fine"] and record.total_minutes == 30


def test_without_sources_the_page_says_only_the_lesson_rule(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    page = client_for(alpha, leader).get("/learn/cpd/").content.decode()
    assert RULE not in page and "How your minutes are counted" in page


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/learn/cpd/").status_code == 200
    return len(ctx.captured_queries)


def test_the_cpd_page_query_count_holds_as_the_record_grows(loaded, alpha, source):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    _complete_welcome(alpha, leader)
    ATTENDED[leader.pk] = [(-1, "One", 30)]
    client.get("/learn/cpd/")
    before = _count(client)
    with tenant_context(alpha):
        for lesson in Lesson.objects.exclude(module__slug="welcome"):
            complete_after_reading(leader, lesson)
        assert ModuleCompletion.objects.filter(user=leader).count() > 1
    ATTENDED[leader.pk] = [(-n, f"Meeting {n}", 60) for n in range(1, 40)]
    after = _count(client)
    assert after == before
    # 7 for any signed-in request, 1 for the navigation's count, the completions, the test source's one query, and
    # one for each app's own source (learning sets: attended meetings).
    assert after <= 12
