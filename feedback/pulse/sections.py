"""What the pulse adds to other apps' pages (registered in `FeedbackConfig.ready()`): a home section for a pulse
waiting to be answered (`people.home`), and the team's results on its team page (`teams.sections`)."""

from __future__ import annotations

from people.home import HomeSection
from people.models import User
from teams.models import Team

from . import selectors

HOME_PRIORITY = 25  # between the entries shared with you (20) and prompts waiting (30)
TEAM_PRIORITY = 10


def pulse_waiting_section(user: User) -> HomeSection | None:
    """"Your team's pulse is open, two minutes": one query, and nothing when no pulse waits for you."""
    waiting = selectors.pulses_waiting_for(user)
    if not waiting:
        return None
    title = "Your team's pulse is open" if len(waiting) == 1 else "Your teams' pulses are open"
    return HomeSection(
        key="feedback.pulse", title=title, template="feedback/pulse/home_section.html",
        context={"waiting": waiting},
    )


def pulse_team_section(team: Team, viewer: User) -> HomeSection | None:
    """The team's pulse on its page, for its current members and admins (what one sees, all see)."""
    if not selectors.may_see_results(viewer, team):
        return None
    overview = selectors.team_pulse(team)
    may_run = selectors.may_run_pulse(viewer, team)
    if not overview.rounds and not may_run:
        return None
    return HomeSection(
        key="feedback.pulse", title="Team pulse", template="feedback/pulse/team_section.html",
        context={"team": team, "pulse": overview, "may_run": may_run}, empty=not overview.rounds,
    )
