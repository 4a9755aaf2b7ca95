from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_tenants.utils import tenant_context

from people.links import subdomain_url
from people.relays import BROKER_UNREACHABLE

from . import services
from .finding import organisations_reminder_task
from .forms import ConfirmDeleteForm, ConsoleSearchForm, FindOrganisationForm, SignUpForm
from .health import worker_states
from .models import Organisation
from .selectors import membership_of, organisations_for_console, subdomain_of

CONSOLE_PAGE_SIZE = 50


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/landing.html")


def find_organisation(request: HttpRequest) -> HttpResponse:
    """Ask for the links by email. The same answer whether or not the address has an account anywhere."""
    form = FindOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="find_organisation", key=form.cleaned_data["email"].lower()):
            form.add_error(None, "That's a lot of requests. Please wait a few minutes and try again.")
        else:
            email = form.cleaned_data["email"]
            try:
                organisations_reminder_task.delay(email)
            except BROKER_UNREACHABLE:
                # Nothing is recorded to send later (the address is not kept), so say so rather than answer 500;
                # the same for every address, so it tells nobody whether one has an account.
                form.add_error(None, "We couldn't send the email just now. Please try again in a few minutes.")
            else:
                return render(request, "tenants/find_sent.html", {"email": email})
    return render(request, "tenants/find.html", {"form": form})


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/terms.html")


# --- Sign-up (public site) ------------------------------------------------------------------------------


def _send_verification(request: HttpRequest, result: services.SignUp, subdomain: str) -> None:
    """allauth's verification email, built as if asked on the organisation's own host (links lead there)."""
    tenant_request = copy.copy(request)
    tenant_request.META = {**request.META, "HTTP_HOST": urlsplit(subdomain_url(subdomain)).netloc}
    tenant_request.tenant = result.organisation
    with tenant_context(result.organisation), allauth_context.request_context(tenant_request):
        address = EmailAddress.objects.get(user=result.admin, primary=True)
        address.send_confirmation(tenant_request, signup=True)


@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None, base_domain=settings.BASE_DOMAIN)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not ratelimit.consume(request, action="signup"):  # allauth's per-IP limit for sign-ups
            form.add_error(None, "Too many sign-ups from your network just now. Please try again in a few minutes.")
            return render(request, "tenants/signup.html", {"form": form, "base_domain": settings.BASE_DOMAIN},
                          status=429)
        try:
            result = services.organisation_sign_up(
                name=data["organisation_name"], subdomain=data["subdomain"], full_name=data["full_name"],
                email=data["email"], password=data["password"], time_zone=data["time_zone"],
            )
        except services.SubdomainTaken:
            form.add_error("subdomain", "That address was taken a moment ago. Please choose another.")
        else:
            _send_verification(request, result, data["subdomain"])
            if result.organisation.status == Organisation.Status.PENDING:
                return HttpResponseRedirect(subdomain_url(data["subdomain"], "/"))
            token = services.handover_token(organisation=result.organisation, user=result.admin)
            return HttpResponseRedirect(subdomain_url(data["subdomain"], f"/welcome/?token={token}"))
    return render(request, "tenants/signup.html", {"form": form, "base_domain": settings.BASE_DOMAIN})


# --- Welcome (organisation site) ------------------------------------------------------------------------


@never_cache
def welcome(request: HttpRequest) -> HttpResponse:
    """Where a new organisation's first admin lands: signs them in from a handover token, then a checklist."""
    token = request.GET.get("token")
    if token:
        user = services.handover_redeem(token=token, organisation=request.tenant)
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        elif not request.user.is_authenticated:
            messages.info(request, "That sign-in link has expired or was already used. Please sign in.")
            return redirect_to_login("/welcome/")
        # Drop the token from the address bar (and from any Referer header).
        return redirect("welcome")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_org_admin:
        return redirect("home")
    verified = EmailAddress.objects.filter(user=request.user, verified=True).exists()
    return render(request, "tenants/welcome.html", {"email_verified": verified})


# --- Operator console (public site, staff of the public schema only) --------------------------------------


def operator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if connection.schema_name != settings.PUBLIC_SCHEMA_NAME:
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_staff and request.user.is_active):
            raise Http404  # the console does not exist for anyone else
        return view(request, *args, **kwargs)

    return wrapped


def _organisation(pk: int) -> Organisation:
    return get_object_or_404(Organisation.objects.prefetch_related("domains"), pk=pk,
                             kind=Organisation.Kind.ORGANISATION)


@never_cache
@operator_required
def console(request: HttpRequest) -> HttpResponse:
    search = ConsoleSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(organisations_for_console(search=q), CONSOLE_PAGE_SIZE).get_page(request.GET.get("page"))
    organisations = list(page.object_list)
    membership = membership_of(organisations)
    rows = [
        {"organisation": org, "subdomain": subdomain_of(org), "membership": membership.get(org.pk)}
        for org in organisations
    ]
    return render(request, "tenants/console/list.html", {"search": search, "q": q, "page": page, "rows": rows})


@never_cache
@operator_required
def console_workers(request: HttpRequest) -> HttpResponse:
    """The Celery workers' state: asked when an operator opens this page, never by a health probe."""
    return render(request, "tenants/console/workers.html", {"state": worker_states()})


@never_cache
@operator_required
def console_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(pk)
    membership = membership_of([organisation]).get(organisation.pk)
    subdomain = subdomain_of(organisation)
    return render(request, "tenants/console/detail.html", {
        "org": organisation, "subdomain": subdomain, "membership": membership,
        "home_url": subdomain_url(subdomain, "/"), "delete_form": ConfirmDeleteForm(subdomain=subdomain),
    })


def _status_action(
    change: Callable[..., Organisation], allowed_from: set[str], done: str,
) -> Callable[[HttpRequest, int], HttpResponse]:
    @never_cache
    @operator_required
    @require_POST
    def action(request: HttpRequest, pk: int) -> HttpResponse:
        organisation = _organisation(pk)
        if organisation.status not in allowed_from:
            messages.error(request, f"{organisation.name} is {organisation.get_status_display().lower()}; "
                                    "nothing was changed.")
        else:
            change(organisation=organisation)
            messages.success(request, done.format(name=organisation.name))
        return redirect("console_organisation", pk=organisation.pk)

    return action


Status = Organisation.Status
console_approve = _status_action(services.organisation_approve, {Status.PENDING}, "{name} is approved and open.")
console_suspend = _status_action(
    services.organisation_suspend, {Status.ACTIVE, Status.PENDING},
    "{name} is suspended. Its members cannot sign in; nothing has been deleted.",
)
console_reactivate = _status_action(services.organisation_reactivate, {Status.SUSPENDED}, "{name} is active again.")


@never_cache
@operator_required
@require_POST
def console_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline a pending sign-up: nobody has used it yet, so it goes without an export."""
    organisation = _organisation(pk)
    if organisation.status != Status.PENDING:
        raise Http404
    name = organisation.name
    services.organisation_decline(organisation=organisation)
    messages.success(request, f"The sign-up of {name} was declined and removed.")
    return redirect("console")


@never_cache
@operator_required
@require_POST
def console_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Export everything as a download, then drop the schema. The export goes to the organisation, unread."""
    organisation = _organisation(pk)
    subdomain = subdomain_of(organisation)
    form = ConfirmDeleteForm(request.POST, subdomain=subdomain)
    if not form.is_valid():
        membership = membership_of([organisation]).get(organisation.pk)
        return render(request, "tenants/console/detail.html", {
            "org": organisation, "subdomain": subdomain, "membership": membership,
            "home_url": subdomain_url(subdomain, "/"), "delete_form": form,
        }, status=400)
    export = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)
    services.organisation_export(organisation=organisation, into=export)
    services.organisation_delete(organisation=organisation)
    messages.success(request, f"{organisation.name} was deleted. Its export was downloaded: pass it to them securely.")
    export.seek(0)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return FileResponse(export, as_attachment=True, filename=f"heartwood-{subdomain}-{stamp}.zip",
                        content_type="application/zip")
