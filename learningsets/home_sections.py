"""The home page section of action learning sets (registered in `LearningSetsConfig.ready()`; see `people.home`):
invitations waiting for an answer, each set's next meeting, and "you present next". Two queries; nothing at all for
someone in no set and invited to none."""

from __future__ import annotations

from people.home import HomeSection
from people.models import User

from .selectors import invitations_for, sets_of

HOME_PRIORITY = 32


def sets_section(user: User) -> HomeSection | None:
    invitations = list(invitations_for(user))
    sets = list(sets_of(user))
    if not invitations and not sets:
        return None
    presenting = [s for s in sets if s.next_presenter_id == user.pk]
    return HomeSection(
        key="learningsets.mine", title="Your action learning set" if len(sets) + len(invitations) == 1
        else "Your action learning sets",
        template="learningsets/home/section.html",
        context={"invitations": invitations, "sets": sets, "presenting": presenting},
    )
