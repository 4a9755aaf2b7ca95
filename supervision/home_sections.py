"""Supervision's home page section (registered in `SupervisionConfig.ready()`; see `people.home`): the next session
in the coming fortnight, as either person, with a nudge to add what you want to talk about. One query."""

from __future__ import annotations

from people.home import HomeSection
from people.models import User

from .selectors.sessions import next_session_for, role_in

# people.home's table: a session coming up is timely, so it comes after what is new on your journal and before the
# team pulse and the prompts waiting.
HOME_PRIORITY = 22


def supervision_section(user: User) -> HomeSection | None:
    session = next_session_for(user)
    if session is None:
        return None
    relationship = session.relationship
    is_supervisee = role_in(relationship, user) == "supervisee"
    other = relationship.supervisor if is_supervisee else relationship.supervisee
    return HomeSection(
        key="supervision.next", title=f"Supervision with {other.get_full_name()}",
        template="supervision/home_section.html",
        context={"session": session, "other": other, "is_supervisee": is_supervisee},
    )
