"""Attended set meetings on the CPD record (courses.cpd: `courses` never imports `learningsets`, so this registers a
source from `LearningSetsConfig.ready()`). The title names the set, never what was said in it."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from people.models import User

from .clock import organisation_zone
from .selectors import own_attended

KIND_LABEL = "Action learning set meeting"
RULE = ("An action learning set meeting counts with its length once its facilitator has recorded that you were "
        "there, even if you have left the set since.")


def set_meetings(user: User, *, since: date | None = None, until: date | None = None) -> list:
    from courses.cpd import CpdActivity

    zone = organisation_zone()
    activities = []
    for row in own_attended(user):  # one query
        day = timezone.localtime(row.meeting.starts_at, zone).date()
        if (since is None or day >= since) and (until is None or day <= until):
            activities.append(CpdActivity(title=row.meeting.learning_set.name, date=day,
                                          minutes=row.meeting.minutes, kind_label=KIND_LABEL))
    return activities
