"""The home page section of action learning sets (registered in `LearningSetsConfig.ready()`; see `people.home`):
invitations waiting for an answer, each set's next meeting, and "you present next"; for an admin or a team lead in
no set yet, where to start one. This is how people find their sets (there is no item in the main navigation).

One query. It runs after the teams section (35) on purpose: that one has just read the person's teams, with which
they lead (`user._teams_of`), so whether a team lead may start a set costs nothing more."""

from __future__ import annotations

from people.home import HomeSection
from people.models import User

from .selectors import can_start_a_set, places_for_home

HOME_PRIORITY = 38


def _can_start(user: User) -> bool:
    if user.is_org_admin:
        return True
    teams = getattr(user, "_teams_of", None)  # read by teams.home_sections a moment ago
    return any(team.viewer_is_lead for team in teams) if teams is not None else can_start_a_set(user)


def sets_section(user: User) -> HomeSection | None:
    places = places_for_home(user)
    if not places:
        if not _can_start(user):
            return None
        return HomeSection(key="learningsets.mine", title="Action learning sets",
                           template="learningsets/home/start.html", empty=True)
    invitations = [place for place in places if place.accepted_at is None]
    sets = [place for place in places if place.accepted_at is not None]
    return HomeSection(
        key="learningsets.mine", title="Your action learning set" if len(places) == 1
        else "Your action learning sets",
        template="learningsets/home/section.html",
        context={"invitations": invitations, "sets": sets},
    )
