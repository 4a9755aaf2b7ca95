"""What organisation admins do with learning: their own modules and lessons, order, hidden and required
modules, and the aggregate report. Anyone else gets 404, as for a page that does not exist."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from people.decorators import admin_required

from . import selectors, services
from .certificates import REPORT_STYLESHEET, pdf_render
from .forms import LessonForm, ModuleForm, ReportFilterForm
from .markdown import render_markdown
from .views import csv_safe


@admin_required
def manage_home(request: HttpRequest) -> HttpResponse:
    modules = list(selectors.manage_modules())
    return render(request, "courses/manage/home.html", {"modules": modules})


@admin_required
@require_POST
def module_move(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.access_module_by_id(pk)
    services.module_move(module=module, direction=-1 if request.POST.get("direction") == "up" else 1)
    messages.success(request, f"“{module.title}” moved {'up' if request.POST.get('direction') == 'up' else 'down'}.")
    return redirect("courses:manage")


@admin_required
@require_POST
def module_settings(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.access_module_by_id(pk)
    changes: dict[str, bool] = {}
    if "hidden" in request.POST:
        changes["is_hidden"] = request.POST["hidden"] == "1"
    if "required" in request.POST:
        changes["is_required"] = request.POST["required"] == "1"
    services.module_settings_update(module=module, **changes)
    state = []
    if "is_hidden" in changes:
        state.append("hidden from learners" if module.is_hidden else "shown to learners")
    if "is_required" in changes:
        state.append("required" if module.is_required else "optional")
    messages.success(request, f"“{module.title}” is now {' and '.join(state)}.")
    return redirect("courses:manage")


def _preview(request: HttpRequest, form: Any, field: str) -> Any:
    """The server-rendered preview shown when the admin presses Preview (sanitised like the real page)."""
    if "preview" in request.POST and form.is_valid():
        return render_markdown(form.cleaned_data.get(field) or "")
    return None


@admin_required
def module_new(request: HttpRequest) -> HttpResponse:
    form = ModuleForm(request.POST or None)
    preview = _preview(request, form, "summary")
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        module = services.module_create(**form.cleaned_data)
        messages.success(request, f"“{module.title}” is created. Now add its first lesson.")
        return redirect("courses:manage_lesson_new", pk=module.pk)
    return render(request, "courses/manage/module_form.html", {"form": form, "preview": preview, "module": None})


@admin_required
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.access_module_by_id(pk, organisation_only=True)
    initial = {"title": module.title, "summary": module.summary, "behaviour": module.behaviour}
    form = ModuleForm(request.POST or None, initial=initial)
    preview = _preview(request, form, "summary")
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        services.module_update(module=module, **form.cleaned_data)
        messages.success(request, f"“{module.title}” is saved.")
        return redirect("courses:manage")
    lessons = selectors.module_lessons(module)
    return render(request, "courses/manage/module_form.html", {
        "form": form, "preview": preview, "module": module, "lessons": lessons,
    })


@admin_required
def lesson_new(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.access_module_by_id(pk, organisation_only=True)
    form = LessonForm(request.POST or None)
    preview = _preview(request, form, "body")
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        lesson = services.lesson_create(module=module, **form.cleaned_data)
        messages.success(request, f"“{lesson.title}” is added to “{module.title}”.")
        return redirect("courses:manage_module_edit", pk=module.pk)
    return render(request, "courses/manage/lesson_form.html", {
        "form": form, "preview": preview, "module": module, "lesson": None,
    })


@admin_required
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.access_organisation_lesson_by_id(pk)
    initial = {
        "title": lesson.title, "body": lesson.body, "practice": lesson.practice,
        "reflection_question": lesson.reflection_question, "minutes": lesson.minutes,
    }
    form = LessonForm(request.POST or None, initial=initial)
    preview = _preview(request, form, "body")
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        services.lesson_update(lesson=lesson, **form.cleaned_data)
        messages.success(request, f"“{lesson.title}” is saved.")
        return redirect("courses:manage_module_edit", pk=lesson.module_id)
    return render(request, "courses/manage/lesson_form.html", {
        "form": form, "preview": preview, "module": lesson.module, "lesson": lesson,
    })


@admin_required
@require_POST
def lesson_move(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.access_organisation_lesson_by_id(pk)
    services.lesson_move(lesson=lesson, direction=-1 if request.POST.get("direction") == "up" else 1)
    return redirect("courses:manage_module_edit", pk=lesson.module_id)


def _report(request: HttpRequest) -> dict[str, Any]:
    """Dates, counts and minutes only: never journal content, never self-check answers. The page, its CSV and its
    PDF all read this, so they say the same."""
    form = ReportFilterForm(request.GET)
    choice = form.cleaned_data if form.is_valid() else {}
    modules = list(selectors.report_by_module())
    people = selectors.report_people(role=choice.get("role", ""))
    return {
        "form": form, "modules": modules, "today": timezone.localdate(),
        "has_required": any(m.is_required and not m.is_hidden for m in modules),
        "people": selectors.report_by_person(people, modules, sort=choice.get("sort") or "name"),
        "filtered": bool(choice.get("role")), "query": request.GET.urlencode(),
        "role_label": dict(form.fields["role"].choices).get(choice.get("role"), ""),
    }


@admin_required
def report(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/manage/report.html", _report(request))


def _dated(items: list[selectors.ModuleOnDate]) -> str:
    return "; ".join(f"{csv_safe(item.title)} ({item.on.isoformat()})" for item in items)


@admin_required
@require_safe
def report_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="heartwood-learning-report.csv"'
    writer = csv.writer(response)
    writer.writerow([
        "Person", "Last active day", "Modules started, with dates", "Modules completed, with dates",
        "Required modules not yet done, since", "CPD minutes",
    ])
    for row in _report(request)["people"]:
        writer.writerow([
            csv_safe(row.name), row.last_active.isoformat() if row.last_active else "",
            _dated(row.started), _dated(row.completed), _dated(row.required_waiting), row.cpd_minutes,
        ])
    return response


@admin_required
@require_safe
def report_pdf(request: HttpRequest) -> HttpResponse:
    context = _report(request) | {"organisation_name": request.tenant.name}
    pdf = pdf_render(template="courses/manage/report_pdf.html", context=context, stylesheet=REPORT_STYLESHEET,
                     request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="heartwood-learning-report.pdf"'
    return response
