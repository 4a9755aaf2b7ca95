"""The 360's pages. Thin: reads through `selectors`, writes through `services` and the engine. Missing and
forbidden both answer 404; every page here sends Cache-Control: no-store."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from people.selectors import current_mentors_of

from .. import engine
from ..models import Instrument, Respondent
from . import selectors, services
from .about import reflect_url
from .forms import AnswerForm, RequestForm, ShareForm


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, " + response["Cache-Control"]
    return response


def threesixty_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in only; the response (a 404 too) is never stored by a browser or proxy."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _no_store(redirect_to_login(request.get_full_path()))
        try:
            response = view(request, *args, **kwargs)
        except (Http404, PermissionDenied):
            response = render(request, "404.html", status=404)
        return _no_store(response)

    return wrapped


@threesixty_page
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = list(selectors.three_sixties_of(user)) if user.is_leader else []
    return render(request, "feedback/threesixty/home.html", {
        "open": [t for t in mine if t.round.closed_at is None],
        "closed": [t for t in mine if t.round.closed_at is not None],
        "asks": list(selectors.asks_waiting_for(user)),
        "shared": list(selectors.summaries_shared_with(user)) if user.is_mentor else [],
    })


@threesixty_page
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    leader = request.user
    if not leader.is_leader:
        raise Http404
    already = services.open_three_sixty_of(leader)
    if already is not None:
        messages.info(request, "You have a 360 open already. You can ask again once it has closed.")
        return redirect("feedback:threesixty:detail", pk=already.pk)
    k = engine.k_for(Instrument.THREE_SIXTY)
    form = RequestForm(request.POST or None, colleagues=selectors.candidates_for(leader), k=k)
    if request.method == "POST" and form.is_valid():
        try:
            three_sixty = services.three_sixty_request(
                leader=leader, users=form.cleaned_data["colleagues"], emails=form.cleaned_data["emails"],
                days_open=form.cleaned_data["days_open"],
            )
        except services.ThreeSixtyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your 360 is open. The people you asked will hear from Heartwood.")
            return redirect("feedback:threesixty:detail", pk=three_sixty.pk)
    return render(request, "feedback/threesixty/new.html", {"form": form, "k": k})


@threesixty_page
@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    three_sixty = selectors.access_own_three_sixty_by_id(user=request.user, pk=pk)
    round_ = three_sixty.round
    context: dict[str, Any] = {"three_sixty": three_sixty, "round": round_}
    if round_.closed_at is None:
        context["asked"] = list(round_.respondents.select_related("user").order_by("user__full_name", "email"))
    else:
        context["results"] = results = selectors.results_for(three_sixty)
        context["shares"] = selectors.three_sixty_shares(three_sixty)
        context["reflect_url"] = _reflect(three_sixty, results)
    return render(request, "feedback/threesixty/detail.html", context)


@threesixty_page
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    three_sixty = selectors.access_own_three_sixty_by_id(user=request.user, pk=pk)
    if three_sixty.round.closed_at is None:
        services.three_sixty_close(three_sixty=three_sixty, leader=request.user)
        messages.success(request, "Your 360 is closed. Nobody can answer it now.")
    return redirect("feedback:threesixty:detail", pk=three_sixty.pk)


@threesixty_page
@require_http_methods(["GET"])
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    three_sixty = selectors.access_summary_by_id(user=request.user, pk=pk)
    if three_sixty.round.closed_at is None:
        raise Http404
    is_leader = three_sixty.leader_id == request.user.pk
    results = selectors.results_for(three_sixty, with_self_checks=is_leader)
    return render(request, "feedback/threesixty/summary.html", {
        "three_sixty": three_sixty, "round": three_sixty.round, "results": results, "is_leader": is_leader,
        "reflect_url": _reflect(three_sixty, results) if is_leader else "",
    })


def _reflect(three_sixty: Any, results: selectors.Results | None) -> str:
    behaviour = results.difference.row.behaviour if results and results.difference else ""
    return reflect_url(three_sixty, behaviour)


@threesixty_page
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, pk: int) -> HttpResponse:
    three_sixty = selectors.access_own_three_sixty_by_id(user=request.user, pk=pk)
    if three_sixty.round.closed_at is None:
        raise Http404
    shares = selectors.three_sixty_shares(three_sixty)
    available = current_mentors_of(request.user).exclude(pk__in=[s.mentor_id for s in shares if s.is_current])
    form = ShareForm(request.POST or None, mentors=available)
    if request.method == "POST" and form.is_valid():
        try:
            for mentor in form.cleaned_data["mentors"]:
                services.three_sixty_share(three_sixty=three_sixty, leader=request.user, mentor=mentor)
        except services.ThreeSixtyError as error:
            messages.error(request, str(error))
        else:
            names = ", ".join(m.get_full_name() for m in form.cleaned_data["mentors"])
            messages.success(request, f"Shared the summary with {names}. You can stop sharing at any time.")
        return redirect("feedback:threesixty:share", pk=three_sixty.pk)
    return render(request, "feedback/threesixty/share.html", {
        "three_sixty": three_sixty, "form": form, "shares": shares,
        "has_mentors": current_mentors_of(request.user).exists(),
    })


@threesixty_page
@require_POST
def unshare(request: HttpRequest, pk: int, mentor_id: int) -> HttpResponse:
    three_sixty = selectors.access_own_three_sixty_by_id(user=request.user, pk=pk)
    found = three_sixty.shares.select_related("mentor").filter(mentor_id=mentor_id).first()
    if found is None:
        raise Http404
    services.three_sixty_unshare(three_sixty=three_sixty, leader=request.user, mentor=found.mentor)
    messages.success(request, f"{found.mentor.get_full_name()} can no longer see your 360.")
    return redirect("feedback:threesixty:share", pk=three_sixty.pk)


# --- Answering


def _answer(request: HttpRequest, respondent: Respondent, *, template_context: dict[str, Any]) -> HttpResponse | None:
    """The answer form, for a colleague or a rater by link. Returns None once the answer is taken."""
    round_ = respondent.round
    form = AnswerForm(request.POST or None, statements=round_.statements)
    mentions: list[str] = []
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        mentions = engine.comment_mentions(comment) if comment else []
        if mentions and form.cleaned_data.get("checked_comment") != comment:
            # Say so once; sending it unchanged after that is the writer's decision.
            data = request.POST.copy()
            data["checked_comment"] = comment
            form = AnswerForm(data, statements=round_.statements)
            form.is_valid()
        else:
            try:
                engine.answer_record(respondent=respondent, scores=form.scores(), comment=comment)
            except engine.FeedbackError as error:
                form.add_error(None, str(error))
            else:
                return None
    return render(request, "feedback/threesixty/answer.html", {
        "form": form, "round": round_, "mentions": mentions, **template_context,
    })


@threesixty_page
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    respondent = selectors.access_ask_by_id(user=request.user, pk=pk)
    leader = respondent.round.three_sixty.leader
    if respondent.answered or not respondent.round.is_open or respondent.round.closes_at <= timezone.now():
        return render(request, "feedback/threesixty/answer_done.html", {
            "leader": leader, "answered": respondent.answered,
        })
    response = _answer(request, respondent, template_context={"leader": leader, "colleague": True})
    if response is None:
        return redirect("feedback:threesixty:answer", pk=pk)
    return response


@require_http_methods(["GET", "POST"])
def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """A rater without an account, by their single-use link. A used, expired or unknown link all get the same
    calm page (and status), so the page says nothing about which it was."""
    respondent = selectors.ask_for_link(token)
    if respondent is None:
        response = render(request, "feedback/threesixty/link_gone.html", status=404)
    else:
        response = _answer(request, respondent, template_context={
            "leader": selectors.leader_of(respondent), "colleague": False,
        }) or redirect("feedback:threesixty:thanks")
    # The link is the rater's key: it never leaves for another site in a Referer header. (Same origin only, not
    # "no-referrer": with that, browsers post the form with "Origin: null", which CSRF protection refuses.)
    response["Referrer-Policy"] = "same-origin"
    return _no_store(response)


@require_http_methods(["GET"])
def thanks(request: HttpRequest) -> HttpResponse:
    return _no_store(render(request, "feedback/threesixty/answer_thanks.html"))
