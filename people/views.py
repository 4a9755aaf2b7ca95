from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from . import selectors, services
from .decorators import admin_required
from .forms import (
    AcceptInvitationForm,
    CsvUploadForm,
    InvitationForm,
    MemberFilterForm,
    OrganisationSettingsForm,
    PairingForm,
    RolesForm,
    service_error,
)
from .home import home_sections
from .invitation_extras import csv_extra_hints
from .models import Invitation, MentorPairing, User

MEMBERS_PER_PAGE = 50


def _posted(request: HttpRequest) -> QueryDict | None:
    # A POST with no fields (every box unticked) is still a submission.
    return request.POST if request.method == "POST" else None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What is new and what is next, from every app (people.home), then who you are paired with."""
    user = request.user
    context: dict[str, object] = {
        "sections": home_sections(user),
        "mentors": list(selectors.current_mentors_of(user)) if user.is_leader else [],
        "mentees": list(selectors.current_mentees_of(user)) if user.is_mentor else [],
    }
    response = render(request, "people/home.html", context)
    # It names journal entries (their titles are journal text): never stored, like every journal page.
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, " + response["Cache-Control"]
    return response


# --- /manage/


@admin_required
def manage(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "member_count": selectors.active_members().count(),
        "waiting_count": selectors.invitations_list(state="waiting").count(),
        "pairing_count": selectors.current_pairings(today).count(),
        "settings": selectors.organisation_settings(),
    }
    return render(request, "people/manage/index.html", context)


@admin_required
def members(request: HttpRequest) -> HttpResponse:
    form = MemberFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.members_list(
        search=filters.get("q", ""), role=filters.get("role", ""), status=filters.get("status", "")
    )
    page = Paginator(queryset, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "people/manage/members.html",
        {"form": form, "page": page, "query": query.urlencode(), "filtered": any(filters.values())},
    )


def _member(pk: int) -> User:
    return selectors.access_member_by_id(pk)


@admin_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(pk)
    form = RolesForm(_posted(request), initial={"roles": member.roles}, prefix="roles")
    if request.method == "POST" and form.is_valid():
        try:
            services.member_set_roles(member=member, roles=form.cleaned_data["roles"], by=request.user)
        except services.PeopleError as error:
            service_error(form, error)
        else:
            messages.success(request, f"{member}'s roles are now: {', '.join(member.role_labels)}.")
            return redirect("people:member", pk=member.pk)
    pairings = selectors.pairings_of(member)
    return render(request, "people/manage/member.html", {"member": member, "form": form, "pairings": pairings})


@admin_required
@require_POST
def member_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(pk)
    try:
        services.member_deactivate(member=member, by=request.user)
    except services.PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{member} has been deactivated and signed out everywhere.")
    return redirect("people:member", pk=member.pk)


@admin_required
@require_POST
def member_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(pk)
    services.member_reactivate(member=member)
    messages.success(request, f"{member} can sign in again.")
    return redirect("people:member", pk=member.pk)


# --- Invitations


INVITATION_STATES = [("waiting", "Waiting"), ("expired", "Expired"), ("accepted", "Accepted"), ("revoked", "Withdrawn")]


@admin_required
def invitations(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"],
                roles=form.cleaned_data["roles"], invited_by=request.user, extras=form.extras(),
            )
        except services.PeopleError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("people:invitations")
    state = request.GET.get("state", "waiting")
    if state not in dict(INVITATION_STATES):
        state = "waiting"
    listed = selectors.invitations_list(state=state)[:500]
    return render(
        request, "people/manage/invitations.html",
        {"form": form, "invitations": listed, "state": state, "states": INVITATION_STATES},
    )


@admin_required
def invitations_upload(request: HttpRequest) -> HttpResponse:
    form = CsvUploadForm(_posted(request), request.FILES if request.method == "POST" else None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.invitations_import_csv(data=form.cleaned_data["file"].read(), invited_by=request.user)
        except services.PeopleError as error:
            form.add_error("file", str(error))
    return render(
        request, "people/manage/invitations_upload.html",
        {"form": form, "report": report, "extra_columns": csv_extra_hints()},
    )


@admin_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.invitation_resend(invitation=invitation)
    except services.PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Invitation sent again to {invitation.email}. The earlier link no longer works.")
    return redirect("people:invitations")


@admin_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation)
    except services.PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
    return redirect("people:invitations")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        return render(request, "people/invitation_invalid.html", {"reason": "unknown"}, status=404)
    if not invitation.is_open:
        return render(request, "people/invitation_invalid.html", {"reason": invitation.status}, status=410)
    form = AcceptInvitationForm(
        _posted(request), email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation, full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except services.PeopleError as error:
            service_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {request.tenant.name}. You're all set.")
            return redirect("home")
    return render(request, "people/invitation_accept.html", {"form": form, "invitation": invitation})


# --- Pairings


@admin_required
def pairings(request: HttpRequest) -> HttpResponse:
    form = PairingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pairing = services.pairing_create(
                leader=data["leader"], mentor=data["mentor"], starts_on=data["starts_on"], ends_on=data["ends_on"]
            )
        except services.PeopleError as error:
            service_error(form, error)
        else:
            messages.success(request, f"{pairing.mentor} now mentors {pairing.leader}.")
            return redirect("people:pairings")
    include_ended = request.GET.get("show") == "all"
    return render(
        request, "people/manage/pairings.html",
        {"form": form, "pairings": selectors.pairings_list(include_ended=include_ended),
         "include_ended": include_ended, "today": timezone.localdate()},
    )


@admin_required
@require_POST
def pairing_end(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = get_object_or_404(MentorPairing.objects.select_related("leader", "mentor"), pk=pk)
    try:
        services.pairing_end(pairing=pairing)
    except services.PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The pairing of {pairing.leader} with {pairing.mentor} has ended.")
    return redirect("people:pairings")


# --- Settings


@admin_required
def organisation_settings(request: HttpRequest) -> HttpResponse:
    current = selectors.organisation_settings()
    form = OrganisationSettingsForm(
        _posted(request), initial={"require_mfa_for_admins": current.require_mfa_for_admins}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_settings_update(
                by=request.user, require_mfa_for_admins=form.cleaned_data["require_mfa_for_admins"]
            )
        except services.PeopleError as error:
            service_error(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("people:settings")
    return render(request, "people/manage/settings.html", {"form": form})
