"""Learning pages for everyone in an organisation: home, module, lesson, self-check, CPD record, certificate."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST, require_safe

from people.links import organisation_url

from . import certificates, selectors, services
from .cpd import cpd_record_for, cpd_sources
from .forms import RATINGS, SelfCheckForm
from .models import Lesson, Module

JOURNAL_NEW_URL = "/journal/new/"


def _module_or_404(slug: str) -> Module:
    module = selectors.module_visible_get(slug)
    if module is None:
        raise Http404("No such module")
    return module


def _lesson_or_404(module: Module, slug: str) -> Lesson:
    lesson = selectors.lesson_visible_get(module, slug)
    if lesson is None:
        raise Http404("No such lesson")
    return lesson


@login_required
def home(request: HttpRequest) -> HttpResponse:
    overview = selectors.learning_overview(request.user)
    return render(request, "courses/home.html", {"overview": overview})


@login_required
def module_detail(request: HttpRequest, module_slug: str) -> HttpResponse:
    module = _module_or_404(module_slug)
    rows = selectors.module_lessons_for(request.user, module)
    completion = selectors.module_completion_for(request.user, module)
    next_row = next((row for row in rows if not row.completed), None)
    has_self_check = bool(module.self_check.get("statements"))
    return render(request, "courses/module.html", {
        "module": module, "rows": rows, "completion": completion, "next_row": next_row,
        "done_count": sum(1 for row in rows if row.completed), "has_self_check": has_self_check,
    })


@login_required
def lesson_detail(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    module = _module_or_404(module_slug)
    lesson = _lesson_or_404(module, lesson_slug)
    progress = selectors.lesson_progress_for(request.user, lesson)
    siblings = list(selectors.module_lessons(module).only("id", "slug", "title"))
    index = next(i for i, item in enumerate(siblings) if item.pk == lesson.pk)
    return render(request, "courses/lesson.html", {
        "module": module, "lesson": lesson, "progress": progress,
        "position": index + 1, "lesson_total": len(siblings),
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        "journal_url": f"{JOURNAL_NEW_URL}?lesson={lesson.pk}",
        "has_self_check": bool(module.self_check.get("statements")),
    })


@login_required
@require_POST
def lesson_seen(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    """The lesson page, once open in a browser, says so (static/js/seen.js), for "continue where you left off".
    A GET never writes."""
    lesson = _lesson_or_404(_module_or_404(module_slug), lesson_slug)
    services.lesson_visit_record(user=request.user, lesson=lesson)
    return HttpResponse(status=204)


@login_required
@require_POST
def lesson_done(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    module = _module_or_404(module_slug)
    lesson = _lesson_or_404(module, lesson_slug)
    if request.POST.get("undo"):
        services.lesson_uncomplete(user=request.user, lesson=lesson)
        messages.info(request, f"“{lesson.title}” is no longer marked as done.")
        return redirect("courses:lesson", module_slug=module.slug, lesson_slug=lesson.slug)
    completion = services.lesson_complete(user=request.user, lesson=lesson)
    if completion is not None:
        # Finishing a module is a moment: its own page says what was done and what comes next.
        return redirect("courses:module_completed", module_slug=module.slug)
    messages.success(request, f"“{lesson.title}” is marked as done.")
    following = selectors.module_lessons(module).filter(order__gt=lesson.order).first()
    if following is not None:
        return redirect("courses:lesson", module_slug=module.slug, lesson_slug=following.slug)
    return redirect("courses:module", module_slug=module.slug)


@login_required
@require_GET
def module_completed(request: HttpRequest, module_slug: str) -> HttpResponse:
    """What finishing a module did: lessons and minutes, the behaviour ring, the next module one tap away. Only
    for someone who completed it; anyone else goes to the module's page."""
    module = _module_or_404(module_slug)
    moment = selectors.module_moment_for(request.user, module)
    if moment is None:
        return redirect("courses:module", module_slug=module.slug)
    return render(request, "courses/module_completed.html", {"moment": moment})


@login_required
@require_POST
def practice_tried(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    module = _module_or_404(module_slug)
    lesson = _lesson_or_404(module, lesson_slug)
    services.practice_tried(user=request.user, lesson=lesson)
    messages.success(request, "Well done for trying it. Noticing how it went is where the learning happens.")
    return redirect(reverse("courses:lesson", args=[module.slug, lesson.slug]) + "#practice")


@login_required
def self_check(request: HttpRequest, module_slug: str) -> HttpResponse:
    module = _module_or_404(module_slug)
    if not module.self_check.get("statements"):
        raise Http404("This module has no self-check")
    form = SelfCheckForm(request.POST or None, module=module)
    if request.method == "POST" and form.is_valid():
        services.self_check_record(user=request.user, module=module, answers=form.answers())
        return redirect("courses:self_check_result", module_slug=module.slug)
    previous = selectors.self_check_latest(user=request.user, module=module)
    return render(request, "courses/self_check.html", {"module": module, "form": form, "previous": previous})


@login_required
def self_check_result(request: HttpRequest, module_slug: str) -> HttpResponse:
    module = _module_or_404(module_slug)
    response = selectors.self_check_latest(user=request.user, module=module)
    if response is None:
        return redirect("courses:self_check", module_slug=module.slug)
    statements = module.self_check.get("statements") or []
    labels = dict(RATINGS)
    rows = [
        {"statement": statement, "rating": rating, "label": labels.get(rating, ""), "dots": range(1, 6)}
        for statement, rating in zip(statements, response.answers, strict=False)
    ]
    band = response.band
    return render(request, "courses/self_check_result.html", {
        "module": module, "response": response, "rows": rows, "band": band,
        "suggestions": (module.self_check.get("suggestions") or {}).get(band, []),
        # The overall picture: a marker on a 260-unit track that starts at x=20.
        "average_x": round(20 + (response.average - 1) / 4 * 260, 1),
        "fill_width": round((response.average - 1) / 4 * 260, 1),
    })


@login_required
def cpd_record(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/cpd.html", {
        "record": cpd_record_for(request.user), "sources": cpd_sources(),
    })


@login_required
def cpd_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="heartwood-cpd-record.csv"'
    writer = csv.writer(response)
    writer.writerow(["Activity", "Kind", "Programme", "Date", "CPD minutes", "CPD hours"])
    record = cpd_record_for(request.user)
    for row in record.rows:
        programme = row.completion.module.programme.title if row.completion is not None else ""
        writer.writerow([
            csv_safe(row.title), csv_safe(row.kind_label), csv_safe(programme), row.date.isoformat(), row.minutes,
            f"{row.minutes / 60:.2f}",
        ])
    total = record.total_minutes
    writer.writerow(["Total", "", "", "", total, f"{total / 60:.2f}"])
    return response


@login_required
@require_safe
def cpd_pdf(request: HttpRequest) -> HttpResponse:
    """The whole record as a signed-off sheet: every module and activity with its date and minutes, and the total."""
    record = cpd_record_for(request.user)
    pdf = certificates.cpd_record_pdf(
        record=record, person=request.user, organisation_name=request.tenant.name,
        verify_url=organisation_url(request.tenant, reverse("verify:form")), today=timezone.localdate(),
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="heartwood-cpd-record.pdf"'
    return response


def csv_safe(value: str) -> str:
    # Organisation-written titles must not run as formulas when the record is opened in a spreadsheet.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _certificate_context(request: HttpRequest, module_slug: str) -> dict[str, Any]:
    """What a certificate says, the page and the PDF alike; 404 unless the signed-in person completed the module."""
    completion = selectors.completion_get(request.user, module_slug)
    if completion is None:
        raise Http404("No completion for this module")
    return {
        "completion": completion, "organisation_name": request.tenant.name,
        "lessons": list(selectors.module_lessons(completion.module).values_list("title", flat=True)),
        "verify_url": organisation_url(request.tenant, reverse("verify:check", args=[completion.reference])),
    }


@login_required
def certificate(request: HttpRequest, module_slug: str) -> HttpResponse:
    return render(request, "courses/certificate.html", _certificate_context(request, module_slug))


@login_required
def certificate_pdf(request: HttpRequest, module_slug: str) -> HttpResponse:
    context = _certificate_context(request, module_slug)
    completion = context["completion"]
    pdf = certificates.certificate_pdf(person=request.user, request=request, **context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificates.certificate_filename(completion)}"'
    return response
