"""The demo organisation's recurring problems (learningsets.demo's `seed` calls `seed` here): Larch House keeps two.

The morning medication round that runs late after handover, explored down five whys together, with a change being
tried and a day to look again (Amira offered to keep it moving); and agency staff not knowing residents'
preferences, two whys in, nobody named. Sam traced the first one in the journal beforehand (reflections.demo). Made
through the services, then back-dated; runs once (when Larch House has a recurring problem it leaves all as it is).
Everyone and everything here is made up.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from people.models import User
from teams.demo import DEMO_TEAM_NAME
from teams.models import Team

from .models import ProblemStatus, RecurringProblem
from .problems_services import problem_add

MEDICATION_ROUND = {
    "problem": "Most mornings the eight o'clock medication round starts between twenty past and twenty to nine. "
               "People who take their tablets with breakfast wait, and whoever does the round feels rushed all "
               "morning.",
    "why1": "The senior who does the round is still in handover at eight.",
    "why2": "Handover overruns: nights talk through every resident, even when nothing has changed.",
    "why3": "Nights aren't sure the written notes get read, so they say everything out loud to be safe.",
    "why4": "Days start at five to eight with no time to read before handover, so on busy mornings the notes "
            "really aren't read.",
    "why5": "Nobody has looked at the start time since the shift pattern changed last year.",
    "root": "There is no time in the shift for reading the night notes, so handover has to carry everything. Nobody "
            "is doing anything wrong: the rota never made room for it.",
    "action": "For four weeks: days start at quarter to eight with ten quiet minutes to read the night notes, "
              "handover covers only what has changed, and whoever does the round notes the time it started.",
}
AGENCY = {
    "problem": "When agency staff cover a shift, residents get asked the same questions again and small things are "
               "missed: how someone takes their tea, who likes the radio on at night.",
    "why1": "Agency staff don't have time to read the care plans before they start.",
    "why2": "The plans are long, and what matters day to day is spread all through them.",
}


def seed(*, people: dict[str, User]) -> None:
    larch = Team.objects.filter(name__iexact=DEMO_TEAM_NAME).first()
    if larch is None or RecurringProblem.objects.filter(team=larch).exists():
        return
    leader = people["leader"]
    amira = User.objects.filter(username="amira").first() or leader
    femi = User.objects.filter(username="femi").first() or leader
    today, now = timezone.localdate(), timezone.now()

    round_late = problem_add(
        team=larch, by=leader, title="The medication round runs late after the morning handover",
        steps=MEDICATION_ROUND, owner=amira, look_again_on=today + timedelta(days=12), status=ProblemStatus.TRYING,
    )
    RecurringProblem.objects.filter(pk=round_late.pk).update(
        created_at=now - timedelta(days=10, hours=3), updated_at=now - timedelta(days=9, hours=5), updated_by=amira,
        version=3,
    )
    agency = problem_add(
        team=larch, by=femi, title="Agency staff don't know residents' preferences", steps=AGENCY,
        look_again_on=today + timedelta(days=20),
    )
    RecurringProblem.objects.filter(pk=agency.pk).update(
        created_at=now - timedelta(days=3, hours=6), updated_at=now - timedelta(days=3, hours=6),
    )
