"""The local inbox pages (public site, development only: the URLs exist only when LOCAL_INBOX_DIR is set)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from . import mailbox


def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "inbox/list.html", {"mails": mailbox.mail_list()})


def message(request: HttpRequest, mail_id: str) -> HttpResponse:
    mail = mailbox.mail_get(mail_id)
    if mail is None:
        raise Http404("No such message")
    return render(request, "inbox/message.html", {"mail": mail})


# The HTML part is someone else's markup (inline styles and all): it gets a document of its own, framed only by the
# inbox page, sandboxed with no scripts, and allowed nothing but its own inline styles and inline images. Its own
# header, so the site's policy (django-csp leaves a header it finds) stays strict everywhere else.
HTML_PART_POLICY = (
    "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'; "
    "img-src data:; form-action 'none'; frame-ancestors 'self'"
)


@xframe_options_sameorigin
def message_html(request: HttpRequest, mail_id: str) -> HttpResponse:
    mail = mailbox.mail_get(mail_id)
    if mail is None or not mail.html:
        raise Http404("No HTML part")
    response = HttpResponse(mail.html_framed, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = HTML_PART_POLICY
    return response


@require_POST
def clear(request: HttpRequest) -> HttpResponse:
    count = mailbox.mail_clear()
    messages.success(request, f"Cleared {count} email{'s' if count != 1 else ''}.")
    return redirect("inbox")
