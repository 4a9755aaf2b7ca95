"""The demo organisation's action learning set (tenants.demo_seeding calls `seed`): "Leads across the houses",
facilitated by Priya (the admin), with Sam (the demo leader), Ellis and three Larch House colleagues (Amira, Femi
and Kwame). Two meetings have been held: Amira brought rushed handovers and committed to a ten-minute standing
handover, Sam brought agency staff who don't know the residents (as a Five whys) and, at the start of that second
meeting, Amira reported back. The next meeting is booked, and the rota suggests who presents.

Everyone and everything is made up. Made through the services, then back-dated; runs once (when the set exists it
leaves everything as it is). A team's recurring problems have their own demo (learningsets/problems_demo.py).
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from people.demo import DEMO_USERNAME
from people.models import User

from . import services
from .briefs import FIVE_WHYS_KEY, shapes
from .models import Attendance, LearningSet, Meeting, Question, SetMember

DEMO_SET_NAME = "Leads across the houses"
COLLEAGUES = ("amira", "femi", "kwame")

FIRST = {
    "brief": "Our two o'clock handover keeps getting squeezed. The early shift is tired and wants to go, the late "
             "shift is arriving in ones and twos, and the things that matter (who hasn't eaten, who is low today) "
             "get lost. I'd like to think about what I can change on my floor without waiting for a new rota.",
    "questions": [
        ("sam", "What does a good handover look like to you, on a day when it works?"),
        ("ellis", "Who notices first when something has been missed?"),
        ("femi", "What have you already tried, and what happened?"),
        ("priya", "What would the late shift say gets lost?"),
    ],
    "action": "For two weeks, try a ten-minute standing handover at the nurses' station at 1.50, with the three "
              "things each resident needs today on one sheet. Ask the late shift afterwards what helped.",
    "report": "We managed it on nine days out of fourteen. The sheet was the thing people liked: the late shift said "
              "they finally knew who to check on first. The standing part didn't survive the weekends, so we're "
              "trying it sitting down in the small lounge instead.",
}
SECOND = {
    "parts": {
        "problem": "Agency staff on nights don't know the residents, and residents get unsettled.",
        "why1": "They arrive with no time to read the care plans.",
        "why2": "The plans are long and written for inspection, not for a first night.",
        "why3": "Nobody has written the short version: what matters to each person at night.",
        "root": "We have never asked the people who know residents best at night to write it down.",
        "action": "Ask the night team to write 'three things that help' for each resident.",
    },
    "brief": "I'm not sure I've got the root right, so I'd welcome questions about it.",
    "questions": [
        ("amira", "Whose knowledge is missing when an agency worker starts a shift?"),
        ("ellis", "What do residents themselves say helps them settle?"),
        ("kwame", "How would you know if this had worked?"),
        ("femi", "What might get in the way?"),
    ],
    "action": "Sit down with Ellis and two of the night team and draft 'three things that help' for the five "
              "residents who find nights hardest, then try it with the next agency shift.",
}


def _find(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _hold(meeting: Meeting, *, by_name: dict[str, User], facilitator: User, data: dict, days_ago: int) -> None:
    for who, text in data["questions"]:
        asker = by_name.get(who)
        if asker is not None:
            services.question_add(meeting=meeting, by=asker, text=text)
    services.action_record(meeting=meeting, by=meeting.presenter, text=data["action"])
    present = [user.pk for name, user in by_name.items() if name != "kwame" or days_ago < 40]
    services.attendance_record(meeting=meeting, by=facilitator, present=present)
    # Held weeks ago: back-date what the services stamped now, by the same amount.
    shift = timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=meeting.starts_at - shift, brief_posted_at=meeting.starts_at - shift - timedelta(days=2),
        action_recorded_at=meeting.starts_at - shift + timedelta(minutes=100),
        attendance_recorded_at=meeting.starts_at - shift + timedelta(minutes=125),
        created_at=meeting.starts_at - shift - timedelta(days=28),
    )
    for question in Question.objects.filter(meeting=meeting):
        Question.objects.filter(pk=question.pk).update(created_at=question.created_at - shift)
    Attendance.objects.filter(meeting=meeting).update(recorded_at=meeting.starts_at - shift + timedelta(minutes=125))


def seed(*, people: dict[str, User]) -> None:
    sets_seed(people=people)
    # A team's recurring problems: their own demo, beside this one.
    if module_has_submodule(import_module("learningsets"), "problems_demo"):
        import_module("learningsets.problems_demo").seed(people=people)


def sets_seed(*, people: dict[str, User]) -> None:
    if LearningSet.objects.filter(name=DEMO_SET_NAME).exists():
        return
    admin, sam = people["admin"], people["leader"]
    by_name = {"sam": sam, "priya": admin}
    for username in (DEMO_USERNAME, *COLLEAGUES):
        person = _find(username)
        if person is not None:
            by_name["ellis" if username == DEMO_USERNAME else username] = person
    members = [person for name, person in by_name.items() if name != "priya"]
    if len(members) < 4:
        return  # the teams' demo people are not there: nothing to make a set with
    learning_set = services.set_create(
        by=admin, name=DEMO_SET_NAME, facilitator=admin, members=members, rhythm_weeks=None, meeting_minutes=120,
        place="The small lounge at Rowan Court (made up for the demo)",
    )
    for place in SetMember.objects.filter(learning_set=learning_set).select_related("user"):
        services.place_accept(place=place, user=place.user)
    begun = timezone.now() - timedelta(minutes=30)

    amira = by_name.get("amira", members[1])
    first = services.meeting_book(learning_set=learning_set, by=admin, starts_at=begun, presenter=amira,
                                  allow_past=True)
    services.brief_post(meeting=first, by=amira, text=FIRST["brief"])
    _hold(first, by_name=by_name, facilitator=admin, data=FIRST, days_ago=63)

    second = services.meeting_book(learning_set=learning_set, by=admin, starts_at=begun, presenter=sam,
                                   allow_past=True)
    five_whys = FIVE_WHYS_KEY if any(shape.key == FIVE_WHYS_KEY for shape in shapes()) else ""
    services.brief_post(meeting=second, by=sam, text=SECOND["brief"], template=five_whys,
                        parts=SECOND["parts"] if five_whys else None)
    # Amira goes first at the second meeting: how her action went.
    services.report_record(meeting=Meeting.objects.get(pk=first.pk), by=amira, text=FIRST["report"])
    Meeting.objects.filter(pk=first.pk).update(reported_at=timezone.now() - timedelta(days=28))
    _hold(second, by_name=by_name, facilitator=admin, data=SECOND, days_ago=28)

    # The next one: in nine days, at two in the afternoon; the rota suggests its presenter.
    local = timezone.localtime(timezone.now() + timedelta(days=9))
    services.meeting_book(learning_set=learning_set, by=admin,
                          starts_at=local.replace(hour=14, minute=0, second=0, microsecond=0))
    SetMember.objects.filter(learning_set=learning_set).update(invited_at=timezone.now() - timedelta(days=92))
    LearningSet.objects.filter(pk=learning_set.pk).update(created_at=timezone.now() - timedelta(days=92))
