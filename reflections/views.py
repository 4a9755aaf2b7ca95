"""Journal and mentoring pages. Thin: every read of journal content goes through `selectors`, every write
through `services`. Missing and forbidden both answer 404; every page here sends Cache-Control: no-store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from courses.models import Behaviour, Lesson
from courses.selectors import visible_lessons
from people.selectors import current_mentors_of
from people.services import PeopleError

from .about import About, AboutLink, about_for, about_resolve
from .five_whys import five_whys_about
from .forms import (
    AccountDeleteForm,
    AutosaveForm,
    CommentForm,
    EntryForm,
    ImportForm,
    SearchForm,
    ShareForm,
)
from .models import SECTIONS, TEXT_FIELDS, EntryTemplate, JournalEntry, Prompt
from .selectors.conversations import access_comment_by_id, entry_acknowledgements, entry_threads
from .selectors.journal import journal_list
from .selectors.notifications import access_notification_by_id, notifications_for
from .selectors.prompts import prompts_active
from .selectors.sharing import entry_current_mentors, entry_reads, entry_shares_with_reads, mentoring_overview
from .selectors.visibility import access_entry_by_id, access_own_entry_by_id, entry_for_viewer, own_entries
from .services import conversations, record, sharing
from .services import journal as journal_services
from .services import notifications as notification_services

PAGE_SIZE = 20
SEARCH_SESSION_KEY = "journal_search"
RETURN_SESSION_KEY = "entry_return"
RETURN_WINDOW = timedelta(minutes=5)


def journal_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in only; the response (a 404 too) is never stored by a browser or proxy."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            response: HttpResponse = redirect_to_login(request.get_full_path())
        else:
            try:
                response = view(request, *args, **kwargs)
            except (Http404, PermissionDenied):
                response = render(request, "404.html", status=404)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, " + response["Cache-Control"]
        return response

    return wrapped


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _own_entry(request: HttpRequest, pk: int) -> JournalEntry:
    return access_own_entry_by_id(user=request.user, pk=pk)


# --- Writing


@journal_page
@require_http_methods(["GET", "POST"])
def journal(request: HttpRequest) -> HttpResponse:
    # Search terms are journal text: they travel in a POST and live in the session, never in the URL.
    if request.method == "POST":
        if "clear" in request.POST:
            request.session.pop(SEARCH_SESSION_KEY, None)
        else:
            form = SearchForm(request.POST)
            if form.is_valid():
                request.session[SEARCH_SESSION_KEY] = {
                    key: (value.isoformat() if isinstance(value, date) else value)
                    for key, value in form.cleaned_data.items() if value
                }
        return redirect("reflections:journal")
    saved = request.session.get(SEARCH_SESSION_KEY) or {}
    form = SearchForm(saved or None)
    filters: dict[str, Any] = {}
    if saved and form.is_valid():
        filters = {
            "query": form.cleaned_data["q"], "behaviour": form.cleaned_data["behaviour"],
            "template": form.cleaned_data["template"], "shared": form.cleaned_data["shared"],
            "date_from": form.cleaned_data["date_from"], "date_to": form.cleaned_data["date_to"],
        }
    entries = journal_list(user=request.user, **filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reflections/journal_list.html", {
        "form": form, "page": page, "filtering": bool(saved),
    })


def _lesson_and_prompt(request: HttpRequest, data: Any) -> tuple[Lesson | None, Prompt | None]:
    lesson_id, prompt_id = _int(data.get("lesson")), _int(data.get("prompt"))
    lesson = visible_lessons().filter(pk=lesson_id).first() if lesson_id else None
    prompt = prompts_active().filter(pk=prompt_id).first() if prompt_id else None
    return lesson, prompt


def _about_asked(request: HttpRequest, data: Any) -> About | None:
    """What a new entry is about (`?about=<kind>:<id>`), if this person may see it. Anything else, made up or not
    theirs, is ignored without a word: the page never says whether such a thing exists."""
    return about_for(request.user, data.get("about"))


def _entry_about(request: HttpRequest, entry: JournalEntry) -> AboutLink | None:
    """What a saved entry is about, as the viewer may see it (asked again on every view)."""
    return about_resolve(request.user, entry.about_kind, entry.about_id) if entry.about_kind else None


def _draft_from(request: HttpRequest) -> JournalEntry | None:
    draft_id = _int(request.POST.get("draft_id"))
    if not draft_id:
        return None
    return access_own_entry_by_id(user=request.user, pk=draft_id, drafts_only=True)


def _entry_context(form: EntryForm, **extra: Any) -> dict[str, Any]:
    return {"form": form, "groups": form.section_groups(), "sections": SECTIONS, "five_whys": five_whys_about(),
            **extra}


@journal_page
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest) -> HttpResponse:
    data_in = request.POST if request.method == "POST" else request.GET
    lesson, prompt = _lesson_and_prompt(request, data_in)
    about = _about_asked(request, data_in)
    if request.method == "POST":
        keep_draft = "save_draft" in request.POST
        form = EntryForm(request.POST, allow_empty=keep_draft)
        draft = _draft_from(request)
        if form.is_valid():
            data = form.cleaned_data
            if draft is None:
                entry = journal_services.entry_create(
                    author=request.user, title=data["title"], template=data["template"], fields=form.text_fields(),
                    behaviours=data["behaviours"], lesson=lesson, prompt=prompt, is_draft=keep_draft, about=about,
                )
            else:
                entry = journal_services.entry_update(
                    entry=draft, author=request.user, title=data["title"], template=data["template"],
                    fields=form.text_fields(), behaviours=data["behaviours"], is_draft=keep_draft,
                )
            messages.success(request, "Draft saved." if keep_draft else "Entry saved. It is private to you.")
            return redirect("reflections:entry_detail", pk=entry.pk)
        draft_id = draft.pk if draft else None
    else:
        template = request.GET.get("template")
        # A prompt or lesson about one behaviour starts with that behaviour ticked (the writer can untick it).
        behaviour = (prompt.theme if prompt else "") or (lesson.module.behaviour if lesson else "")
        behaviours = [behaviour] if behaviour else list(about.link.behaviours if about else [])
        form = EntryForm(initial={
            "template": template if template in EntryTemplate.values else EntryTemplate.FREE,
            "behaviours": [b for b in behaviours if b in Behaviour.values],
            # What the app the entry is about suggests; the writer changes it freely.
            "title": about.link.title if about else "",
        })
        draft_id = None
    return render(request, "reflections/entry_form.html", _entry_context(
        form, lesson=lesson, prompt=prompt, draft_id=draft_id, autosave=True, entry=None,
        about=about.link if about else None, about_value=about.value if about else "",
    ))


@journal_page
@require_POST
def entry_autosave(request: HttpRequest) -> HttpResponse:
    """Create or update a draft as its author types; answers the draft's id (JSON). No text in the answer."""
    form = AutosaveForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"saved": False}, status=400)
    draft = None
    if _int(request.POST.get("draft_id")):
        draft = access_own_entry_by_id(user=request.user, pk=_int(request.POST.get("draft_id")))
        if not journal_services.autosave_allowed(draft):
            raise Http404
    lesson, prompt = _lesson_and_prompt(request, request.POST)
    data = form.cleaned_data
    entry = journal_services.entry_autosave(
        author=request.user, entry=draft, title=data["title"], template=data["template"],
        fields=form.text_fields(), behaviours=data["behaviours"], lesson=lesson, prompt=prompt,
        about=_about_asked(request, request.POST) if draft is None else None,
    )
    return JsonResponse({
        "saved": True, "id": entry.pk, "draft": entry.is_draft,
        "saved_at": timezone.localtime(entry.updated_at).strftime("%H:%M:%S"),
        "edit_url": reverse("reflections:entry_edit", args=[entry.pk]),
    })


@journal_page
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    if request.method == "POST":
        keep_draft = entry.is_draft and "save_draft" in request.POST
        form = EntryForm(request.POST, allow_empty=keep_draft)
        if form.is_valid():
            data = form.cleaned_data
            journal_services.entry_update(
                entry=entry, author=request.user, title=data["title"], template=data["template"],
                fields=form.text_fields(), behaviours=data["behaviours"], is_draft=keep_draft,
            )
            messages.success(request, "Draft saved." if keep_draft else "Entry saved.")
            return redirect("reflections:entry_detail", pk=entry.pk)
    else:
        initial = {name: getattr(entry, name) for name in TEXT_FIELDS}
        initial.update(title=entry.title, template=entry.template, behaviours=entry.behaviours)
        form = EntryForm(initial=initial)
    return render(request, "reflections/entry_form.html", _entry_context(
        form, lesson=entry.lesson, prompt=entry.prompt, draft_id=entry.pk,
        autosave=journal_services.autosave_allowed(entry), entry=entry, about=_entry_about(request, entry),
    ))


@journal_page
@require_http_methods(["GET"])
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_entry_by_id(user=request.user, pk=pk)
    is_author = entry.author_id == request.user.pk
    shares = entry_shares_with_reads(entry) if is_author else []
    acknowledgements = list(entry_acknowledgements(entry, request.user))
    threads = entry_threads(entry, request.user, shares)
    now = timezone.now()
    for thread in threads:
        thread.form = CommentForm(auto_id=f"id_reply_{thread.mentor.pk}_%s")
        for comment in thread.comments:
            comment.can_edit = conversations.comment_can_edit(comment, request.user, now)
            comment.is_mine = comment.author_id == request.user.pk
    return render(request, "reflections/entry_detail.html", {
        "entry": entry, "is_author": is_author, "shares": shares, "threads": threads,
        "about": _entry_about(request, entry),
        "acknowledgements": acknowledgements,
        "can_acknowledge": not is_author and not acknowledgements,
        "reads": entry_reads(entry) if is_author and shares else [],
        # A mentor reading a leader's entry is mentoring, though the address is under /journal/.
        "nav_section": "journal" if is_author else "mentoring",
    })


def _coming_back(request: HttpRequest, entry_id: int) -> None:
    """Remember, for the next `entry_seen`, that this person is being sent back to the entry after their own
    reply or acknowledgement on it (see `sharing.entry_read_record`)."""
    request.session[RETURN_SESSION_KEY] = {"entry": entry_id, "at": timezone.now().timestamp()}


def _came_back(request: HttpRequest, entry_id: int) -> bool:
    """Whether this page load is the one `_coming_back` announced: used once, and only for a few minutes."""
    back = request.session.pop(RETURN_SESSION_KEY, None)
    return (
        isinstance(back, dict) and back.get("entry") == entry_id
        and timezone.now().timestamp() - float(back.get("at") or 0) <= RETURN_WINDOW.total_seconds()
    )


@journal_page
@require_POST
def entry_seen(request: HttpRequest, pk: int) -> HttpResponse:
    """The entry page, once open in a browser, says so (static/js/seen.js): a mentor's read is logged for the
    author, and the notices about this entry are read. A GET never writes, so a link scanner records nothing."""
    entry = access_entry_by_id(user=request.user, pk=pk)
    after_own_action = _came_back(request, entry.pk)
    if entry.author_id != request.user.pk:
        sharing.entry_read_record(entry=entry, reader=request.user, after_own_action=after_own_action)
    notification_services.notifications_mark_read_for_entry(user=request.user, entry=entry)
    return HttpResponse(status=204)


@journal_page
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    if request.method == "POST":
        journal_services.entry_delete(entry=entry, author=request.user)
        messages.success(request, "Entry deleted, with its conversation. It cannot be brought back.")
        return redirect("reflections:journal")
    return render(request, "reflections/entry_delete.html", {"entry": entry})


# --- Sharing


@journal_page
@require_http_methods(["GET", "POST"])
def entry_share(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    shares = entry_shares_with_reads(entry)
    available = current_mentors_of(request.user).exclude(pk__in=[share.mentor_id for share in shares])
    form = ShareForm(request.POST or None, mentors=available)
    if request.method == "POST" and not entry.is_draft and form.is_valid():
        try:
            for mentor in form.cleaned_data["mentors"]:
                sharing.entry_share(entry=entry, author=request.user, mentor=mentor)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            names = ", ".join(m.get_full_name() for m in form.cleaned_data["mentors"])
            messages.success(request, f"Shared with {names}. You can stop sharing at any time.")
        return redirect("reflections:entry_share", pk=entry.pk)
    current_ids = set(current_mentors_of(request.user).values_list("pk", flat=True))
    for share in shares:
        share.is_current = share.mentor_id in current_ids
    return render(request, "reflections/entry_share.html", {
        "entry": entry, "form": form, "shares": shares, "has_mentors": bool(current_ids),
    })


@journal_page
@require_POST
def entry_unshare(request: HttpRequest, pk: int, mentor_id: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    share = entry.shares.select_related("mentor").filter(mentor_id=mentor_id).first()
    if share is None:
        raise Http404
    sharing.entry_unshare(entry=entry, author=request.user, mentor=share.mentor)
    messages.success(request, f"{share.mentor.get_full_name()} can no longer see this entry.")
    return redirect("reflections:entry_share", pk=entry.pk)


# --- Conversations


@journal_page
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_entry_by_id(user=request.user, pk=pk)
    _coming_back(request, entry.pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        mentor = None
        if entry.author_id == request.user.pk:
            mentor = entry_current_mentors(entry).filter(pk=_int(request.POST.get("mentor"))).first()
        try:
            comment = conversations.comment_create(
                entry=entry, author=request.user, body=form.cleaned_data["body"], mentor=mentor
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Reply sent.")
            return redirect(reverse("reflections:entry_detail", args=[entry.pk]) + f"#comment-{comment.pk}")
    else:
        messages.error(request, "Write something before you send it.")
    return redirect(reverse("reflections:entry_detail", args=[entry.pk]) + "#reply")


@journal_page
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = access_comment_by_id(user=request.user, pk=pk)
    back = reverse("reflections:entry_detail", args=[comment.entry_id]) + f"#comment-{comment.pk}"
    if not conversations.comment_can_edit(comment, request.user):
        messages.error(request, "Replies can be changed for 15 minutes after they are sent. You can still delete it.")
        return redirect(back)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        conversations.comment_update(comment=comment, author=request.user, body=form.cleaned_data["body"])
        messages.success(request, "Reply updated.")
        _coming_back(request, comment.entry_id)
        return redirect(back)
    return render(request, "reflections/comment_edit.html", {
        "comment": comment, "form": form, "back": back,
        "nav_section": "journal" if comment.entry.author_id == request.user.pk else "mentoring",
    })


@journal_page
@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = access_comment_by_id(user=request.user, pk=pk)
    entry_id, thread = comment.entry_id, comment.mentor_id
    conversations.comment_delete(comment=comment, author=request.user)
    messages.success(request, "Reply deleted.")
    _coming_back(request, entry_id)
    return redirect(reverse("reflections:entry_detail", args=[entry_id]) + f"#conversation-{thread}")


@journal_page
@require_POST
def entry_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_entry_by_id(user=request.user, pk=pk)
    if entry.author_id == request.user.pk:
        raise Http404
    conversations.entry_acknowledge(entry=entry, mentor=request.user)
    _coming_back(request, entry.pk)
    messages.success(request, f"{entry.author.get_short_name()} will see that you've read this.")
    return redirect("reflections:entry_detail", pk=entry.pk)


# --- Mentoring and notifications


@journal_page
@require_http_methods(["GET"])
def mentoring(request: HttpRequest) -> HttpResponse:
    return render(request, "reflections/mentoring.html", {
        "mentees": mentoring_overview(request.user),
    })


@journal_page
@require_http_methods(["GET"])
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "reflections/notifications.html", {"page": page})


@journal_page
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notification_services.notifications_mark_read(user=request.user)
    messages.success(request, "All caught up.")
    return redirect("reflections:notifications")


@journal_page
@require_http_methods(["GET"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notice to its entry; the entry page marks it read once it is open (a GET never writes)."""
    notification = access_notification_by_id(user=request.user, pk=pk)
    if entry_for_viewer(user=request.user, pk=notification.entry_id) is None:
        messages.info(request, "That entry is no longer shared with you.")
        return redirect("reflections:notifications")
    return redirect("reflections:entry_detail", pk=notification.entry_id)


# --- Prompts


# --- Owning your record


@journal_page
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "reflections/account.html", {
        "entry_count": own_entries(request.user).count(), "import_form": ImportForm(),
    })


@journal_page
@require_http_methods(["GET"])
def journal_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(record.journal_export_zip(user=request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="heartwood-journal-{timezone.localdate()}.zip"'
    return response


@journal_page
@require_POST
def journal_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > record.MAX_IMPORT_BYTES:
                raise ValidationError("That file is too large to import (the limit is 20 MB).")
            data = record.journal_import_parse(upload.read())
            count = record.journal_import(user=request.user, data=data)
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            messages.success(request, f"{count} entr{'y' if count == 1 else 'ies'} added to your journal.")
            return redirect("reflections:journal")
    return render(request, "reflections/account.html", {
        "entry_count": own_entries(request.user).count(), "import_form": form,
    }, status=400)


@journal_page
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            record.account_delete(user=user)
        except PeopleError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            return render(request, "reflections/account_deleted.html")
    return render(request, "reflections/account_delete.html", {"form": form})

