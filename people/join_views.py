"""Pages for people without an email address: adding them, their printable slip, and joining with a code."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from . import join_codes
from .decorators import admin_required
from .forms import service_error
from .join_forms import JoinForm, PersonWithoutEmailForm
from .models import User
from .selectors import access_member_by_id
from .services import PeopleError

# Where the service's ValidationError says what was wrong, and the field of the join form it belongs to.
_JOIN_FIELDS = {"username": "username", "password": "password1"}


def _qr_svg(url: str) -> SafeString:
    """The QR code of `url` as inline SVG (paths only: no inline styles for the Content Security Policy)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    # qrcode writes only its own markup (numbers and the URL's modules), never the URL as text.
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="QR code of the join page" ', 1))


def _slip(request: HttpRequest, person: User, issued: join_codes.IssuedCode, *, new_person: bool) -> HttpResponse:
    join_url = request.build_absolute_uri(reverse("people:join"))
    response = render(
        request, "people/manage/join_slip.html",
        {"person": person, "issued": issued, "join_url": join_url, "qr_svg": _qr_svg(join_url),
         "new_person": new_person, "days": join_codes.JOIN_CODE_DAYS},
    )
    # The code exists only on this page: no cache (the browser's back button included) may keep it.
    response["Cache-Control"] = "no-store"
    return response


@admin_required
def person_add(request: HttpRequest) -> HttpResponse:
    form = PersonWithoutEmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            person, issued = join_codes.person_add_without_email(
                full_name=form.cleaned_data["full_name"], roles=form.cleaned_data["roles"], by=request.user,
                once=form.cleaned_data["once"], extras=form.extras(),
            )
        except PeopleError as error:
            service_error(form, error)
        else:
            return _slip(request, person, issued, new_person=True)
    return render(request, "people/manage/person_add.html", {"form": form})


@admin_required
@require_POST
def join_code_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_member_by_id(pk)
    try:
        issued = join_codes.join_code_issue(person=person, by=request.user)
    except PeopleError as error:
        messages.error(request, str(error))
        return redirect("people:member", pk=person.pk)
    return _slip(request, person, issued, new_person=False)


def join(request: HttpRequest) -> HttpResponse:
    """Enter a join code, choose a username and password, and be signed in."""
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Per address, and for the organisation as a whole: the key is the same for every attempt here.
        if not ratelimit.consume(request, action="join_code", key="organisation"):
            form.add_error(None, "That's a lot of tries. Please wait ten minutes and try again.")
        else:
            try:
                person = join_codes.join_code_redeem(
                    code=data["code"], username=data["username"], password=data["password1"]
                )
            except join_codes.JoinCodeError as error:
                form.add_error("code", str(error))
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(_JOIN_FIELDS.get(field), errors)
            else:
                login(request, person, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    f"Welcome to {request.tenant.name}, {person.get_short_name()}. "
                    f"Next time, sign in with your username, {person.username}, and your password.",
                )
                return redirect("home")
    return render(request, "people/join.html", {"form": form})
