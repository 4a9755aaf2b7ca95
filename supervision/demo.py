"""Supervision in the demo organisation (tenants.demo_seeding calls `seed`).

Sam (the demo leader) is supervised by Priya (the demo admin) since three months ago. Six weeks ago they met in the
quiet room at Larch House: Sam's check-in, Sam's agenda first, a record both agreed, three actions. A fortnight ago
they met again: it opened with those actions (one done, one carried on, one let go), and its record, written by
Priya, waits for Sam to agree it; two actions are open. The next session is booked for five days from now, with
one thing Sam wants to talk about. Everyone is made up. Through the services, back-dated afterwards; runs once
(when Sam has a supervisor, it leaves everything as it is). Then growth (supervision/growth_demo.py) adds its part.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from people.models import User
from reflections.selectors.prompts import organisation_time_zone

from . import growth_demo
from .models import Action, RecordAgreement, RecordVersion, Relationship, Session
from .services import sessions as services

PLACE = "The quiet room, Larch House"

FIRST_RECORD = "\n\n".join([
    "Sam checked in tired after three late shifts in a row, and said so.",
    "We talked about the new night handover. Sam feels it works when the same two people do it, and wobbles when "
    "agency staff are on. We agreed the checklist is not the problem: the conversation is.",
    "Sam is proud of how the team looked after Mrs Patel's family last week. Priya noticed Sam listened first and "
    "fixed things second.",
    "Sam wants to try leading the Thursday team meeting.",
])

SECOND_RECORD = "\n\n".join([
    "The handover: Sam tried the two-minute “what worries you tonight?” question with agency staff, and it helped "
    "on two nights out of three.",
    "We talked about Amira, who is ready for more. Sam will ask her to lead a handover.",
    "Sam noticed feeling responsible for everyone's mood on the floor. We talked about the difference between "
    "caring and carrying.",
])


def _at(days_ago: int, hour: int) -> datetime:
    tz = ZoneInfo(organisation_time_zone())
    return datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(hour, 0), tz)


def _back_date(session: Session, when: datetime) -> None:
    RecordVersion.objects.filter(session=session).update(created_at=when + timedelta(hours=2))
    RecordAgreement.objects.filter(version__session=session).update(agreed_at=when + timedelta(hours=3))
    Session.objects.filter(pk=session.pk, agreed_at__isnull=False).update(agreed_at=when + timedelta(hours=3))
    Session.objects.filter(pk=session.pk).update(created_at=when - timedelta(days=10))
    Action.objects.filter(session=session).update(created_at=when + timedelta(hours=1))


def seed(*, people: dict[str, User]) -> None:
    _seed_sessions(people)
    growth_demo.seed(people=people)  # growth (supervision/growth_demo.py), once the relationship exists


def _seed_sessions(people: dict[str, User]) -> None:
    sam, priya = people["leader"], people["admin"]
    if Relationship.objects.filter(supervisee=sam).exists():
        return
    relationship = services.relationship_create(
        supervisor=priya, supervisee=sam, starts_on=timezone.localdate() - timedelta(days=90),
    )
    # Six weeks ago.
    first_at = _at(42, 14)
    first = services.session_schedule(relationship=relationship, by=priya, starts_at=first_at, place=PLACE)
    services.checkin_save(session=first, by=sam, text="Honestly? Tired. Three lates in a row.", shared=True)
    services.agenda_add(session=first, by=sam, text="The night handover when agency staff are on")
    services.agenda_add(session=first, by=sam, text="Could I lead the Thursday team meeting?")
    services.agenda_add(session=first, by=priya, text="How the team supported Mrs Patel's family")
    services.record_save(session=first, by=priya, text=FIRST_RECORD, based_on=0)
    services.record_agree(session=first, by=priya, version=1)
    services.record_agree(session=first, by=sam, version=1)
    handover = services.action_add(session=first, by=sam, text="Try a two-minute “what worries you tonight?” at "
                                   "handover with agency staff", owner="supervisee",
                                   due_on=first_at.date() + timedelta(days=21))
    meeting = services.action_add(session=first, by=priya, owner="supervisor",
                                  text="Ask the home manager if Sam can chair Thursday's meeting")
    rota = services.action_add(session=first, by=sam, text="Rewrite the night rota on my own", owner="supervisee")
    _back_date(first, first_at)

    # A fortnight ago: opens with those three.
    second_at = _at(14, 10)
    second = services.session_schedule(relationship=relationship, by=sam, starts_at=second_at, place=PLACE)
    services.agenda_add(session=second, by=sam, text="How the handover question went")
    services.agenda_add(session=second, by=sam, text="Amira, who is ready for more")
    services.action_review(session=second, by=sam, action_id=handover.pk, status="done")
    services.action_review(session=second, by=priya, action_id=meeting.pk, status="carried")
    services.action_review(session=second, by=sam, action_id=rota.pk, status="let_go")
    services.record_save(session=second, by=priya, text=SECOND_RECORD, based_on=0)
    services.record_agree(session=second, by=priya, version=1)
    services.action_add(session=second, by=sam, text="Ask Amira to lead Tuesday's handover", owner="supervisee",
                        due_on=second_at.date() + timedelta(days=21))
    _back_date(second, second_at)

    # Five days from now.
    upcoming = services.session_schedule(relationship=relationship, by=priya, starts_at=_at(-5, 14), place=PLACE)
    services.agenda_add(session=upcoming, by=sam, text="Caring without carrying: what that looks like on a late")
