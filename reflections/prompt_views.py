"""Pages for reflection prompts: your rhythm, in-app prompt cards, the one-click stop link, the organisation's
default (admins), and mentors' digest choice."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from people.decorators import admin_required

from .models import PromptDelivery
from .prompt_delivery import STOP_LINK_DAYS, stop_link_open
from .prompt_forms import DefaultsForm, DigestForm, RhythmForm
from .selectors.prompts import (
    digest_frequency_for,
    next_prompt_at,
    organisation_time_zone,
    prompt_cards_for,
    prompt_defaults,
    prompt_library,
    rhythm_for,
)
from .services import prompts
from .views import journal_page


@journal_page
@require_http_methods(["GET", "POST"])
def prompts_page(request: HttpRequest) -> HttpResponse:
    rhythm = rhythm_for(request.user)
    tz = organisation_time_zone()
    if request.method == "POST":
        form = RhythmForm(request.POST, organisation_time_zone=tz, has_email=request.user.has_email)
        if form.is_valid():
            prompts.rhythm_update(user=request.user, **form.cleaned_data)
            messages.success(request, "Saved. Your prompts will follow this rhythm.")
            return redirect("reflections:prompts")
    else:
        form = RhythmForm(organisation_time_zone=tz, has_email=request.user.has_email, initial={
            "frequency": rhythm.frequency, "weekday": rhythm.weekday, "local_time": rhythm.local_time,
            "time_zone": rhythm.time_zone if rhythm.own and rhythm.time_zone != tz else "",
            "channel": rhythm.channel, "paused_until": rhythm.paused_until,
        })
    themes = prompt_library()
    return render(request, "reflections/prompts.html", {
        "form": form, "rhythm": rhythm, "next_prompt_at": next_prompt_at(request.user), "today": timezone.localdate(),
        "themes": themes, "cards": prompt_cards_for(request.user),
    })


@journal_page
@require_POST
def prompt_card_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    if not prompts.delivery_dismiss(user=request.user, delivery_id=pk):
        raise Http404
    messages.info(request, "Set aside. It won't show again.")
    # Back to the page the card was on: only a path of this organisation, never another site or organisation.
    target = request.POST.get("next") or ""
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts=None, require_https=request.is_secure()
    ):
        target = reverse("reflections:journal")
    return redirect(target)


@journal_page
@require_http_methods(["GET"])
def prompt_card_write(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a new entry with this prompt. The card goes once the entry is saved (`entry_create`): a GET never
    writes, and a card opened and abandoned is still there to come back to."""
    delivery = get_object_or_404(PromptDelivery, pk=pk, user=request.user, prompt__isnull=False)
    return redirect(f"{reverse('reflections:entry_new')}?prompt={delivery.prompt_id}")


# The one-click List-Unsubscribe POST (RFC 8058) comes from the mail provider, with no cookie and no CSRF token:
# the signed token in the path is the credential, and all a POST can do is switch that person's prompts off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def prompts_stop(request: HttpRequest, token: str) -> HttpResponse:
    """The stop link in every prompt email: works without signing in, and only for the person it was sent to.
    A GET only asks (mail scanners follow links); the button, or a one-click List-Unsubscribe POST, stops."""
    link = stop_link_open(token)
    user = link.person
    if link.expired:
        response = render(request, "reflections/prompts_stop_expired.html", {"days": STOP_LINK_DAYS}, status=410)
    elif user is None:
        response = render(request, "404.html", status=404)
    elif request.method == "POST":
        prompts.prompts_stop(user=user)
        response = render(request, "reflections/prompts_stopped.html", {"person": user})
    else:
        response = render(request, "reflections/prompts_stop.html", {"person": user, "token": token})
    add_never_cache_headers(response)
    return response


@admin_required
@require_http_methods(["GET", "POST"])
def prompts_defaults(request: HttpRequest) -> HttpResponse:
    defaults = prompt_defaults()
    if request.method == "POST":
        form = DefaultsForm(request.POST)
        if form.is_valid():
            prompts.prompt_defaults_update(**form.cleaned_data)
            messages.success(request, "Saved. People who haven't chosen their own rhythm now follow this one.")
            return redirect("reflections:prompts_defaults")
    else:
        form = DefaultsForm(initial={
            "frequency": defaults.frequency, "weekday": defaults.weekday, "local_time": defaults.local_time,
            "channel": defaults.channel,
        })
    return render(request, "reflections/prompts_defaults.html", {
        "form": form, "time_zone": organisation_time_zone(),
    })


@journal_page
@require_http_methods(["GET", "POST"])
def mentoring_digest(request: HttpRequest) -> HttpResponse:
    if not request.user.is_mentor:
        raise Http404
    if not request.user.has_email:  # no email address, so no email digest: nothing to choose
        return render(request, "reflections/mentoring_digest.html", {"form": None})
    if request.method == "POST":
        form = DigestForm(request.POST)
        if form.is_valid():
            prompts.digest_update(mentor=request.user, frequency=form.cleaned_data["frequency"])
            messages.success(request, "Saved.")
            return redirect("reflections:mentoring_digest")
    else:
        form = DigestForm(initial={"frequency": digest_frequency_for(request.user)})
    return render(request, "reflections/mentoring_digest.html", {"form": form})
