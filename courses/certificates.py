"""A module certificate as a PDF: the same words as the printable page, laid out for A4 by WeasyPrint."""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest
from django.template.loader import render_to_string

from people.models import User

from .models import ModuleCompletion

STYLESHEET = Path(__file__).resolve().parent / "pdf" / "certificate.css"


def certificate_filename(completion: ModuleCompletion) -> str:
    return f"heartwood-certificate-{completion.module.slug}.pdf"


def certificate_pdf(*, completion: ModuleCompletion, person: User, organisation_name: str,
                    request: HttpRequest | None = None) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which only this download needs.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "courses/certificate_pdf.html",
        {"completion": completion, "person": person, "organisation_name": organisation_name},
        request=request,
    )
    # Nothing is fetched from anywhere: the stylesheet is read from disk and the page refers to nothing else.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
