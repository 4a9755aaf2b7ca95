"""The local inbox pages (public site, development only: the URLs exist only when LOCAL_INBOX_DIR is set)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import mailbox


def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "inbox/list.html", {"mails": mailbox.mail_list()})


def message(request: HttpRequest, mail_id: str) -> HttpResponse:
    mail = mailbox.mail_get(mail_id)
    if mail is None:
        raise Http404("No such message")
    return render(request, "inbox/message.html", {"mail": mail})


@require_POST
def clear(request: HttpRequest) -> HttpResponse:
    count = mailbox.mail_clear()
    messages.success(request, f"Cleared {count} email{'s' if count != 1 else ''}.")
    return redirect("inbox")
