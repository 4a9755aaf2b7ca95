"""A journal entry "about" a supervision session (reflections.about, kind "supervision.session"): what the link
says, and to whom. Only the two people who may open the session resolve it (the supervisor while the relationship
is current), and only once the session has started: "reflect on this" comes after the conversation."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from people.models import User
from reflections.about import AboutLink, about_new_entry_url, about_register

from .models import Session
from .selectors.sessions import role_in, sessions_visible_to

KIND = "supervision.session"


def _resolve(user: User, pk: int) -> AboutLink | None:
    session = sessions_visible_to(user).filter(pk=pk, cancelled_at__isnull=True, starts_at__lte=timezone.now()).first()
    if session is None:
        return None
    relationship = session.relationship
    other = relationship.supervisor if role_in(relationship, user) == "supervisee" else relationship.supervisee
    when = date_format(timezone.localtime(session.starts_at), "j F Y")
    return AboutLink(
        label=f"Supervision with {other.get_full_name()} on {when}",
        url=reverse("supervision:session", args=[pk]),
        title=f"After supervision with {other.get_short_name()}",
        prompt="What stayed with you from the conversation? What will you do differently, and what do you need?",
    )


def about_links_register() -> None:
    about_register(KIND, _resolve)


def reflect_url(session: Session) -> str:
    return about_new_entry_url(KIND, session.pk)
