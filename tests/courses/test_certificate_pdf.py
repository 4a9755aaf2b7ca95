"""The certificate as a PDF: rendered by WeasyPrint, read back with pypdf, for the person who earned it only."""

import io
import re

from django.utils import timezone
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from courses import services
from courses.models import Lesson, ModuleCompletion
from people.links import organisation_url
from tests.conftest import client_for, make_person
from tests.courses.conftest import complete_after_reading


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1  # one A4 sheet, nothing spilling over
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    return " ".join(reader.pages[0].extract_text().split())


def test_the_pdf_says_what_the_page_says(loaded, alpha):
    leader = make_person(alpha, ["leader"], name="Bronwen Ashby-Llewellyn")
    with tenant_context(alpha):
        for lesson in Lesson.objects.filter(module__slug="welcome"):
            complete_after_reading(leader, lesson)
        completion = ModuleCompletion.objects.select_related("module").get(user=leader, module__slug="welcome")
    client = client_for(alpha, leader)
    response = client.get("/learn/cpd/welcome/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="heartwood-certificate-welcome.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = _text(response.content)
    assert "CERTIFICATE OF COMPLETION" in text  # the kicker is set in capitals
    assert "Welcome" in text and "Test programme" in text
    assert "Bronwen Ashby-Llewellyn" in text
    assert "Alpha Care" in text  # the organisation
    assert f"{timezone.localtime(completion.completed_at):%-d %B %Y}" in text
    assert f"having started it on {timezone.localtime(completion.started_at):%-d %B %Y}" in text
    assert "23 minutes of continuing professional development" in text
    # What was learned: the module's lessons.
    assert "What was learned: Welcome lesson 1 · Welcome lesson 2" in text
    # The reference, and where anyone can check it: this organisation's own verification page.
    assert re.fullmatch(r"HW-[A-Z2-7]{10}", completion.reference)
    assert f"Reference {completion.reference}" in text
    verify_url = organisation_url(alpha, f"/verify/{completion.reference}/")
    assert verify_url in text.replace(" ", "")  # a long address may wrap, so spaces are not compared
    page = client.get("/learn/cpd/welcome/certificate/").content.decode()
    for said in (completion.reference, verify_url, "Alpha Care", "Welcome lesson 2",
                 "having started it on"):
        assert said in page

    # Both the printable page and the CPD record offer the download.
    assert "/learn/cpd/welcome/certificate.pdf" in client.get("/learn/cpd/welcome/certificate/").content.decode()
    assert "/learn/cpd/welcome/certificate.pdf" in client.get("/learn/cpd/").content.decode()


def test_no_pdf_for_a_module_not_completed_nor_for_someone_else(loaded, alpha):
    leader, other = make_person(alpha, ["leader"]), make_person(alpha, ["leader"])
    with tenant_context(alpha):
        for lesson in Lesson.objects.filter(module__slug="welcome"):
            services.lesson_complete(user=leader, lesson=lesson)
    assert client_for(alpha, leader).get("/learn/cpd/attending/certificate.pdf").status_code == 404
    assert client_for(alpha, other).get("/learn/cpd/welcome/certificate.pdf").status_code == 404
    assert client_for(alpha).get("/learn/cpd/welcome/certificate.pdf").status_code == 302  # sign in first
