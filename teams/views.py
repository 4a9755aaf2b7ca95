"""Team pages: a member's own teams (`/teams/`), a team's page (`/teams/<id>/`), and the admin's pages under
`/manage/teams/`. Thin: reads through `selectors` (who may see a team lives there), writes through `services`.
A missing and a forbidden team both answer 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.decorators import admin_required

from . import selectors, services
from .forms import LeadForm, MemberAddForm, TeamForm, service_error
from .models import Membership, Team
from .sections import team_sections


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def not_stored(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A team's page carries what its members said together (the pulse): never kept by a browser or a proxy."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, " + response["Cache-Control"]
        return response

    return wrapped


# --- Members' pages


@require_GET
@login_required
@not_stored
def my_teams(request: HttpRequest) -> HttpResponse:
    teams = list(selectors.teams_of(request.user))
    return render(request, "teams/mine.html", {"teams": teams})


@require_GET
@login_required
@not_stored
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.access_team_by_id(request.user, pk)
    members = list(selectors.current_members(team))
    return render(request, "teams/detail.html", {
        "team": team, "leads": [m for m in members if m.is_lead], "members": [m for m in members if not m.is_lead],
        "member_count": len(members), "sections": team_sections(team, request.user),
    })


# --- /manage/teams/


@admin_required
@require_http_methods(["GET", "POST"])
def manage_teams(request: HttpRequest) -> HttpResponse:
    form = TeamForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                name=form.cleaned_data["name"], description=form.cleaned_data["description"]
            )
        except services.TeamError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"{team} is ready. Now add its people.")
            return redirect("teams:manage_team", pk=team.pk)
    return render(request, "teams/manage/list.html", {
        "form": form, "teams": list(selectors.teams_list_for_admin()),
        "archived": list(selectors.teams_list_for_admin(archived=True)),
    })


def _team(pk: int) -> Team:
    return get_object_or_404(Team, pk=pk)


def _manage_page(
    request: HttpRequest, team: Team, *, form: TeamForm | None = None, add_form: MemberAddForm | None = None
) -> HttpResponse:
    members = list(selectors.current_members(team))
    return render(request, "teams/manage/team.html", {
        "team": team,
        "form": form or TeamForm(initial={"name": team.name, "description": team.description}),
        "add_form": add_form or MemberAddForm(team=team),
        "members": members,
        "past": list(selectors.team_member_history(team, ended_only=True)),
        "today": timezone.localdate(),
    }, status=200)


@admin_required
@require_http_methods(["GET", "POST"])
def manage_team(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(pk)
    form = TeamForm(_posted(request), initial={"name": team.name, "description": team.description})
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_rename(
                team=team, name=form.cleaned_data["name"], description=form.cleaned_data["description"]
            )
        except services.TeamError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Saved. The team is called {team}.")
            return redirect("teams:manage_team", pk=team.pk)
    return _manage_page(request, team, form=form)


@admin_required
@require_POST
def manage_archive(request: HttpRequest, pk: int) -> HttpResponse:
    team = services.team_archive(team=_team(pk))
    messages.success(request, f"{team} is archived. Its members no longer see it; you can bring it back below.")
    return redirect("teams:manage_team", pk=team.pk)


@admin_required
@require_POST
def manage_restore(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(pk)
    try:
        services.team_restore(team=team)
    except services.TeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{team} is back, with the people who were in it.")
    return redirect("teams:manage_team", pk=team.pk)


@admin_required
@require_POST
def manage_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(pk)
    form = MemberAddForm(request.POST, team=team)
    if form.is_valid():
        person, is_lead = form.cleaned_data["person"], form.cleaned_data["is_lead"]
        try:
            services.member_add(team=team, user=person, is_lead=is_lead)
        except services.TeamError as error:
            service_error(form, error)
        else:
            messages.success(request, f"{person} is in {team}{' as a lead' if is_lead else ''}.")
            return redirect("teams:manage_team", pk=team.pk)
    return _manage_page(request, team, add_form=form)


def _membership(team: Team, membership: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user", "team"), pk=membership, team=team)


@admin_required
@require_POST
def manage_lead(request: HttpRequest, pk: int, membership: int) -> HttpResponse:
    team = _team(pk)
    current = _membership(team, membership)
    form = LeadForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether they lead the team or not.")
        return redirect("teams:manage_team", pk=team.pk)
    try:
        services.lead_set(membership=current, is_lead=form.cleaned_data["is_lead"])
    except services.TeamError as error:
        messages.error(request, str(error))
    else:
        person = current.user
        if form.cleaned_data["is_lead"]:
            messages.success(request, f"{person} now leads {team}.")
        else:
            messages.success(request, f"{person} is a member of {team}, no longer a lead.")
    return redirect("teams:manage_team", pk=team.pk)


@admin_required
@require_POST
def manage_member_end(request: HttpRequest, pk: int, membership: int) -> HttpResponse:
    team = _team(pk)
    current = _membership(team, membership)
    try:
        services.member_end(membership=current)
    except services.TeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{current.user} has left {team}. They are listed under past members.")
    return redirect("teams:manage_team", pk=team.pk)
