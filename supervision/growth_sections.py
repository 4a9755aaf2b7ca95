"""What growth adds to other apps' pages (registered in `SupervisionConfig.ready()`): a home section when a stretch
or a suggestion to your profile waits for your answer (`people.home`), and on a team's page, for its leads, a way
to offer someone in the team a stretch (`teams.sections`). Each costs a fixed number of queries."""

from __future__ import annotations

from people.home import HomeSection
from people.models import User
from teams.models import Team

from .models import StretchOpportunity
from .selectors.growth import suggestions_waiting_for

# people.home's table: after the prompts waiting (30), before your teams (35).
HOME_PRIORITY = 33
TEAM_PRIORITY = 30  # after the team pulse (10) and the strengths map (20)


def growth_home_section(user: User) -> HomeSection | None:
    """A stretch offered to you, and suggestions to your growth profile, waiting for your answer. Two queries."""
    offered = list(
        StretchOpportunity.objects.filter(person=user, status=StretchOpportunity.Status.OFFERED)
        .select_related("offered_by").order_by("-offered_at", "-id")[:5]
    )
    suggestions = suggestions_waiting_for(user).count()
    if not offered and not suggestions:
        return None
    if len(offered) == 1:
        who = offered[0].offered_by.get_short_name() if offered[0].offered_by else "Someone"
        title = f"{who} offered you a stretch"
    elif offered:
        title = "Stretches offered to you"
    else:
        title = "A suggestion for your growth profile"
    return HomeSection(
        key="supervision.growth", title=title, template="supervision/growth/home_section.html",
        context={"offered": offered, "suggestions": suggestions},
    )


def growth_team_section(team: Team, viewer: User) -> HomeSection | None:
    """For the team's leads: offer someone in the team a stretch. Nothing for anyone else; no query."""
    if not getattr(team, "viewer_is_lead", False):
        return None
    return HomeSection(
        key="supervision.growth", title="Growing leaders", template="supervision/growth/team_section.html",
        context={"team": team}, empty=True,
    )
