"""A session as a calendar file (.ics, RFC 5545 with RFC 5546's methods), made with `icalendar`.

The event's UID is the session's own `uid`, fixed when the session is booked, so a calendar that has the invitation
updates the same entry when the session moves (a higher SEQUENCE) and removes it on METHOD:CANCEL. Nothing said in
supervision goes in the file: who, when, where and a link.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from people.links import current_organisation_url

from .models import Session

PRODID = "-//Heartwood//Supervision//EN"


def session_uid(session: Session) -> str:
    return f"{session.uid}@heartwood"


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    return address


def session_ics(session: Session, *, cancel: bool = False) -> bytes:
    relationship = session.relationship
    supervisor, supervisee = relationship.supervisor, relationship.supervisee
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", session_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.starts_at + timedelta(minutes=session.duration_minutes))
    event.add("summary", f"Supervision: {supervisee.get_full_name()} with {supervisor.get_full_name()}")
    if session.place:
        event.add("location", session.place)
    url = current_organisation_url(reverse("supervision:session", args=[session.pk]))
    event.add("url", url)
    event.add("description", f"Add what you want to talk about: {url}")
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    event.add("organizer", _address(email or "hello@heartwood.localhost", name or "Heartwood"))
    for person in (supervisee, supervisor):
        if person.email:
            attendee = _address(person.email, person.get_full_name())
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
