"""The admin's learning report per person: last active day, modules started and completed with dates, required
modules not yet done and for how long, CPD minutes; filtered by role, sorted, as CSV and PDF; queries fixed."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from courses import services
from courses.loader import curriculum_sync
from courses.models import Lesson, LessonProgress, Module, ModuleCompletion
from people.models import User
from tests.conftest import client_for, make_person
from tests.courses.conftest import complete_after_reading, write_module

pytestmark = pytest.mark.django_db


def _days_ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def world(loaded, alpha):
    """Ann completed Welcome 10 days ago; Bob opened Attending 3 days ago; Cat (a mentor) has done nothing.
    Attending was made required 21 days ago."""
    admin = make_person(alpha, ["admin"], name="Ada Admin")
    ann = make_person(alpha, ["leader"], name="Ann Able")
    bob = make_person(alpha, ["leader"], name="Bob Brook")
    cat = make_person(alpha, ["mentor"], name="Cat Carr")
    client = client_for(alpha, admin)
    with tenant_context(alpha):
        attending = Module.objects.get(slug="attending")
    # Made required by the admin, through the page, then dated back three weeks.
    assert client.post(f"/learn/manage/modules/{attending.pk}/settings/", {"required": "1"}).status_code == 302
    with tenant_context(alpha):
        attending.refresh_from_db()
        assert attending.is_required and attending.required_since is not None
        Module.objects.filter(pk=attending.pk).update(required_since=_days_ago(21))
        User.objects.filter(pk__in=[ann.pk, bob.pk, cat.pk]).update(date_joined=_days_ago(60))
        for lesson in Lesson.objects.filter(module__slug="welcome"):
            complete_after_reading(ann, lesson)
        LessonProgress.objects.filter(user=ann).update(opened_at=_days_ago(12), last_seen_at=_days_ago(10))
        ModuleCompletion.objects.filter(user=ann).update(completed_at=_days_ago(10))
        services.lesson_visit_record(user=bob, lesson=Lesson.objects.get(slug="attending-lesson-1"))
        LessonProgress.objects.filter(user=bob).update(opened_at=_days_ago(3), last_seen_at=_days_ago(3))
    return client, {"ann": ann, "bob": bob, "cat": cat, "admin": admin}


def _day(days: int) -> str:
    return f"{timezone.localtime(_days_ago(days)):%-d %b %Y}"


def _rows(response) -> dict:
    return {row.name: row for row in response.context["people"]}


def test_each_person_with_dates_required_modules_and_minutes(world):
    client, people = world
    response = client.get("/manage/learning/")
    rows = _rows(response)
    ann, bob, cat = rows["Ann Able"], rows["Bob Brook"], rows["Cat Carr"]
    assert [(m.title, m.on) for m in ann.completed] == [("Welcome", timezone.localtime(_days_ago(10)).date())]
    assert ann.started == [] and ann.cpd_minutes == 23
    assert ann.last_active == timezone.localtime(_days_ago(10)).date()
    assert [m.title for m in ann.required_waiting] == ["Attending"]
    assert ann.required_waiting[0].waiting == "3 weeks"
    assert [(m.title, m.on) for m in bob.started] == [("Attending", timezone.localtime(_days_ago(3)).date())]
    assert bob.last_active == timezone.localtime(_days_ago(3)).date() and bob.cpd_minutes == 0
    assert cat.last_active is None and cat.completed == [] and cat.started == []

    html = " ".join(response.content.decode().split())
    iso = f"{timezone.localtime(_days_ago(10)):%Y-%m-%d}"
    assert f'Welcome <span class="muted"><time datetime="{iso}">{_day(10)}</time>' in html
    assert "Attending <span class=\"muted\">for 3 weeks</span>" in html
    assert "Not yet" in html  # Cat has not been active
    assert "/manage/learning/report.csv" in html and "/manage/learning/report.pdf" in html


def test_someone_who_joined_after_a_module_was_required_waits_from_the_day_they_joined(world, alpha):
    client, _ = world
    newcomer = make_person(alpha, ["leader"], name="Nel Newcomer")
    with tenant_context(alpha):
        User.objects.filter(pk=newcomer.pk).update(date_joined=_days_ago(5))
    row = _rows(client.get("/manage/learning/"))["Nel Newcomer"]
    assert [(m.title, m.waiting) for m in row.required_waiting] == [("Attending", "5 days")]


def test_making_a_module_optional_clears_its_required_date(world, alpha):
    client, _ = world
    with tenant_context(alpha):
        attending = Module.objects.get(slug="attending")
    client.post(f"/learn/manage/modules/{attending.pk}/settings/", {"required": "0"})
    with tenant_context(alpha):
        attending.refresh_from_db()
        assert not attending.is_required and attending.required_since is None
    rows = _rows(client.get("/manage/learning/"))
    assert all(row.required_waiting == [] for row in rows.values())
    assert "None required" in client.get("/manage/learning/").content.decode()


def test_filter_by_role_and_sort(world):
    client, _ = world
    leaders = [row.name for row in client.get("/manage/learning/", {"role": "leader"}).context["people"]]
    assert leaders == ["Ann Able", "Bob Brook"]
    mentors = [row.name for row in client.get("/manage/learning/", {"role": "mentor"}).context["people"]]
    assert mentors == ["Cat Carr"]

    def order(sort: str) -> list[str]:
        return [row.name for row in client.get("/manage/learning/", {"sort": sort}).context["people"]]

    assert order("name") == ["Ada Admin", "Ann Able", "Bob Brook", "Cat Carr"]
    assert order("active") == ["Bob Brook", "Ann Able", "Ada Admin", "Cat Carr"]  # most recent first, never last
    assert order("completed") == ["Ann Able", "Ada Admin", "Bob Brook", "Cat Carr"]
    assert order("cpd") == ["Ann Able", "Ada Admin", "Bob Brook", "Cat Carr"]
    # Nonsense in the query string shows everyone by name rather than an error.
    assert [row.name for row in client.get("/manage/learning/", {"role": "x", "sort": "y"}).context["people"]] == (
        order("name")
    )


def test_csv_says_what_the_page_says_for_the_same_choice(world):
    client, _ = world
    response = client.get("/manage/learning/report.csv", {"role": "leader", "sort": "cpd"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="heartwood-learning-report.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Person", "Last active day", "Modules started, with dates", "Modules completed, with dates",
        "Required modules not yet done, since", "CPD minutes",
    ]
    ten, three = (timezone.localtime(_days_ago(d)).date().isoformat() for d in (10, 3))
    required = timezone.localtime(_days_ago(21)).date().isoformat()
    assert rows[1] == ["Ann Able", ten, "", f"Welcome ({ten})", f"Attending ({required})", "23"]
    assert rows[2] == ["Bob Brook", three, f"Attending ({three})", "", f"Attending ({required})", "0"]
    assert len(rows) == 3


def test_pdf_is_the_report_on_paper(world):
    client, _ = world
    response = client.get("/manage/learning/report.pdf", {"role": "leader"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="heartwood-learning-report.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Alpha Care" in text and "with the leader role" in text
    assert "Ann Able" in text and "Bob Brook" in text and "Cat Carr" not in text
    assert f"Welcome {_day(10)}" in text and "Attending for 3 weeks" in text
    assert "journals and self-check answers are private" in text


def test_only_admins_get_the_report_and_its_downloads(world, alpha):
    _, people = world
    for url in ("/manage/learning/", "/manage/learning/report.csv", "/manage/learning/report.pdf"):
        assert client_for(alpha, people["ann"]).get(url).status_code == 404
        assert client_for(alpha, people["cat"]).get(url).status_code == 404


def test_queries_do_not_grow_with_people_and_modules(loaded, alpha, django_assert_max_num_queries):
    admin = make_person(alpha, ["admin"], name="Ada Admin")
    client = client_for(alpha, admin)
    with tenant_context(alpha):
        attending = Module.objects.get(slug="attending")
        services.module_settings_update(module=attending, is_required=True)
        for lesson in Lesson.objects.filter(module__slug="welcome"):
            complete_after_reading(admin, lesson)
    client.get("/manage/learning/")  # warm up
    with django_assert_max_num_queries(20) as captured:
        client.get("/manage/learning/")
    small = len(captured.captured_queries)

    for n in range(7):
        write_module(loaded, f"{10 + n:02d}-extra-{n}", f"extra-{n}", f"Extra {n}", order=10 + n, lessons=2)
    with tenant_context(alpha):
        curriculum_sync(loaded)
        services.module_settings_update(module=Module.objects.get(slug="extra-0"), is_required=True)
        assert Module.objects.count() == 9
    people = [make_person(alpha, ["leader"]) for _ in range(29)]
    with tenant_context(alpha):
        lessons = list(Lesson.objects.order_by("module__order", "order"))
        for index, person in enumerate(people):
            for lesson in lessons[: 2 + index % len(lessons)]:
                services.lesson_visit_record(user=person, lesson=lesson)
                services.lesson_complete(user=person, lesson=lesson)
        assert User.objects.filter(is_active=True, is_staff=False).count() == 30
    for url in ("/manage/learning/", "/manage/learning/?role=leader&sort=active", "/manage/learning/report.csv"):
        with django_assert_max_num_queries(small):
            response = client.get(url)
        assert response.status_code == 200
    assert len(client.get("/manage/learning/").context["people"]) == 30
