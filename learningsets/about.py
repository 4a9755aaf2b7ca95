"""A journal entry "about" a set meeting (reflections.about): kind `learningsets.meeting`, resolved only for someone
who may see the meeting now (an accepted, current place in its set). The label names the set and the day, never
what was said."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from people.models import User
from reflections.about import AboutLink

from .clock import organisation_zone
from .models import Meeting
from .selectors import accepted_places

ABOUT_KIND = "learningsets.meeting"


def meeting_about(user: User, pk: int) -> AboutLink | None:
    meeting = (
        Meeting.objects.filter(pk=pk, cancelled_at__isnull=True)
        .filter(learning_set__in=accepted_places().filter(user=user).values("learning_set_id"))
        .select_related("learning_set").first()
    )
    if meeting is None or not getattr(user, "is_authenticated", False):
        return None
    day = timezone.localtime(meeting.starts_at, organisation_zone())
    when = f"{day.day} {day:%B %Y}"
    return AboutLink(
        label=f"{meeting.learning_set.name}, meeting of {when}",
        url=reverse("learningsets:meeting", args=[meeting.learning_set_id, meeting.pk]),
        title=f"After our set, {when}",
        prompt="What did you notice in yourself as you listened and asked? What will you take back to your shifts?",
        behaviours=("attending", "understanding"),
    )

