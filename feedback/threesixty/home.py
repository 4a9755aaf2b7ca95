"""The home page section of the 360 (registered in `FeedbackConfig.ready()`; see `people.home`): the 360s a
colleague has been asked to answer, and a leader's own 360 whose results came in lately. Two queries at most."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from people.home import HomeSection
from people.models import User

from ..models import ThreeSixty
from .selectors import asks_waiting_for, three_sixties_of

# people.home's table: asks are timely (they close), so they come after what is new on your journal and before
# the prompts waiting for you.
HOME_PRIORITY = 28
RESULTS_FRESH = timedelta(days=14)


def threesixty_section(user: User) -> HomeSection | None:
    asks = list(asks_waiting_for(user)[:5])
    ready: ThreeSixty | None = None
    if user.is_leader:
        ready = three_sixties_of(user).filter(
            round__closed_at__gte=timezone.now() - RESULTS_FRESH
        ).first()
    if not asks and ready is None:
        return None
    if len(asks) == 1:
        title = f"{asks[0].round.three_sixty.leader.get_short_name()} asked for your feedback"
    elif asks:
        title = "People asked for your feedback"
    else:
        title = "Your 360 has closed"
    return HomeSection(
        key="feedback.threesixty", title=title, template="feedback/threesixty/home_section.html",
        context={"asks": asks, "ready": ready},
    )
