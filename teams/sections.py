"""What a team's page shows from the apps above `teams`: sections they fill in.

`teams` sits below `feedback` (DESIGN.md, "Which app may import which"), yet the team's page (`/teams/<id>/`)
shows the team's pulse results. So the page asks this registry, and a higher app registers its section from its
`AppConfig.ready()`, as apps do for the home page (`people.home`, whose `HomeSection` a provider answers):

    from teams.sections import team_section_register

    def pulse_section(team: Team, viewer: User) -> HomeSection | None: ...

    team_section_register("feedback.pulse", pulse_section, priority=10)

A provider answers None when it has nothing for this viewer. It reads through its own app's selectors (the rules
of who may see what live there) and costs a fixed number of queries, whatever the team's history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from people.home import HomeSection

if TYPE_CHECKING:
    from people.models import User

    from .models import Team

TeamSectionProvider = Callable[["Team", "User"], HomeSection | None]

_providers: dict[str, tuple[int, TeamSectionProvider]] = {}


def team_section_register(key: str, provider: TeamSectionProvider, *, priority: int) -> None:
    """Add (or replace: `ready()` may run more than once) the provider named `key`."""
    _providers[key] = (priority, provider)


def team_sections(team: Team, viewer: User) -> list[HomeSection]:
    """The sections of `team`'s page for `viewer`, in priority order (lower first)."""
    sections = []
    for key, (priority, provider) in sorted(_providers.items(), key=lambda item: (item[1][0], item[0])):
        section = provider(team, viewer)
        if section is not None:
            sections.append(replace(section, key=section.key or key, priority=priority))
    return sections
