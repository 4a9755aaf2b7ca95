"""Action learning set pages: `/sets/` (your sets and invitations), a set's page, its meetings, and the admin's
`/manage/sets/`. Thin: who may see what lives in `selectors` (one 404 for missing and forbidden alike), every write
in `services`. Set pages carry what was said in the room: never stored by a browser or a proxy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.decorators import admin_required
from reflections.about import about_new_entry_url
from reflections.selectors.journal import own_entries_about

from . import briefs, selectors, services
from .about import ABOUT_KIND
from .agreement import AGREEMENT_TEMPLATE
from .clock import in_organisation_time
from .emails import meeting_ics
from .forms import (
    ActionForm,
    AttendanceForm,
    BriefForm,
    FacilitatorForm,
    InviteForm,
    MeetingForm,
    PresenterForm,
    QuestionForm,
    ReportForm,
    RhythmForm,
    SetForm,
)
from .models import LearningSet, Meeting, SetMember
from .questions import OPEN_ALTERNATIVES, sounds_like_advice


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def not_stored(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, " + response["Cache-Control"]
        return response

    return wrapped


def set_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, the organisation's time, never stored."""
    return login_required(not_stored(in_organisation_time(view)))


# --- /sets/


@require_GET
@set_page
def sets_home(request: HttpRequest) -> HttpResponse:
    return render(request, "learningsets/home.html", {
        "sets": list(selectors.sets_of(request.user)),
        "invitations": list(selectors.invitations_for(request.user)),
        "can_start": selectors.can_start_a_set(request.user),
    })


@require_http_methods(["GET", "POST"])
@set_page
def set_new(request: HttpRequest) -> HttpResponse:
    if not selectors.can_start_a_set(request.user):
        raise Http404
    form = SetForm(_posted(request), people=selectors.people_to_invite(),
                   teams=selectors.teams_to_draw_from(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            learning_set = services.set_create(
                by=request.user, name=data["name"], facilitator=data["facilitator"], members=data["members"],
                team=data["team"], rhythm_weeks=data["rhythm"], meeting_minutes=data["meeting_minutes"],
                place=data["place"],
            )
        except services.SetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{learning_set.name} is set up. Everyone has been invited, by email too, and "
                                      "sees the set once they accept its agreement.")
            mine = selectors.invitations_for(request.user).filter(learning_set=learning_set).exists()
            return redirect("learningsets:detail", pk=learning_set.pk) if mine else redirect("learningsets:home")
    return render(request, "learningsets/new.html", {"form": form})


@require_GET
@set_page
def set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        learning_set = selectors.access_set_by_id(request.user, pk)
    except Http404:
        place = selectors.invitation_for(request.user, pk)  # Http404 again for everyone else
        return render(request, "learningsets/invitation.html", {
            "place": place, "set": place.learning_set, "agreement_template": AGREEMENT_TEMPLATE,
        })
    return _set_page(request, learning_set)


def _others_joined(people: list[SetMember], user) -> list[tuple[int, str]]:
    """(user id, name) of the people who have joined the set, but `user`: whom the facilitator can hand over to."""
    return [(p.user_id, p.user.get_full_name()) for p in people if p.accepted_at and p.user_id != user.pk]


def _set_page(request: HttpRequest, learning_set: LearningSet, *, invite_form: InviteForm | None = None,
              rhythm_form: RhythmForm | None = None, handover_form: FacilitatorForm | None = None) -> HttpResponse:
    now = timezone.now()
    people = selectors.set_people(learning_set)
    meetings = list(selectors.meetings_of(learning_set))
    upcoming = [m for m in meetings if m.starts_at > now and not m.is_cancelled]
    past = [m for m in meetings if m.starts_at <= now and not m.is_cancelled]
    rota = selectors.rota(learning_set, now)
    context = {
        "set": learning_set, "people": people, "accepted": [p for p in people if p.accepted_at],
        "invited": [p for p in people if not p.accepted_at], "upcoming": upcoming, "past": list(reversed(past)),
        "cancelled": [m for m in meetings if m.is_cancelled and m.starts_at > now],
        "next": upcoming[0] if upcoming else None, "rota": rota,
        "agreement_template": AGREEMENT_TEMPLATE,
        # Nobody facilitates (their account was closed, or they declined): nobody can book until an admin appoints.
        "needs_facilitator": not any(p.is_facilitator for p in people),
    }
    if learning_set.viewer_is_facilitator:
        context["invite_form"] = invite_form or InviteForm(people=selectors.people_to_invite(learning_set))
        context["rhythm_form"] = rhythm_form or RhythmForm(initial={"rhythm": learning_set.rhythm_weeks or ""})
        context["handover_form"] = handover_form or FacilitatorForm(people=_others_joined(people, request.user))
    bad = invite_form or rhythm_form or handover_form
    return render(request, "learningsets/set.html", context, status=400 if bad else 200)


@require_POST
@set_page
def set_accept(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.invitation_for(request.user, pk)
    services.place_accept(place=place, user=request.user)
    messages.success(request, f"Welcome to {place.learning_set.name}. What is said here stays here.")
    return redirect("learningsets:detail", pk=pk)


@require_POST
@set_page
def set_decline(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.invitation_for(request.user, pk)
    services.place_decline(place=place, user=request.user)
    messages.success(request, f"You said no thanks to {place.learning_set.name}. Nobody is told why.")
    return redirect("learningsets:home")


LEFT_MESSAGE = "From now on you won't see anything in it. Meetings you attended stay on your CPD record."


def _leave_page(request: HttpRequest, learning_set: LearningSet, *, handover_form: FacilitatorForm | None = None,
                status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {"set": learning_set}
    if learning_set.viewer_is_facilitator:
        # The facilitator hands over first: the message and the form are right here, and one button does both.
        context["cannot_leave"] = services.FACILITATOR_CANNOT_LEAVE
        context["handover_form"] = handover_form or FacilitatorForm(
            people=_others_joined(selectors.set_people(learning_set), request.user), initial={"leave": True},
            label="Hand the role to",
        )
    return render(request, "learningsets/leave.html", context, status=status)


@require_http_methods(["GET", "POST"])
@set_page
def set_leave(request: HttpRequest, pk: int) -> HttpResponse:
    learning_set = selectors.access_set_by_id(request.user, pk)
    if request.method == "POST":
        place = get_object_or_404(SetMember, pk=learning_set.viewer_place_id)
        try:
            services.place_leave(place=place, user=request.user)
        except services.SetError:
            return _leave_page(request, learning_set, status=400)
        messages.success(request, f"You have left {learning_set.name}. {LEFT_MESSAGE}")
        return redirect("learningsets:home")
    return _leave_page(request, learning_set)


def _facilitated(request: HttpRequest, pk: int) -> LearningSet:
    learning_set = selectors.access_set_by_id(request.user, pk)
    if not learning_set.viewer_is_facilitator:
        raise Http404
    return learning_set


@require_POST
@set_page
def member_invite(request: HttpRequest, pk: int) -> HttpResponse:
    learning_set = _facilitated(request, pk)
    form = InviteForm(request.POST, people=selectors.people_to_invite(learning_set))
    if form.is_valid():
        try:
            services.member_invite(learning_set=learning_set, user=form.cleaned_data["person"], by=request.user)
        except services.SetError as error:
            form.add_error("person", str(error))
        else:
            messages.success(request, f"{form.cleaned_data['person']} is invited. They see the set once they "
                                      "accept its agreement.")
            return redirect("learningsets:detail", pk=pk)
    return _set_page(request, learning_set, invite_form=form)


@require_POST
@set_page
def facilitator_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator hands the role to another member who has joined (from the set page), or hands over and
    leaves (from the leave page). Anyone not in the set, or not joined, as the choice: 404."""
    learning_set = _facilitated(request, pk)
    people = selectors.set_people(learning_set)
    form = FacilitatorForm(request.POST, people=_others_joined(people, request.user))
    if form.is_valid():
        to = get_object_or_404(selectors.accepted_places().select_related("user"), learning_set=learning_set,
                               user_id=form.cleaned_data["person"])
        leave = form.cleaned_data["leave"]
        try:
            services.facilitator_hand_over(learning_set=learning_set, by=request.user, to=to.user, then_leave=leave)
        except services.SetError as error:
            form.add_error("person", str(error))
        else:
            name = to.user.get_full_name()
            if leave or not learning_set.viewer_is_member:
                messages.success(request, f"{name} facilitates {learning_set.name} now, and you have left it. "
                                          f"{LEFT_MESSAGE}")
                return redirect("learningsets:home")
            messages.success(request, f"{name} facilitates the set now. You're still in it as a member.")
            return redirect("learningsets:detail", pk=pk)
    if request.POST.get("handover-leave"):
        return _leave_page(request, learning_set, handover_form=form, status=400)
    return _set_page(request, learning_set, handover_form=form)


@require_http_methods(["GET", "POST"])
@set_page
def member_remove(request: HttpRequest, pk: int, place: int) -> HttpResponse:
    """Two steps: the page says what removing means (they lose the whole set at once), then the button does it."""
    learning_set = _facilitated(request, pk)
    target = get_object_or_404(selectors.open_places().select_related("user"), pk=place, learning_set=learning_set)
    if target.user_id == request.user.pk:
        raise Http404
    if request.method == "GET":
        return render(request, "learningsets/remove.html", {"set": learning_set, "place": target})
    try:
        services.place_remove(place=target, by=request.user)
    except services.SetError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{target.user} is no longer in the set and sees nothing of it from now on.")
    return redirect("learningsets:detail", pk=pk)


@require_POST
@set_page
def rhythm(request: HttpRequest, pk: int) -> HttpResponse:
    learning_set = _facilitated(request, pk)
    form = RhythmForm(request.POST)
    if form.is_valid():
        services.rhythm_set(learning_set=learning_set, by=request.user, rhythm_weeks=form.cleaned_data["rhythm"])
        messages.success(request, "Saved. With a rhythm, the next meeting is booked after each one."
                         if form.cleaned_data["rhythm"] else "Saved. Book each meeting by date.")
        return redirect("learningsets:detail", pk=pk)
    return _set_page(request, learning_set, rhythm_form=form)


# --- Meetings


def _presenters(learning_set: LearningSet):
    from people.selectors import active_members

    return active_members().filter(
        pk__in=selectors.accepted_places().filter(learning_set=learning_set, is_member=True).values("user_id")
    ).order_by("full_name", "id")


@require_http_methods(["GET", "POST"])
@set_page
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    learning_set = _facilitated(request, pk)
    form = MeetingForm(_posted(request), presenters=_presenters(learning_set),
                       initial={"minutes": learning_set.meeting_minutes, "place": learning_set.place})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_book(
                learning_set=learning_set, by=request.user, starts_at=form.starts_at(),
                minutes=form.cleaned_data["minutes"], place=form.cleaned_data["place"],
                presenter=form.cleaned_data["presenter"],
            )
        except services.SetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Booked. Everyone in the set gets an invitation for their calendar.")
            return redirect("learningsets:meeting", pk=pk, meeting=meeting.pk)
    return render(request, "learningsets/meeting_form.html", {
        "set": learning_set, "form": form, "suggested": selectors.rota_suggestion(learning_set),
    })


def _meeting(request: HttpRequest, pk: int, meeting: int) -> Meeting:
    return selectors.access_meeting_by_id(request.user, pk, meeting)


def _window(meeting: Meeting, now: datetime) -> dict[str, bool]:
    ends = meeting.starts_at + timedelta(minutes=meeting.minutes)
    live = not meeting.is_cancelled
    return {
        "is_upcoming": live and meeting.starts_at > now,
        "has_started": live and meeting.starts_at <= now,
        "is_over": live and ends < now,
        "in_meeting": live and meeting.starts_at - services.OPENS_BEFORE <= now <= ends + services.STAYS_OPEN_AFTER,
    }


def _meeting_page(request: HttpRequest, meeting: Meeting, *, status: int = 200, **forms: Any) -> HttpResponse:
    now = timezone.now()
    user = request.user
    learning_set = meeting.learning_set
    window = _window(meeting, now)
    previous = selectors.previous_meeting(meeting)
    is_presenter = meeting.presenter_id == user.pk
    is_facilitator = bool(meeting.viewer_is_facilitator)
    context: dict[str, Any] = {
        "set": learning_set, "meeting": meeting, "previous": previous, **window,
        "is_presenter": is_presenter, "is_facilitator": is_facilitator,
        "questions": list(selectors.questions_of(meeting)),
        "brief_parts": briefs.parts_for_display(meeting),
        "open_alternatives": OPEN_ALTERNATIVES,
        "reflect_url": about_new_entry_url(ABOUT_KIND, meeting.pk) if window["has_started"] else "",
        "reflections": list(own_entries_about(user, kind=ABOUT_KIND, pk=meeting.pk)) if window["has_started"] else [],
    }
    if (previous is not None and previous.presenter_id == user.pk and previous.action_recorded_at
            and not meeting.is_cancelled):
        context["report_form"] = forms.get("report_form") or ReportForm(initial={"report": previous.report})
    if window["in_meeting"] and meeting.presenter_id and not is_presenter:
        context["question_form"] = forms.get("question_form") or QuestionForm()
        context["advice_hint"] = forms.get("advice_hint", False)
    if is_presenter and window["in_meeting"]:
        context["action_form"] = forms.get("action_form") or ActionForm(initial={"action": meeting.action})
    if window["is_upcoming"] and not meeting.brief_posted_at and (is_presenter or is_facilitator):
        context["presenter_form"] = forms.get("presenter_form") or PresenterForm(
            presenters=_presenters(learning_set).exclude(pk=meeting.presenter_id)
        )
        if meeting.presenter_id is None:
            context["suggested"] = selectors.rota_suggestion(learning_set, now)
    if is_facilitator and window["has_started"]:
        people = selectors.accepted_places().filter(learning_set=learning_set).select_related("user").order_by(
            "user__full_name", "id"
        )
        recorded = selectors.attendance_of(meeting)
        choices = [(p.user_id, p.user.get_full_name()) for p in people]
        context["attendance_form"] = forms.get("attendance_form") or AttendanceForm(
            people=choices,
            initial={"present": [uid for uid, _ in choices if recorded.get(uid, not meeting.attendance_recorded_at)]},
        )
    return render(request, "learningsets/meeting.html", context, status=status)


@require_GET
@set_page
def meeting_detail(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    return _meeting_page(request, _meeting(request, pk, meeting))


@require_http_methods(["GET", "POST"])
@set_page
def meeting_edit(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    found = _meeting(request, pk, meeting)
    if not found.viewer_is_facilitator or found.is_cancelled or found.starts_at <= timezone.now():
        raise Http404
    local = timezone.localtime(found.starts_at)
    form = MeetingForm(_posted(request), initial={
        "day": local.date(), "time": local.time().replace(second=0, microsecond=0), "minutes": found.minutes,
        "place": found.place,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_change(meeting=found, by=request.user, starts_at=form.starts_at(),
                                    minutes=form.cleaned_data["minutes"], place=form.cleaned_data["place"])
        except services.SetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved. Everyone's calendar is updated.")
            return redirect("learningsets:meeting", pk=pk, meeting=found.pk)
    return render(request, "learningsets/meeting_form.html", {"set": found.learning_set, "form": form,
                                                              "meeting": found})


@require_POST
@set_page
def meeting_cancel(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    found = _meeting(request, pk, meeting)
    if not found.viewer_is_facilitator:
        raise Http404
    try:
        services.meeting_cancel(meeting=found, by=request.user)
    except services.SetError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Cancelled. Everyone's calendar is updated.")
    return redirect("learningsets:detail", pk=pk)


@require_GET
@login_required
@not_stored
def meeting_calendar(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    found = _meeting(request, pk, meeting)
    response = HttpResponse(meeting_ics(found, cancel=found.is_cancelled), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="action-learning-set.ics"'
    return response


@require_POST
@set_page
def meeting_presenter(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    found = _meeting(request, pk, meeting)
    form = PresenterForm(request.POST, presenters=_presenters(found.learning_set).exclude(pk=found.presenter_id))
    if form.is_valid():
        try:
            services.presenter_change(meeting=found, by=request.user, presenter=form.cleaned_data["presenter"])
        except services.SetError as error:
            form.add_error("presenter", str(error))
        else:
            messages.success(request, f"{form.cleaned_data['presenter']} presents at this meeting now.")
            return redirect("learningsets:meeting", pk=pk, meeting=found.pk)
    return _meeting_page(request, found, status=400, presenter_form=form)


@require_http_methods(["GET", "POST"])
@set_page
def meeting_brief(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    found = _meeting(request, pk, meeting)
    if found.presenter_id != request.user.pk or found.is_cancelled:
        raise Http404
    shape = briefs.shape_named(request.POST.get("shape") if request.method == "POST" else request.GET.get("shape"),
                               default=found.brief_template)
    form = BriefForm(_posted(request), parts=shape.parts if shape else None,
                     initial={"brief": found.brief,
                              **{f"part_{k}": v for k, v in (found.brief_parts or {}).items()}})
    if request.method == "POST" and form.is_valid():
        try:
            posted = services.brief_post(meeting=found, by=request.user, text=form.cleaned_data["brief"],
                                         template=shape.key if shape else "", parts=form.parts())
        except services.SetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your brief is posted. Only the set can read it."
                             if posted.brief_posted_at else "Your brief is taken down.")
            return redirect("learningsets:meeting", pk=pk, meeting=found.pk)
    return render(request, "learningsets/brief.html", {
        "set": found.learning_set, "meeting": found, "form": form, "shape": shape, "shapes": briefs.shapes(),
    })


@require_POST
@set_page
def question_add(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    found = _meeting(request, pk, meeting)
    form = QuestionForm(request.POST)
    if form.is_valid():
        text = form.cleaned_data["question"]
        if sounds_like_advice(text) and not form.cleaned_data["ask_anyway"]:
            # A gentle hint, not a refusal: the same question can be sent again as it is.
            hinted = QuestionForm(initial={"question": text, "ask_anyway": True})
            return _meeting_page(request, found, status=200, question_form=hinted, advice_hint=True)
        try:
            services.question_add(meeting=found, by=request.user, text=text)
        except services.SetError as error:
            form.add_error("question", str(error))
        else:
            messages.success(request, "Your question is on the list.")
            return redirect(reverse("learningsets:meeting", args=[pk, found.pk]) + "#questions")
    return _meeting_page(request, found, status=400, question_form=form)


@require_POST
@set_page
def action_record(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    found = _meeting(request, pk, meeting)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.action_record(meeting=found, by=request.user, text=form.cleaned_data["action"])
        except services.SetError as error:
            form.add_error("action", str(error))
        else:
            messages.success(request, "Your action is recorded. Next time, you'll start by saying how it went.")
            return redirect(reverse("learningsets:meeting", args=[pk, found.pk]) + "#action")
    return _meeting_page(request, found, status=400, action_form=form)


@require_POST
@set_page
def report_record(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    """`meeting` is the one whose action is reported on; the form lives on the next meeting's page."""
    found = _meeting(request, pk, meeting)
    after = (
        selectors.live_meetings(found.learning_set).filter(starts_at__gt=found.starts_at).order_by("starts_at")
        .first()
    )
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_record(meeting=found, by=request.user, text=form.cleaned_data["report"])
        except services.SetError as error:
            form.add_error("report", str(error))
        else:
            messages.success(request, "Thank you. The set can read how it went.")
            return redirect(reverse("learningsets:meeting", args=[pk, (after or found).pk]) + "#report-back")
    if after is not None:
        return _meeting_page(request, _meeting(request, pk, after.pk), status=400, report_form=form)
    messages.error(request, form.errors.get("report", ["Write how it went."])[0])
    return redirect("learningsets:meeting", pk=pk, meeting=found.pk)


@require_POST
@set_page
def attendance_record(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    found = _meeting(request, pk, meeting)
    if not found.viewer_is_facilitator:
        raise Http404
    people = selectors.accepted_places().filter(learning_set=found.learning_set).select_related("user")
    form = AttendanceForm(request.POST, people=[(p.user_id, p.user.get_full_name()) for p in people])
    if form.is_valid():
        try:
            services.attendance_record(meeting=found, by=request.user, present=form.cleaned_data["present"])
        except services.SetError as error:
            form.add_error("present", str(error))
        else:
            messages.success(request, "Attendance saved. It counts towards each person's CPD record.")
            return redirect(reverse("learningsets:meeting", args=[pk, found.pk]) + "#attendance")
    return _meeting_page(request, found, status=400, attendance_form=form)


# --- /manage/sets/: sets, members, dates and attendance counts; never a brief, a question or an action


@admin_required
@require_GET
@not_stored
@in_organisation_time
def manage_sets(request: HttpRequest) -> HttpResponse:
    return render(request, "learningsets/manage/list.html", {"sets": list(selectors.sets_for_admin())})


@admin_required
@require_GET
@not_stored
@in_organisation_time
def manage_set(request: HttpRequest, pk: int) -> HttpResponse:
    return _manage_set_page(request, pk)


def _manage_set_page(request: HttpRequest, pk: int, *, appoint_form: FacilitatorForm | None = None) -> HttpResponse:
    learning_set, people, meetings = selectors.set_outline_for_admin(pk)
    current = [p for p in people if p.ended_at is None]
    joined = [p for p in current if p.accepted_at and p.user.is_active]
    facilitator = next((p for p in current if p.is_facilitator and p.user.is_active), None)
    choices = [(p.user_id, p.user.get_full_name()) for p in joined if not p.is_facilitator]
    if appoint_form is not None:
        appoint_form.offer(choices)
    return render(request, "learningsets/manage/set.html", {
        "set": learning_set, "current": current, "past": [p for p in people if p.ended_at is not None],
        "meetings": meetings, "now": timezone.now(), "facilitator": facilitator,
        "appoint_form": appoint_form or FacilitatorForm(people=choices, prefix="appoint", label="Appoint"),
    }, status=400 if appoint_form else 200)


@admin_required
@require_POST
@not_stored
@in_organisation_time
def manage_set_facilitator(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin appoints a facilitator from the set's members who have joined (through the same rule as a
    handover). They see names only, never what is said in the set."""
    learning_set = get_object_or_404(LearningSet, pk=pk)
    form = FacilitatorForm(request.POST, people=[], prefix="appoint")
    if form.is_valid():
        to = get_object_or_404(selectors.accepted_places().select_related("user"), learning_set=learning_set,
                               user_id=form.cleaned_data["person"])
        try:
            services.facilitator_hand_over(learning_set=learning_set, by=request.user, to=to.user)
        except services.SetError as error:
            form.add_error("person", str(error))
        else:
            messages.success(request, f"{to.user.get_full_name()} facilitates {learning_set.name} now.")
            return redirect("learningsets:manage_set", pk=pk)
    return _manage_set_page(request, pk, appoint_form=form)
