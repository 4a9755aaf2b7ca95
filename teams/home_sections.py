"""The home page section `teams` fills in (registered in `TeamsConfig.ready()`; see `people.home`): the teams you
are in, and which you lead. Nothing at all for someone in no team."""

from __future__ import annotations

from people.home import HomeSection
from people.models import User

from .selectors import teams_of

TEAMS_PRIORITY = 35


def teams_section(user: User) -> HomeSection | None:
    teams = list(teams_of(user))
    user._teams_of = teams  # type: ignore[attr-defined]  # the navigation asks the same (teams_nav)
    if not teams:
        return None
    led = [team for team in teams if team.viewer_is_lead]
    return HomeSection(
        key="teams.mine", title="Your team" if len(teams) == 1 else "Your teams", template="teams/home/teams.html",
        context={"teams": teams, "led": led},
    )
