"""The public certificate check, on the organisation's own host: `/verify/` asks for a reference and
`/verify/<reference>/` answers. Anyone may ask, signed in or not; the answer says only whether the certificate is
real and what it certifies (person, module, date, minutes, organisation). Each lookup is rate limited per address,
so references cannot be guessed by trying many."""

from __future__ import annotations

from allauth.core.internal import ratelimit
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from . import selectors

# allauth's limiter (its public `consume` never limits a GET, and this lookup is one). Limits are counted per
# organisation, since cache keys carry the schema.
RATE_LIMITS = {"verify_certificate": "20/5m/ip,100/d/ip"}


@require_safe
def verify_form(request: HttpRequest) -> HttpResponse:
    reference = request.GET.get("reference", "").strip()
    if reference:
        return redirect("verify:check", reference=selectors.reference_normalise(reference)[:30])
    return render(request, "courses/verify.html", {"asked": False})


@require_safe
def verify_check(request: HttpRequest, reference: str) -> HttpResponse:
    if not ratelimit.consume(
        request, app="allauth.account", action="verify_certificate", config=RATE_LIMITS, limit_get=True
    ):
        return render(request, "courses/verify.html", {"asked": True, "limited": True, "reference": reference},
                      status=429)
    completion = selectors.completion_by_reference(reference)
    return render(request, "courses/verify.html", {
        "asked": True, "reference": selectors.reference_normalise(reference), "completion": completion,
        "organisation_name": request.tenant.name,
    }, status=200 if completion else 404)
