"""PDFs of the courses app, laid out by WeasyPrint: a module certificate (the same words as its printable page),
the learner's whole CPD record (modules and the activities other apps register, courses/cpd.py) and the admin's
learning report. One renderer, `pdf_render`, for all three."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from people.models import User

from .cpd import CpdRecord
from .models import ModuleCompletion

PDF_DIR = Path(__file__).resolve().parent / "pdf"
STYLESHEET = PDF_DIR / "certificate.css"
REPORT_STYLESHEET = PDF_DIR / "report.css"
RECORD_STYLESHEET = PDF_DIR / "record.css"


def pdf_render(*, template: str, context: dict[str, Any], stylesheet: Path,
               request: HttpRequest | None = None) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which only a download needs.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context, request=request)
    # Nothing is fetched from anywhere: the stylesheet is read from disk and the page refers to nothing else.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[CSS(filename=str(stylesheet))])


def certificate_filename(completion: ModuleCompletion) -> str:
    return f"heartwood-certificate-{completion.module.slug}.pdf"


def certificate_pdf(*, completion: ModuleCompletion, person: User, organisation_name: str, verify_url: str,
                    lessons: list[str], request: HttpRequest | None = None) -> bytes:
    return pdf_render(
        template="courses/certificate_pdf.html",
        context={"completion": completion, "person": person, "organisation_name": organisation_name,
                 "verify_url": verify_url, "lessons": lessons},
        stylesheet=STYLESHEET, request=request,
    )


def cpd_record_pdf(*, record: CpdRecord, person: User, organisation_name: str, verify_url: str, today: date,
                   request: HttpRequest | None = None) -> bytes:
    """The whole CPD record as one certificate: modules and registered activities (courses/cpd.py), date order."""
    return pdf_render(
        template="courses/cpd_record_pdf.html",
        context={"record": record, "person": person, "organisation_name": organisation_name,
                 "verify_url": verify_url, "today": today},
        stylesheet=RECORD_STYLESHEET, request=request,
    )
