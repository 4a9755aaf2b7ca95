import csv
import io

import pytest
from django_tenants.utils import tenant_context

from courses import services
from courses.models import Lesson, LessonProgress, Module, ModuleCompletion, SelfCheckResponse, Source
from tests.conftest import client_for, make_person
from tests.courses.conftest import complete_after_reading
from tests.courses.test_markdown import assert_safe, elements


def test_learning_needs_sign_in(loaded, alpha):
    response = client_for(alpha).get("/learn/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_home_shows_programme_growth_picture_and_where_to_start(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    response = client_for(alpha, leader).get("/learn/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Test programme" in html and "Welcome" in html and "Attending" in html
    assert 'role="img"' in html and "Attending: 0 of 3 lessons done." in html  # picture + text alternative
    assert "Start here" in html and "/learn/welcome/welcome-lesson-1/" in html


def test_a_leader_reads_marks_done_and_completes_a_module(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    lesson_page = client.get("/learn/welcome/welcome-lesson-1/")
    html = lesson_page.content.decode()
    with tenant_context(alpha):
        first = Lesson.objects.get(slug="welcome-lesson-1")
    assert "Welcome lesson 1" in html and "<h2>A subheading</h2>" in html
    assert f'href="/journal/new/?lesson={first.pk}"' in html
    assert "What did you notice about 1?" in html and "Try thing 1 on your next shift." in html
    assert 'rel="next"' in html and "/learn/welcome/welcome-lesson-2/" in html

    response = client.post("/learn/welcome/welcome-lesson-1/done/")
    assert response.status_code == 302 and response["Location"] == "/learn/welcome/welcome-lesson-2/"
    response = client.post("/learn/welcome/welcome-lesson-1/tried/")
    assert response.status_code == 302
    assert "You tried this on" in client.get("/learn/welcome/welcome-lesson-1/").content.decode()

    # "Continue where you left off" points at the next lesson.
    assert "Continue where you left off" in client.get("/learn/").content.decode()
    # The second lesson is done at once, with nothing tried: only the first, whose practice was tried, counts.
    response = client.post("/learn/welcome/welcome-lesson-2/done/", follow=True)
    html = response.content.decode()
    assert "You have completed “Welcome”" in html and "Your certificate" in html
    with tenant_context(alpha):
        completion = ModuleCompletion.objects.get(user=leader, module__slug="welcome")
        assert completion.cpd_minutes == 11
    # Trying the second lesson's practice afterwards adds its minutes to the record.
    client.post("/learn/welcome/welcome-lesson-2/tried/")
    with tenant_context(alpha):
        completion.refresh_from_db()
        assert completion.cpd_minutes == 23

    cert = client.get("/learn/cpd/welcome/certificate/")
    assert cert.status_code == 200
    cert_html = cert.content.decode()
    assert "Certificate of completion" in cert_html and leader.full_name in cert_html and "23 minutes" in cert_html
    assert client.get("/learn/cpd/attending/certificate/").status_code == 404  # not completed


def test_get_requests_never_mark_done(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    assert client.get("/learn/welcome/welcome-lesson-1/done/").status_code == 405
    with tenant_context(alpha):
        assert not LessonProgress.objects.filter(user=leader, completed_at__isnull=False).exists()


def test_cpd_csv_lists_completed_modules_with_dates_and_minutes(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        for lesson in Lesson.objects.filter(module__slug__in=["welcome", "attending"]):
            complete_after_reading(leader, lesson)
        dates = {c.module.title: c.completed_at.date().isoformat() for c in ModuleCompletion.objects.all()}
    response = client_for(alpha, leader).get("/learn/cpd/record.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Activity", "Kind", "Programme", "Date", "CPD minutes", "CPD hours"]
    body = {row[0]: row for row in rows[1:-1]}
    assert body["Welcome"] == ["Welcome", "Module", "Test programme", dates["Welcome"], "23", "0.38"]
    assert body["Attending"][4] == str(11 + 12 + 13)
    assert rows[-1] == ["Total", "", "", "", "59", "0.98"]
    page = client_for(alpha, leader).get("/learn/cpd/").content.decode()
    assert "59 minutes" in page and "/learn/cpd/welcome/certificate/" in page


def test_cpd_csv_of_someone_else_is_empty(loaded, alpha):
    leader, other = make_person(alpha, ["leader"]), make_person(alpha, ["leader"])
    with tenant_context(alpha):
        for lesson in Lesson.objects.filter(module__slug="welcome"):
            services.lesson_complete(user=leader, lesson=lesson)
    rows = list(csv.reader(io.StringIO(client_for(alpha, other).get("/learn/cpd/record.csv").content.decode())))
    assert len(rows) == 2  # header and a zero total
    assert client_for(alpha, other).get("/learn/cpd/welcome/certificate/").status_code == 404


def test_self_check_result_is_a_picture_with_suggestions_for_the_learner_only(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    form = client.get("/learn/attending/self-check/").content.decode()
    assert "I notice who has not spoken in a meeting." in form and "Never" in form and "Always" in form
    incomplete = client.post("/learn/attending/self-check/", {"s1": "1"})
    assert incomplete.status_code == 200 and "Choose how often this is true for you." in incomplete.content.decode()
    response = client.post("/learn/attending/self-check/", {"s1": "1", "s2": "2", "s3": "2"}, follow=True)
    html = response.content.decode()
    assert "Only you can see this" in html and "<svg" in html and 'role="img"' in html
    assert "Try two minutes of full attention with one person." in html  # the "low" band
    with tenant_context(alpha):
        assert SelfCheckResponse.objects.get(user=leader).answers == [1, 2, 2]
    assert client.get("/learn/welcome/self-check/").status_code == 404  # not a behaviour module


@pytest.mark.parametrize("role", ["mentor", "admin"])
def test_nobody_else_sees_a_self_check(loaded, alpha, role):
    leader = make_person(alpha, ["leader"])
    viewer = make_person(alpha, [role])
    with tenant_context(alpha):
        for lesson in Lesson.objects.filter(module__slug="attending"):
            services.lesson_complete(user=leader, lesson=lesson)
        services.self_check_record(
            user=leader, module=Module.objects.get(slug="attending"), answers=[5, 5, 4]
        )
    client = client_for(alpha, viewer)
    # Their own result page is empty (asks them to take it), never the leader's answers.
    response = client.get("/learn/attending/self-check/result/")
    assert response.status_code == 302 and response["Location"] == "/learn/attending/self-check/"
    if role == "admin":
        report = client.get("/manage/learning/").content.decode()
        assert leader.full_name in report
        assert "Teach someone else" not in report and "Always" not in report and "Often" not in report
        assert "I stop and listen" not in report


@pytest.mark.parametrize("role", ["leader", "mentor"])
def test_only_org_admins_manage_learning(loaded, alpha, role):
    person = make_person(alpha, [role])
    client = client_for(alpha, person)
    with tenant_context(alpha):
        module = Module.objects.get(slug="welcome")
        org_module = services.module_create(title="Our own")
        org_lesson = services.lesson_create(module=org_module, title="Ours", body="Ours")
    gets = [
        "/learn/manage/", "/learn/manage/modules/new/", f"/learn/manage/modules/{org_module.pk}/",
        f"/learn/manage/modules/{org_module.pk}/lessons/new/", f"/learn/manage/lessons/{org_lesson.pk}/",
        "/manage/learning/",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = {
        "/learn/manage/modules/new/": {"title": "Sneaky"},
        f"/learn/manage/modules/{module.pk}/settings/": {"hidden": "1"},
        f"/learn/manage/modules/{module.pk}/move/": {"direction": "down"},
        f"/learn/manage/modules/{org_module.pk}/": {"title": "Changed"},
        f"/learn/manage/lessons/{org_lesson.pk}/": {"title": "Changed", "body": "x", "minutes": 5},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    with tenant_context(alpha):
        module.refresh_from_db()
        assert not module.is_hidden and module.order == 1
        assert not Module.objects.filter(title="Sneaky").exists()
        assert Module.objects.get(pk=org_module.pk).title == "Our own"


def test_an_admin_adds_a_module_and_a_lesson_hides_reorders_and_requires(loaded, alpha):
    admin = make_person(alpha, ["admin"])
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, admin)
    assert client.get("/learn/manage/").status_code == 200
    response = client.post("/learn/manage/modules/new/", {"title": "Our handovers", "summary": "How we do it."})
    with tenant_context(alpha):
        module = Module.objects.get(title="Our handovers")
    assert module.source == Source.ORGANISATION and module.slug.startswith("org-")
    assert response["Location"] == f"/learn/manage/modules/{module.pk}/lessons/new/"

    # Preview renders the Markdown without saving.
    preview = client.post(
        f"/learn/manage/modules/{module.pk}/lessons/new/",
        {"title": "Handover", "body": "## Before\n\n**Read** the notes.", "minutes": 10, "preview": "1"},
    )
    assert "<h2>Before</h2>" in preview.content.decode() and "<strong>Read</strong>" in preview.content.decode()
    with tenant_context(alpha):
        assert not Lesson.objects.filter(module=module).exists()
    missing = client.post(f"/learn/manage/modules/{module.pk}/lessons/new/", {"title": "", "body": "", "minutes": ""})
    assert "Write the reading for this lesson." in missing.content.decode()
    client.post(
        f"/learn/manage/modules/{module.pk}/lessons/new/",
        {"title": "Handover", "body": "Read the notes.", "practice": "Do it.", "reflection_question": "Why?",
         "minutes": 10},
    )
    with tenant_context(alpha):
        lesson = Lesson.objects.get(module=module)
        welcome = Module.objects.get(slug="welcome")
    assert lesson.source == Source.ORGANISATION and lesson.slug == "handover"

    client.post(f"/learn/manage/modules/{module.pk}/move/", {"direction": "up"})
    client.post(f"/learn/manage/modules/{module.pk}/move/", {"direction": "up"})
    client.post(f"/learn/manage/modules/{welcome.pk}/settings/", {"hidden": "1"})
    client.post(f"/learn/manage/modules/{module.pk}/settings/", {"required": "1"})
    with tenant_context(alpha):
        assert list(Module.objects.order_by("order").values_list("slug", flat=True)) == [
            module.slug, "welcome", "attending"
        ]
    home = client_for(alpha, leader).get("/learn/").content.decode()
    assert "Our handovers" in home and "Required" in home
    assert "/learn/welcome/" not in home
    assert client_for(alpha, leader).get("/learn/welcome/").status_code == 404  # hidden
    assert home.index("Our handovers") < home.index("Attending lesson") if "Attending lesson" in home else True

    # Shipped modules cannot be edited here.
    assert client.get(f"/learn/manage/modules/{welcome.pk}/").status_code == 404


XSS_LESSON = """Hello

<script>alert(1)</script>

<img src=x onerror="alert(2)">

[click me](javascript:alert(3))

<a href="javascript:alert(4)" onclick="alert(5)">x</a>
"""


def test_organisation_lessons_are_sanitised(loaded, alpha):
    admin = make_person(alpha, ["admin", "leader"])
    with tenant_context(alpha):
        module = services.module_create(title="Risky", summary="<script>alert('s')</script>Summary")
        lesson = services.lesson_create(
            module=module, title="Risky lesson", body=XSS_LESSON, practice="[p](javascript:x)"
        )
    client = client_for(alpha, admin)
    for url in (f"/learn/{module.slug}/{lesson.slug}/", f"/learn/{module.slug}/"):
        html = client.get(url).content.decode()
        main = html[html.index("<main"):html.index("</main>")]
        for tag, attrs in elements(main):  # text may mention them, elements and attributes may not
            assert tag not in ("script", "img", "iframe"), tag
            assert not any(name.startswith("on") for name in attrs), (tag, attrs)
            assert not (attrs.get("href") or "").lower().startswith("javascript"), attrs
        assert "Hello" in main or "Summary" in main
    preview = client.post(
        f"/learn/manage/lessons/{lesson.pk}/", {"title": "x", "body": XSS_LESSON, "minutes": 5, "preview": "1"}
    ).content.decode()
    start = preview.index('id="preview-heading"')
    fragment = preview[start:preview.index("</section>", start)]
    assert_safe(fragment.split("</h2>", 1)[1])


def test_an_organisation_module_is_not_visible_at_another_organisation(loaded, alpha, beta):
    with tenant_context(alpha):
        module = services.module_create(title="Alpha only")
        services.lesson_create(module=module, title="Alpha lesson", body="Secret to alpha.")
    beta_leader = make_person(beta, ["leader"])
    beta_admin = make_person(beta, ["admin"])
    assert "Alpha only" not in client_for(beta, beta_leader).get("/learn/").content.decode()
    assert client_for(beta, beta_leader).get(f"/learn/{module.slug}/").status_code == 404
    assert client_for(beta, beta_leader).get(f"/learn/{module.slug}/alpha-lesson/").status_code == 404
    assert "Alpha only" not in client_for(beta, beta_admin).get("/learn/manage/").content.decode()
    assert client_for(beta, beta_admin).get(f"/learn/manage/modules/{module.pk}/").status_code in (404,)


def test_the_learning_report_counts_started_completed_and_minutes(loaded, alpha):
    admin = make_person(alpha, ["admin"], name="Ada Admin")
    ann = make_person(alpha, ["leader"], name="Ann Able")
    bob = make_person(alpha, ["leader"], name="Bob Brook")
    with tenant_context(alpha):
        for lesson in Lesson.objects.filter(module__slug="welcome"):
            complete_after_reading(ann, lesson)
        services.lesson_visit_record(user=bob, lesson=Lesson.objects.get(slug="welcome-lesson-1"))
        services.lesson_complete(user=bob, lesson=Lesson.objects.get(slug="attending-lesson-1"))
        services.self_check_record(user=bob, module=Module.objects.get(slug="attending"), answers=[1, 1, 1])
    response = client_for(alpha, admin).get("/manage/learning/")
    assert response.status_code == 200
    modules = {m.slug: m for m in response.context["modules"]}
    assert (modules["welcome"].started_count, modules["welcome"].completed_count) == (2, 1)
    assert (modules["attending"].started_count, modules["attending"].completed_count) == (1, 0)
    people = {p.name: p for p in response.context["people"]}
    assert ([m.title for m in people["Ann Able"].completed], people["Ann Able"].cpd_minutes) == (["Welcome"], 23)
    assert (people["Bob Brook"].completed, people["Bob Brook"].cpd_minutes) == ([], 0)
    html = response.content.decode()
    assert "Never" not in html and "Try two minutes" not in html


def test_an_admin_reorders_lessons_of_their_own_module(loaded, alpha):
    admin = make_person(alpha, ["admin"])
    with tenant_context(alpha):
        module = services.module_create(title="Ours")
        services.lesson_create(module=module, title="First", body="One")
        second = services.lesson_create(module=module, title="Second", body="Two")
    client = client_for(alpha, admin)
    client.post(f"/learn/manage/lessons/{second.pk}/move/", {"direction": "up"})
    with tenant_context(alpha):
        assert list(module.lessons.order_by("order").values_list("title", flat=True)) == ["Second", "First"]
    # Shipped lessons are not edited here.
    with tenant_context(alpha):
        shipped = Lesson.objects.get(slug="welcome-lesson-1")
    assert client.get(f"/learn/manage/lessons/{shipped.pk}/").status_code == 404
    assert client.post(f"/learn/manage/lessons/{shipped.pk}/move/", {"direction": "down"}).status_code == 404


def test_a_self_check_needs_one_rating_per_statement(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        module = Module.objects.get(slug="attending")
        for answers in ([1, 2], [1, 2, 6], [0, 1, 2]):
            with pytest.raises(ValueError):
                services.self_check_record(user=leader, module=module, answers=answers)
    response = client_for(alpha, leader).post("/learn/attending/self-check/", {"s1": "9", "s2": "1", "s3": "1"})
    assert response.status_code == 200
    with tenant_context(alpha):
        assert not SelfCheckResponse.objects.exists()


def test_the_self_check_page_links_to_the_learners_last_result(loaded, alpha):
    leader, other = make_person(alpha, ["leader"]), make_person(alpha, ["leader"])
    with tenant_context(alpha):
        services.self_check_record(user=leader, module=Module.objects.get(slug="attending"), answers=[3, 3, 3])
    assert "See that result" in client_for(alpha, leader).get("/learn/attending/self-check/").content.decode()
    assert "See that result" not in client_for(alpha, other).get("/learn/attending/self-check/").content.decode()
