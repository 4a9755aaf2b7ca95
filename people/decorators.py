from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from .selectors import organisation_settings


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Organisation admins only: others get a 404 (the page does not exist for them).

    When the organisation requires two-step sign-in for admins, an admin without it is sent to set it up first.
    Use this on every page under /manage/.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_org_admin:
            raise Http404
        if organisation_settings().require_mfa_for_admins and not is_mfa_enabled(user):
            messages.warning(
                request,
                "Your organisation asks admins to use two-step sign-in. Set up an authenticator app to continue.",
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper
