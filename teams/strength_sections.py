"""The team page's strengths map (teams' own section on `teams.sections`, registered in `TeamsConfig.ready()`): who
brings what, as each current member chose to show it, and pairings whose strengths complement each other. Shown
to whoever may see the team's page (its members and the organisation's admins); one query."""

from __future__ import annotations

from people.home import HomeSection
from people.models import User

from .models import Team
from .strength_selectors import team_strengths_map

TEAM_PRIORITY = 20  # after the team pulse (10)


def strengths_team_section(team: Team, viewer: User) -> HomeSection:
    strengths_map = team_strengths_map(team)
    return HomeSection(
        key="teams.strengths", title="Who brings what", template="teams/strengths/team_section.html",
        context={"team": team, "map": strengths_map,
                 "viewer_is_member": getattr(team, "viewer_is_member", False)},
        empty=not strengths_map.people,
    )
