"""Growth's pages: `/growing/` (stretch opportunities offered to you and by you, how you feel about leading), your
growth profile, a supervisee's profile for their supervisor, offering a stretch, and the admins' counts at
`/manage/supervision/growing/`. Thin: reads through `selectors.growth` (who may see what lives there), writes
through `services.growth`. Missing and forbidden both answer 404; nothing here is stored by a browser."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.decorators import admin_required
from reflections.about import about_new_entry_url

from .growth_about import KIND as ABOUT_KIND
from .growth_forms import AnswerForm, FeelingForm, GrowthProfileForm, OfferForm, SuggestionForm
from .models import StretchOpportunity
from .selectors import growth as selectors
from .services import growth as services


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, " + response["Cache-Control"]
    return response


def growth_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in members only; the response (a 404 too) is never stored by a browser or proxy."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _no_store(redirect_to_login(request.get_full_path()))
        if request.user.is_staff:
            raise Http404
        return _no_store(view(request, *args, **kwargs))

    return wrapped


def _accepting(request: HttpRequest) -> bool | None:
    form = AnswerForm(request.POST)
    return form.cleaned_data["answer"] == "accept" if form.is_valid() else None


# --- /growing/


def _home_page(request: HttpRequest, feeling_form: FeelingForm | None = None) -> HttpResponse:
    user = request.user
    visible = list(selectors.opportunities_visible_to(user)[:100])
    profile = selectors.growth_profile_of(user)
    return render(request, "supervision/growth/home.html", {
        "mine": [o for o in visible if o.person_id == user.pk],
        "others": [o for o in visible if o.person_id != user.pk],
        "may_offer": selectors.people_to_offer_to(user).exists(),
        "feeling_form": feeling_form or FeelingForm(initial={
            "feeling": profile.feeling, "shown_to_supervisor": profile.feeling_shown_to_supervisor,
        }),
        "profile": profile, "supervisors": list(selectors.supervisors_of(user)),
        "supervisees": list(selectors.supervisees_of(user)),
    })


@require_GET
@growth_page
def home(request: HttpRequest) -> HttpResponse:
    return _home_page(request)


@require_POST
@growth_page
def feeling(request: HttpRequest) -> HttpResponse:
    form = FeelingForm(request.POST)
    if form.is_valid():
        try:
            profile = services.leading_feeling_set(
                person=request.user, feeling=form.cleaned_data["feeling"],
                shown_to_supervisor=form.cleaned_data["shown_to_supervisor"],
            )
        except services.GrowthError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved." + (" Your supervisor can see it." if
                                                   profile.feeling_shown_to_supervisor else " It's yours alone."))
            return redirect("supervision:growth:home")
    return _home_page(request, form)


# --- Your growth profile


@require_GET
@growth_page
def profile(request: HttpRequest) -> HttpResponse:
    view = selectors.profile_view(request.user, viewer=request.user)
    return render(request, "supervision/growth/profile.html", {"view": view, "own": True})


@require_http_methods(["GET", "POST"])
@growth_page
def profile_edit(request: HttpRequest) -> HttpResponse:
    current = selectors.growth_profile_of(request.user)
    form = GrowthProfileForm(request.POST if request.method == "POST" else None,
                             initial={"hopes": current.hopes, "growth_edges": current.growth_edges})
    if request.method == "POST" and form.is_valid():
        try:
            services.growth_profile_save(person=request.user, hopes=form.cleaned_data["hopes"],
                                         growth_edges=form.cleaned_data["growth_edges"])
        except services.GrowthError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved your growth profile.")
            return redirect("supervision:growth:profile")
    return render(request, "supervision/growth/profile_edit.html", {"form": form})


@require_POST
@growth_page
def suggestion_answer(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.access_suggestion_for_person(person=request.user, pk=pk)
    accept = _accepting(request)
    if accept is None:
        messages.error(request, "Choose whether to add the suggestion or decline it.")
        return redirect("supervision:growth:profile")
    try:
        services.suggestion_answer(suggestion=suggestion, person=request.user, accept=accept)
    except services.GrowthError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Added “{suggestion.what}” to your profile." if accept
                         else "Declined. It stays listed below, for you to see.")
    return redirect("supervision:growth:profile")


# --- A supervisee's profile, for their supervisor


def _person_page(request: HttpRequest, person: Any, form: SuggestionForm | None = None,
                 status: int = 200) -> HttpResponse:
    view = selectors.profile_view(person, viewer=request.user)
    return render(request, "supervision/growth/person.html", {
        "view": view, "own": False, "form": form or SuggestionForm(),
        "may_offer": True,  # their supervisor may always offer them a stretch
    }, status=status)


@require_GET
@growth_page
def person(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, selectors.access_supervisee_by_id(viewer=request.user, pk=pk))


@require_POST
@growth_page
def suggest(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_supervisee_by_id(viewer=request.user, pk=pk)
    form = SuggestionForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_make(person=person, by=request.user, area=form.cleaned_data["area"],
                                     text=form.cleaned_data["text"], strength=form.cleaned_data["strength"])
        except services.GrowthError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Suggested. {person.get_short_name()} will see it and decide.")
            return redirect("supervision:growth:person", pk=person.pk)
    return _person_page(request, person, form)


# --- Stretch opportunities


@require_http_methods(["GET", "POST"])
@growth_page
def offer(request: HttpRequest) -> HttpResponse:
    people = selectors.people_to_offer_to(request.user)
    initial = {}
    wanted = request.GET.get("person", "")
    if wanted.isdigit() and len(wanted) < 10:
        initial["person"] = int(wanted)
    form = OfferForm(request.POST if request.method == "POST" else None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            opportunity = services.stretch_offer(person=person, by=request.user, kind=form.cleaned_data["kind"],
                                                 words=form.cleaned_data["words"])
        except services.GrowthError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Offered. {person.get_short_name()} will see it on their home page.")
            return redirect("supervision:growth:opportunity", pk=opportunity.pk)
    return render(request, "supervision/growth/offer.html", {"form": form, "has_people": people.exists()})


def _opportunity_context(request: HttpRequest, opportunity: StretchOpportunity) -> dict[str, Any]:
    is_person = opportunity.person_id == request.user.pk
    reflectable = is_person and opportunity.status in (StretchOpportunity.Status.ACCEPTED,
                                                       StretchOpportunity.Status.DONE)
    return {
        "opportunity": opportunity, "is_person": is_person,
        "may_mark_done": selectors.may_mark_done(request.user, opportunity),
        "reflect_url": about_new_entry_url(ABOUT_KIND, opportunity.pk) if reflectable else "",
    }


@require_GET
@growth_page
def opportunity(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_opportunity_by_id(viewer=request.user, pk=pk)
    return render(request, "supervision/growth/opportunity.html", _opportunity_context(request, found))


@require_POST
@growth_page
def opportunity_answer(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_opportunity_by_id(viewer=request.user, pk=pk)
    if found.person_id != request.user.pk:
        raise Http404
    accept = _accepting(request)
    if accept is None:
        messages.error(request, "Choose whether to accept it or decline it.")
        return redirect("supervision:growth:opportunity", pk=found.pk)
    try:
        services.stretch_answer(opportunity=found, person=request.user, accept=accept)
    except services.GrowthError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "You've said yes. Afterwards, take a few minutes to reflect on how it went."
                         if accept else "Declined, and that's fine. Nobody else is told why.")
    return redirect("supervision:growth:opportunity", pk=found.pk)


@require_POST
@growth_page
def opportunity_done(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_opportunity_by_id(viewer=request.user, pk=pk)
    try:
        services.stretch_done(opportunity=found, by=request.user)
    except services.GrowthError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Marked done. Well done.")
    return redirect("supervision:growth:opportunity", pk=found.pk)


# --- /manage/supervision/growing/


@admin_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    return _no_store(render(request, "supervision/growth/manage.html", {
        "rows": selectors.stretch_counts_by_team(),
    }))
