"""What organisation admins do with learning: their own modules and lessons, order, hidden and required
modules, and the aggregate report. Anyone else gets 404, as for a page that does not exist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from people.decorators import admin_required

from . import selectors, services
from .forms import LessonForm, ModuleForm
from .markdown import render_markdown


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


@admin_required
def report(request: HttpRequest) -> HttpResponse:
    """Counts and minutes only: never journal content, never self-check answers."""
    return render(request, "courses/manage/report.html", {
        "modules": list(selectors.report_by_module()),
        "people": list(selectors.report_by_person()),
    })
