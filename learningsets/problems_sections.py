"""The team page's "Recurring problems" section (teams.sections, registered in `LearningSetsConfig.ready()`)."""

from __future__ import annotations

from people.home import HomeSection
from people.models import User
from teams.models import Team

from .problems_selectors import problems_summary

TEAM_PRIORITY = 40  # after the pulse (10), the strengths map (20) and growing leaders (30)


def problems_team_section(team: Team, viewer: User) -> HomeSection | None:
    """How many problems the team is exploring, and when it next looks again. The team page has already let only
    its members and admins in (teams.selectors.access_team_by_id); one query."""
    summary = problems_summary(team)
    may_edit = bool(getattr(team, "viewer_is_member", False))
    if not (summary.open_count or summary.settled_count) and not may_edit:
        return None
    return HomeSection(
        key="learningsets.problems", title="Recurring problems", template="learningsets/problems/team_section.html",
        context={"team": team, "summary": summary, "may_edit": may_edit},
        empty=not (summary.open_count or summary.settled_count),
    )
