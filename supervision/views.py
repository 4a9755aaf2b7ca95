"""Supervision's pages: my supervision (`/supervision/`), a relationship's sessions, a session (check-in, agenda,
record, actions) and its record's versions; the admin's `/manage/supervision/` with its CSV. Thin: reads through
`selectors.sessions` (who may see what lives there), writes through `services.sessions`. Missing and forbidden
both answer 404; every page here sends Cache-Control: no-store and shows times in the organisation's time zone."""

from __future__ import annotations

import csv
import difflib
from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.decorators import admin_required
from reflections.selectors.prompts import organisation_time_zone

from .about import reflect_url
from .calendar import session_ics
from .forms import (
    ActionForm,
    AgendaForm,
    AgreeForm,
    CheckInForm,
    FrequencyForm,
    RecordForm,
    RelationshipForm,
    ReviewForm,
    SessionForm,
)
from .models import Relationship, Session
from .selectors import sessions as selectors
from .services import sessions as services


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, " + response["Cache-Control"]
    return response


def supervision_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in only; times in the organisation's time zone; the response (a 404 too) is never stored."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _no_store(redirect_to_login(request.get_full_path()))
        with timezone.override(ZoneInfo(organisation_time_zone())):
            try:
                response = view(request, *args, **kwargs)
            except (Http404, PermissionDenied):
                response = render(request, "404.html", status=404)
        return _no_store(response)

    return wrapped


def manage_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with timezone.override(ZoneInfo(organisation_time_zone())):
            return _no_store(view(request, *args, **kwargs))

    return admin_required(wrapped)


# --- My supervision


@supervision_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    mine = selectors.my_supervision(request.user)
    return render(request, "supervision/home.html", {"mine": mine, "now": timezone.now()})


def _relationship_page(request: HttpRequest, relationship: Relationship, form: SessionForm) -> HttpResponse:
    role = selectors.role_in(relationship, request.user)
    return render(request, "supervision/relationship.html", {
        "relationship": relationship, "role": role, "form": form, "now": timezone.now(),
        "other": relationship.supervisor if role == "supervisee" else relationship.supervisee,
        "sessions": selectors.relationship_sessions(relationship), "current": relationship.is_current(),
    })


@supervision_page
@require_http_methods(["GET", "POST"])
def relationship(request: HttpRequest, pk: int) -> HttpResponse:
    """A relationship's sessions, and booking the next one."""
    found = selectors.access_relationship_by_id(user=request.user, pk=pk)
    form = SessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_schedule(
                relationship=found, by=request.user, starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"], place=form.cleaned_data["place"],
            )
        except services.SupervisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Booked. You'll both get an invitation for your calendars.")
            return redirect("supervision:session", pk=session.pk)
    return _relationship_page(request, found, form)


# --- A session


def _session_page(request: HttpRequest, session: Session, *, status: int = 200, **forms: Any) -> HttpResponse:
    view = selectors.session_view(session, request.user)
    relationship = session.relationship
    started = session.starts_at <= timezone.now()
    record_form = forms.pop("record_form", None) or RecordForm(
        initial={"text": view.latest.text if view.latest else "", "based_on": session.version}, prefix="record",
    )
    context = {
        "view": view, "session": session, "relationship": relationship, "started": started,
        "is_supervisee": view.role == "supervisee",
        "agenda_form": forms.pop("agenda_form", None) or AgendaForm(prefix="agenda"),
        "checkin_form": forms.pop("checkin_form", None) or (CheckInForm(
            prefix="checkin", initial={"text": view.checkin.text, "shared": view.checkin.shared}
        ) if view.checkin else CheckInForm(prefix="checkin")),
        "record_form": record_form,
        "action_form": forms.pop("action_form", None) or ActionForm(
            prefix="action", supervisee=relationship.supervisee, supervisor=relationship.supervisor,
        ),
        "conflict": forms.pop("conflict", None),
        "agreed_by_me": request.user.pk in view.agreed_by,
        "agreed_by_other": view.other.pk in view.agreed_by,
        "reflect_url": reflect_url(session) if started and not session.is_cancelled else "",
        "current": relationship.is_current(),
    }
    return render(request, "supervision/session.html", context, status=status)


def _session(request: HttpRequest, pk: int) -> Session:
    return selectors.access_session_by_id(user=request.user, pk=pk)


@supervision_page
@require_GET
def session(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, _session(request, pk))


def _back(session: Session, anchor: str = "") -> HttpResponse:
    response = redirect("supervision:session", pk=session.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@supervision_page
@require_POST
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    form = CheckInForm(request.POST, prefix="checkin")
    if form.is_valid():
        try:
            saved = services.checkin_save(
                session=found, by=request.user, text=form.cleaned_data["text"], shared=form.cleaned_data["shared"],
            )
        except services.SupervisionError as error:
            form.add_error(None, str(error))
        else:
            if saved is None:
                messages.success(request, "Your check-in is taken away.")
            elif saved.shared:
                messages.success(request, "Saved. Your supervisor can read it.")
            else:
                messages.success(request, "Saved, for you alone.")
            return _back(found, "checkin")
    return _session_page(request, found, checkin_form=form)


@supervision_page
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    form = AgendaForm(request.POST, prefix="agenda")
    if form.is_valid():
        try:
            services.agenda_add(session=found, by=request.user, text=form.cleaned_data["text"])
        except services.SupervisionError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, "Added to the agenda.")
            return _back(found, "agenda")
    return _session_page(request, found, agenda_form=form)


@supervision_page
@require_POST
def agenda_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    found = _session(request, pk)
    try:
        services.agenda_remove(session=found, by=request.user, item_id=item)
    except services.SupervisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Taken off the agenda.")
    return _back(found, "agenda")


@supervision_page
@require_POST
def record_save(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    form = RecordForm(request.POST, prefix="record")
    if form.is_valid():
        try:
            services.record_save(
                session=found, by=request.user, text=form.cleaned_data["text"], based_on=form.cleaned_data["based_on"],
            )
        except services.RecordChanged as changed:
            # Keep their words in the box, based now on the newer version: saving again is a merge, not a loss.
            latest = changed.latest
            merged = RecordForm(prefix="record", initial={
                "text": form.cleaned_data["text"], "based_on": latest.number if latest else 0,
            })
            found.refresh_from_db()
            return _session_page(request, found, record_form=merged, status=409, conflict={
                "latest": latest, "mine": form.cleaned_data["text"],
                "diff": _diff(form.cleaned_data["text"], latest.text if latest else ""),
            })
        except services.SupervisionError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, "Saved as a new version. You both agree it again when it's right.")
            return _back(found, "record")
    return _session_page(request, found, record_form=form)


@supervision_page
@require_POST
def record_agree(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    form = AgreeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Agree the record from the session's page.")
        return _back(found, "record")
    try:
        both = services.record_agree(session=found, by=request.user, version=form.cleaned_data["version"])
    except services.RecordChanged:
        messages.warning(request, "The record changed since you read it. Read the newer version, then agree it.")
    except services.SupervisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "You both agree the record." if both else
                         "You agree the record. It's agreed once you both do.")
    return _back(found, "record")


@supervision_page
@require_GET
def record_history(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    versions = selectors.record_versions(found)
    shown = []
    for index, version in enumerate(versions):
        before = versions[index - 1].text if index else ""
        shown.append({"version": version, "diff": _diff(version.text, before),
                      "agreed": [a.person for a in version.agreements.all()]})
    return render(request, "supervision/record_history.html", {
        "session": found, "relationship": found.relationship, "versions": list(reversed(shown)),
    })


def _diff(new: str, old: str) -> list[tuple[str, str]]:
    """Line by line: ("same" | "added" | "removed", line)."""
    marks = {" ": "same", "+": "added", "-": "removed"}
    return [
        (marks[line[0]], line[2:])
        for line in difflib.ndiff(old.splitlines(), new.splitlines()) if line[:1] in marks
    ]


@supervision_page
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    relationship = found.relationship
    form = ActionForm(request.POST, prefix="action", supervisee=relationship.supervisee,
                      supervisor=relationship.supervisor)
    if form.is_valid():
        try:
            services.action_add(
                session=found, by=request.user, text=form.cleaned_data["text"], owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
            )
        except services.SupervisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action added.")
            return _back(found, "actions")
    return _session_page(request, found, action_form=form)


@supervision_page
@require_POST
def action_review(request: HttpRequest, pk: int, action: int) -> HttpResponse:
    found = _session(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose done, carry on or let go.")
        return _back(found, "last-time")
    try:
        services.action_review(session=found, by=request.user, action_id=action, status=form.cleaned_data["status"])
    except services.SupervisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, {"done": "Marked done. Well done.", "carried": "Carried on into this session.",
                                   "let_go": "Let go."}[form.cleaned_data["status"]])
    return _back(found, "last-time")


@supervision_page
@require_POST
def action_done(request: HttpRequest, pk: int, action: int) -> HttpResponse:
    found = _session(request, pk)
    try:
        services.action_done(session=found, by=request.user, action_id=action)
    except services.SupervisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Marked done.")
    return _back(found, "actions")


@supervision_page
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    if found.is_cancelled:
        raise Http404
    local = timezone.localtime(found.starts_at)
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial={"on": local.date(), "at": local.time(), "duration_minutes": found.duration_minutes,
                 "place": found.place},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_reschedule(
                session=found, by=request.user, starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"], place=form.cleaned_data["place"],
            )
        except services.SupervisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Changed. You'll both get an update for your calendars.")
            return _back(found)
    return render(request, "supervision/reschedule.html", {"session": found, "form": form,
                                                          "relationship": found.relationship})


@supervision_page
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    try:
        services.session_cancel(session=found, by=request.user)
    except services.SupervisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Cancelled. You'll both get a note that takes it out of your calendars.")
    return _back(found)


@supervision_page
@require_GET
def calendar_file(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    response = HttpResponse(session_ics(found, cancel=found.is_cancelled), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="supervision.ics"'
    return response


# --- /manage/supervision/ (admins): who supervises whom, and evidence without content


def _manage(request: HttpRequest, *, form: RelationshipForm | None = None,
            frequency_form: FrequencyForm | None = None) -> HttpResponse:
    settings_row = selectors.supervision_settings()
    return render(request, "supervision/manage.html", {
        "form": form or RelationshipForm(),
        "frequency_form": frequency_form or FrequencyForm(initial={"frequency_weeks": settings_row.frequency_weeks}),
        "frequency": settings_row.frequency_weeks,
        "rows": selectors.evidence_rows(frequency_weeks=settings_row.frequency_weeks,
                                        tz=timezone.get_current_timezone()),
        "relationships": list(selectors.relationships_list()),
        "ended": list(selectors.relationships_list(include_ended=True)[:50]),
        "unsupervised": selectors.unsupervised_count(),
        "today": timezone.localdate(),
    })


@manage_page
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    form = RelationshipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.relationship_create(
                supervisor=data["supervisor"], supervisee=data["supervisee"], starts_on=data["starts_on"],
                end_current=data["end_current"],
            )
        except services.SupervisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{made.supervisor} supervises {made.supervisee} from "
                                      f"{made.starts_on:%-d %B %Y}.")
            return redirect("supervision:manage")
    return _manage(request, form=form)


@manage_page
@require_POST
def manage_frequency(request: HttpRequest) -> HttpResponse:
    form = FrequencyForm(request.POST)
    if form.is_valid():
        services.settings_update(frequency_weeks=form.cleaned_data["frequency_weeks"])
        messages.success(request, "Saved.")
        return redirect("supervision:manage")
    return _manage(request, frequency_form=form)


@manage_page
@require_POST
def manage_end(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Relationship.objects.select_related("supervisor", "supervisee"), pk=pk)
    try:
        services.relationship_end(relationship=found)
    except services.SupervisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{found.supervisor} no longer supervises {found.supervisee}. The history is kept.")
    return redirect("supervision:manage")


RECORD_WORDS = {"agreed": "agreed by both", "waiting": "written, not yet agreed by both", "none": "not written",
                "": ""}


@manage_page
@require_GET
def manage_csv(request: HttpRequest) -> HttpResponse:
    frequency = selectors.supervision_settings().frequency_weeks
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="supervision-dates.csv"'
    writer = csv.writer(response)
    writer.writerow(["person", "supervisor", "supervised since", "last conversation", "next conversation",
                     "last record", "weeks since the last conversation", f"aim: every {frequency} weeks"])
    for row in selectors.evidence_rows(frequency_weeks=frequency, tz=timezone.get_current_timezone()):
        writer.writerow([
            _safe(str(row.supervisee)), _safe(str(row.supervisor)), row.since.isoformat(),
            row.last_on.isoformat() if row.last_on else "", row.next_on.isoformat() if row.next_on else "",
            RECORD_WORDS[row.last_record], "" if row.weeks_since is None else row.weeks_since,
            "longer than that" if row.longer_than_chosen else "",
        ])
    return response


def _safe(value: str) -> str:
    """A spreadsheet runs a cell that starts with = + - @ as a formula: start it with a quote instead."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
