"""A leader learns in a real browser: completes a lesson, sees its reflection link, finishes a module, opens
the certificate. Every page passes axe-core (no serious or critical violation) and fits a 375 px phone."""

from django_tenants.utils import tenant_context
from playwright.sync_api import Page, expect

from courses import services
from courses.loader import curriculum_sync
from courses.models import Lesson, Module
from tests.conftest import PASSWORD, make_person
from tests.e2e.conftest import serious_violations


def _check(page: Page, name: str) -> None:
    assert serious_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], name
    page.screenshot(path=f"/tmp/learn-{name}.png", full_page=True)


def _sign_in(page: Page, live_url, email: str) -> None:
    page.goto(live_url("alpha", "/accounts/login/?next=/learn/"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_leader_completes_a_module_and_opens_the_certificate(page: Page, live_url, alpha):
    with tenant_context(alpha):
        curriculum_sync()  # the shipped curriculum (live tests start from empty organisation tables)
        module = Module.objects.filter(lessons__isnull=False).order_by("order", "id").first()
        lessons = list(Lesson.objects.filter(module=module).order_by("order", "id"))
    leader = make_person(alpha, ["leader"], name="Jo Rivers", email="jo.learns@example.org")
    page.set_viewport_size({"width": 375, "height": 800})
    _sign_in(page, live_url, leader.email)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your learning")
    expect(page.get_by_role("img", name="Your growth in the four behaviours")).to_be_visible()
    _check(page, "home")

    page.get_by_role("link", name=module.title, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(module.title)
    _check(page, "module")

    page.get_by_role("link", name=lessons[0].title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[0].title)
    reflect = page.get_by_role("link", name="Reflect on this in your journal")
    expect(reflect).to_have_attribute("href", f"/journal/new/?lesson={lessons[0].pk}")
    _check(page, "lesson")
    page.locator(".practice").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/learn-lesson-end.png")
    # The reflection opens a new journal entry linked to the lesson (the journal is the reflections app's).
    reflect.click()
    expect(page).to_have_url(live_url("alpha", f"/journal/new/?lesson={lessons[0].pk}"))
    expect(page.get_by_text(f"From the lesson “{lessons[0].title}”")).to_be_visible()
    page.go_back()
    page.get_by_role("button", name="I tried this").click()
    expect(page.get_by_text("You tried this on")).to_be_visible()
    page.get_by_role("button", name="Mark as done").click()

    for lesson in lessons[1:]:
        expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
        page.get_by_role("button", name="Mark as done").click()

    expect(page.get_by_role("heading", name="You completed this module")).to_be_visible()
    expect(page.get_by_text(f"You have completed “{module.title}”")).to_be_visible()
    _check(page, "module-done")

    page.get_by_role("link", name="Your certificate").click()
    expect(page.get_by_text("Certificate of completion")).to_be_visible()
    expect(page.get_by_text("Jo Rivers")).to_be_visible()
    _check(page, "certificate")
    # The print button works under the Content Security Policy (courses/certificate.js, no inline handler).
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print or save as PDF").click()
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    page.screenshot(path="/tmp/learn-certificate-print.png", full_page=True)
    page.emulate_media(media="screen")

    page.goto(live_url("alpha", "/learn/cpd/"))
    expect(page.get_by_role("cell", name=module.title)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert module.title in download.value.path().read_text()
    _check(page, "cpd")

    page.goto(live_url("alpha", "/learn/"))
    expect(page.get_by_role("heading", name="Continue where you left off")).to_be_visible()
    _check(page, "home-progress")


def test_a_leader_takes_a_self_check_and_sees_their_picture(page: Page, live_url, alpha):
    with tenant_context(alpha):
        curriculum_sync()
        module = Module.objects.exclude(behaviour="").filter(self_check__has_key="statements").order_by("order").first()
        statements = module.self_check["statements"]
    leader = make_person(alpha, ["leader"], email="sam.checks@example.org")
    with tenant_context(alpha):  # some progress, so the growth rings have something to show
        for behaviour, count in (("attending", 3), ("understanding", 1), ("helping", 2)):
            for lesson in Lesson.objects.filter(module__behaviour=behaviour).order_by("order")[:count]:
                services.lesson_complete(user=leader, lesson=lesson)
    page.set_viewport_size({"width": 375, "height": 800})
    _sign_in(page, live_url, leader.email)
    page.goto(live_url("alpha", f"/learn/{module.slug}/self-check/"))
    _check(page, "self-check")
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose an answer for every statement")
    for index, _statement in enumerate(statements):
        choice = ["Sometimes", "Often", "Always"][index % 3]
        page.locator("fieldset").nth(index).get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_role("heading", name="What to try next")).to_be_visible()
    expect(page.get_by_text("Only you can see this")).to_be_visible()
    _check(page, "self-check-result")
    page.goto(live_url("alpha", "/learn/"))
    expect(page.get_by_role("img", name="Your growth in the four behaviours")).to_be_visible()
    _check(page, "home-rings")


def test_an_admin_manages_learning_and_reads_the_report(page: Page, live_url, alpha):
    with tenant_context(alpha):
        curriculum_sync()
    admin = make_person(alpha, ["admin", "leader"], email="ada.admin@example.org", name="Ada Admin")
    page.set_viewport_size({"width": 375, "height": 800})
    _sign_in(page, live_url, admin.email)
    page.goto(live_url("alpha", "/learn/manage/"))
    _check(page, "manage")
    page.get_by_role("link", name="Add a module").click()
    page.get_by_label("Title").fill("Our handovers")
    page.get_by_label("Summary").fill("How handovers work **here**.")
    page.get_by_role("button", name="Create the module").click()
    page.get_by_label("Title").fill("A calm handover")
    page.get_by_label("Reading").fill("## Before you start\n\nRead the notes. Then **listen**.")
    page.get_by_label("CPD minutes").fill("12")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    _check(page, "manage-lesson-preview")
    page.get_by_role("button", name="Add the lesson").click()
    expect(page.get_by_text("“A calm handover” is added")).to_be_visible()
    page.goto(live_url("alpha", "/manage/learning/"))
    expect(page.get_by_role("heading", name="By module")).to_be_visible()
    _check(page, "report")
