"""Your strengths (`/teams/strengths/`): what you bring, in the list's words and your own, and whether your teams
see them. Only ever your own: there is no page to change anyone else's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import selectors
from .strength_forms import StrengthsForm
from .strength_selectors import strengths_of
from .strength_services import StrengthError, strengths_save
from .views import not_stored


@require_http_methods(["GET", "POST"])
@login_required
@not_stored
def my_strengths(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_staff:
        raise Http404
    profile = strengths_of(user)
    initial = {"picks": [], "own_words": "", "shown_to_team": "0"}
    if profile is not None:
        initial = {"picks": profile.picks, "own_words": profile.own_words,
                   "shown_to_team": "1" if profile.shown_to_team else "0"}
    form = StrengthsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = strengths_save(
                user=user, picks=form.cleaned_data["picks"], own_words=form.cleaned_data["own_words"],
                shown_to_team=form.cleaned_data["shown_to_team"],
            )
        except StrengthError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved. Your teams can see your strengths now." if saved.shown_to_team
                             else "Saved. Your strengths are yours: your teams don't see them.")
            return redirect("teams:strengths")
    return render(request, "teams/strengths/edit.html", {
        "form": form, "profile": profile, "teams": list(selectors.teams_of(user)),
    })
