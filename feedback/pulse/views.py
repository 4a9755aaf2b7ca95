"""The pulse's pages: answering (`/feedback/pulse/<round id>/`), a team's results (`/feedback/pulse/team/<id>/`)
with the lead's and admin's actions, the rhythm, and the admins' participation page (`/manage/feedback/`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST, require_safe

from courses.selectors import module_visible_get
from feedback import engine
from feedback.models import PULSE_MIN_K, THREE_SIXTY_MIN_K, FeedbackSettings
from people.decorators import admin_required

from . import selectors, services
from .forms import FeedbackSettingsForm, PulseAnswerForm, PulseOpenForm, PulseRhythmForm
from .statements import INTRO, SCALE_LABELS

PSYCHOLOGICAL_SAFETY_MODULE = "psychological-safety"


def _private(response: HttpResponse) -> HttpResponse:
    # What a team said is never kept by a browser or a proxy.
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, " + response["Cache-Control"]
    return response


# --- Answering


@login_required
def answer(request: HttpRequest, round_id: int) -> HttpResponse:
    respondent = selectors.access_respondent_by_round_id(request.user, round_id)
    round_ = respondent.round
    team = round_.pulse.team
    if respondent.answered:
        return _private(render(request, "feedback/pulse/answered.html", {"team": team, "round": round_}))
    if round_.closed_at is not None or round_.closes_at <= timezone.now():
        return _private(render(request, "feedback/pulse/closed.html", {"team": team, "round": round_}))
    form = PulseAnswerForm(request.POST if request.method == "POST" else None, round_=round_)
    mentions: list[str] = []
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        mentions = [] if form.cleaned_data["send_anyway"] else engine.comment_mentions(comment)
        if not mentions:
            try:
                services.pulse_answer(respondent=respondent, scores=form.scores(), comment=comment)
            except engine.AlreadyAnswered:
                return _private(render(request, "feedback/pulse/answered.html", {"team": team, "round": round_}))
            except engine.FeedbackError:
                return _private(render(request, "feedback/pulse/closed.html", {"team": team, "round": round_}))
            messages.success(request, "Thank you. Your answer is in, with no name on it.")
            return redirect("feedback:pulse_answer", round_id)
    context = {
        "team": team, "round": round_, "form": form, "mentions": mentions, "intro": INTRO,
        "scale_labels": SCALE_LABELS, "k": round_.k,
    }
    return _private(render(request, "feedback/pulse/answer.html", context))


# --- A team's results, and what its leads and admins can do there


def _results_context(request: HttpRequest, team, *, open_form: PulseOpenForm | None = None) -> dict[str, object]:
    overview = selectors.team_pulse(team)
    return {
        "team": team,
        "pulse": overview,
        "viewer_waiting": bool(overview.open_round)
        and selectors.is_waiting_for(request.user, overview.open_round.round_id),
        "chart": selectors.trend_chart(overview.trend),
        "may_run": selectors.may_run_pulse(request.user, team),
        "open_form": open_form or PulseOpenForm(),
        "module": module_visible_get(PSYCHOLOGICAL_SAFETY_MODULE),
        "pulse_k": selectors.pulse_k(),
        "scale_labels": SCALE_LABELS,
        "nav_section": "teams",
    }


@login_required
@require_safe
def team_results(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.access_team_by_id(request.user, team_id)
    return _private(render(request, "feedback/pulse/team.html", _results_context(request, team)))


def _team_to_run(request: HttpRequest, team_id: int):
    team = selectors.access_team_by_id(request.user, team_id)
    if not selectors.may_run_pulse(request.user, team):
        raise Http404
    return team


@login_required
@require_POST
def team_open(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team_to_run(request, team_id)
    form = PulseOpenForm(request.POST)
    if form.is_valid():
        try:
            pulse = services.pulse_open(team=team, by=request.user, days_open=form.cleaned_data["days_open"])
        except services.PulseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"The pulse is open until {timezone.localtime(pulse.round.closes_at):%A %-d %B}. "
                "Everyone in the team is asked in Heartwood, and by email if they have an address.",
            )
            return redirect("feedback:pulse_team", team.pk)
    context = _results_context(request, team, open_form=form)
    return _private(render(request, "feedback/pulse/team.html", context, status=200))


@login_required
@require_POST
def team_close(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team_to_run(request, team_id)
    pulse = team.pulse_rounds.filter(round__closed_at__isnull=True).select_related("round", "team").first()
    if pulse is None:
        messages.info(request, "There is no pulse open to close.")
        return redirect("feedback:pulse_team", team.pk)
    services.pulse_close(pulse=pulse, by=request.user)
    pulse.round.refresh_from_db()
    if engine.results_visible(pulse.round):
        messages.success(request, "The pulse has closed. Its results are below.")
    else:
        messages.info(request, "The pulse has closed. Not enough people answered to keep everyone anonymous, "
                               "so it shows nothing.")
    return redirect("feedback:pulse_team", team.pk)


@login_required
def team_rhythm(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team_to_run(request, team_id)
    schedule = team.pulse_schedule if hasattr(team, "pulse_schedule") else None
    initial = {"rhythm": schedule.rhythm, "days_open": schedule.days_open,
               "next_opens_on": schedule.next_opens_on} if schedule else {}
    form = PulseRhythmForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.pulse_schedule_set(
                team=team, by=request.user, rhythm=form.cleaned_data["rhythm"] or "",
                days_open=form.cleaned_data["days_open"], next_opens_on=form.cleaned_data["next_opens_on"],
            )
        except services.PulseError as error:
            form.add_error(None, str(error))
        else:
            if saved.rhythm:
                messages.success(request, f"The pulse opens {saved.get_rhythm_display().lower()}, next on "
                                          f"{saved.next_opens_on:%A %-d %B}.")
            else:
                messages.success(request, "The pulse opens only when a lead or an admin opens it.")
            return redirect("feedback:pulse_team", team.pk)
    return render(request, "feedback/pulse/rhythm.html", {"team": team, "form": form, "nav_section": "teams"})


# --- Admins


@admin_required
def manage(request: HttpRequest) -> HttpResponse:
    current = FeedbackSettings.objects.filter(singleton=1).first()  # read only: a GET never writes
    initial = {"pulse_k": current.pulse_k if current else PULSE_MIN_K,
               "three_sixty_k": current.three_sixty_k if current else THREE_SIXTY_MIN_K}
    form = FeedbackSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            engine.feedback_settings_update(
                pulse_k=form.cleaned_data["pulse_k"], three_sixty_k=form.cleaned_data["three_sixty_k"]
            )
        except engine.FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved. Rounds opened from now on need these numbers of answers.")
            return redirect("feedback_manage:index")
    context = {"teams": selectors.participation_for_admin(), "form": form, "pulse_k": initial["pulse_k"]}
    return render(request, "feedback/pulse/manage.html", context)
