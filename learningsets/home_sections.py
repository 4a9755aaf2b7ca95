"""The home page section of action learning sets (registered in `LearningSetsConfig.ready()`; see `people.home`):
invitations waiting for an answer, each set's next meeting, and "you present next". One query; nothing at all for
someone in no set and invited to none."""

from __future__ import annotations

from people.home import HomeSection
from people.models import User

from .selectors import places_for_home

HOME_PRIORITY = 32


def sets_section(user: User) -> HomeSection | None:
    places = places_for_home(user)
    if not places:
        return None
    invitations = [place for place in places if place.accepted_at is None]
    sets = [place for place in places if place.accepted_at is not None]
    return HomeSection(
        key="learningsets.mine", title="Your action learning set" if len(places) == 1
        else "Your action learning sets",
        template="learningsets/home/section.html",
        context={"invitations": invitations, "sets": sets},
    )
