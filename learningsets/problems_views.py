"""A team's recurring problems: `/teams/<team>/problems/` (the list), a problem's page, adding and changing one.
Thin: who may see and change what lives in `problems_selectors` (one 404 for missing and forbidden alike), every
write in `problems_services`. The team's own words about what goes wrong: never stored by a browser or a proxy."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from reflections.five_whys import five_whys_about, five_whys_steps

from . import problems_selectors as selectors
from . import problems_services as services
from .problems_forms import ProblemForm


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


@login_required
@not_stored
@require_GET
def problems(request: HttpRequest, team: int) -> HttpResponse:
    team_obj = selectors.access_team_problems(request.user, team)
    open_, settled = selectors.problems_of(team_obj)
    return render(request, "learningsets/problems/list.html", {
        "team": team_obj, "open_problems": open_, "settled_problems": settled, "today": timezone.localdate(),
    })


@login_required
@not_stored
@require_GET
def problem_detail(request: HttpRequest, team: int, pk: int) -> HttpResponse:
    problem = selectors.access_problem_by_id(request.user, team, pk)
    return render(request, "learningsets/problems/detail.html", {
        "team": problem.team, "problem": problem, "steps": five_whys_steps(problem), "today": timezone.localdate(),
    })


@login_required
@not_stored
@require_http_methods(["GET", "POST"])
def problem_new(request: HttpRequest, team: int) -> HttpResponse:
    team_obj = selectors.access_team_problems(request.user, team)
    if not team_obj.viewer_may_edit:
        raise Http404
    form = ProblemForm(_posted(request), owners=selectors.owner_choices(team_obj))
    if request.method == "POST" and form.is_valid():
        problem = services.problem_add(
            team=team_obj, by=request.user, title=form.cleaned_data["title"], steps=form.steps(),
            owner=form.cleaned_data["owner"], look_again_on=form.cleaned_data["look_again_on"],
            status=form.cleaned_data["status"],
        )
        messages.success(request, "It's on the team's list now.")
        return redirect("learningsets:problem", team=team_obj.pk, pk=problem.pk)
    return render(request, "learningsets/problems/form.html", {
        "team": team_obj, "form": form, "five_whys": five_whys_about(),
    })


@login_required
@not_stored
@require_http_methods(["GET", "POST"])
def problem_edit(request: HttpRequest, team: int, pk: int) -> HttpResponse:
    problem = selectors.access_problem_by_id(request.user, team, pk, to_edit=True)
    initial = {
        "title": problem.title, "status": problem.status, "owner": problem.owner_id,
        "look_again_on": problem.look_again_on, "version": problem.version,
        **{step.key: text for step, text in five_whys_steps(problem)},
    }
    form = ProblemForm(_posted(request), initial=initial, owners=selectors.owner_choices(problem.team, problem.owner))
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_update(
                problem=problem, by=request.user, version=form.cleaned_data["version"] or 0,
                title=form.cleaned_data["title"], steps=form.steps(), owner=form.cleaned_data["owner"],
                look_again_on=form.cleaned_data["look_again_on"], status=form.cleaned_data["status"],
            )
        except services.ProblemChangedMeanwhile:
            form.add_error(None, "Someone in the team saved a change to this problem while you were writing. Your "
                                 "words are still below: open the problem in a new tab to see theirs, then save again.")
            form.data = form.data.copy()
            form.data["version"] = str(selectors.access_problem_by_id(request.user, team, pk).version)
        else:
            messages.success(request, "Saved. The team sees your changes now.")
            return redirect("learningsets:problem", team=problem.team.pk, pk=problem.pk)
    return render(request, "learningsets/problems/form.html", {
        "team": problem.team, "problem": problem, "form": form, "five_whys": five_whys_about(),
    })
