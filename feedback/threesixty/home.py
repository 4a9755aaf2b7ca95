"""The home page section of the 360 (registered in `FeedbackConfig.ready()`; see `people.home`): the 360s a
colleague has been asked to answer, and a leader's own 360 whose results came in lately. One query."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from people.home import HomeSection
from people.models import User

from .selectors import home_three_sixties

# people.home's table: asks are timely (they close), so they come after what is new on your journal and before
# the prompts waiting for you.
HOME_PRIORITY = 28
RESULTS_FRESH = timedelta(days=14)


def threesixty_section(user: User) -> HomeSection | None:
    found = home_three_sixties(user, fresh_since=timezone.now() - RESULTS_FRESH)
    asks = [t for t in found if t.leader_id != user.pk][:5]
    ready = next((t for t in found if t.leader_id == user.pk), None)
    if not asks and ready is None:
        return None
    if len(asks) == 1:
        title = f"{asks[0].leader.get_short_name()} asked for your feedback"
    elif asks:
        title = "People asked for your feedback"
    else:
        title = "Your 360 has closed"
    return HomeSection(
        key="feedback.threesixty", title=title, template="feedback/threesixty/home_section.html",
        context={"asks": asks, "ready": ready},
    )
