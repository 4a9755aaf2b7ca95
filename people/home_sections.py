"""The home page section `people` itself fills in (registered in `PeopleConfig.ready()`; see `people.home`)."""

from __future__ import annotations

from django.utils import timezone

from . import selectors
from .home import HomeSection
from .models import User

ADMIN_ACTIONS_PRIORITY = 50


def admin_actions_section(user: User) -> HomeSection | None:
    """For admins: the welcome checklist until every step is done, and invitations nobody has taken up."""
    if not user.is_org_admin:
        return None
    checklist = selectors.welcome_checklist(user)
    show_checklist = not all(checklist.values())
    invitations, invitation_count = selectors.invitations_to_resend()
    return HomeSection(
        key="people.actions", title="Waiting for you" if show_checklist or invitations else "Your organisation",
        template="people/home/actions.html",
        context={
            "checklist": checklist, "show_checklist": show_checklist, "invitations": invitations,
            "invitation_count": invitation_count, "now": timezone.now(),
        },
        empty=not (show_checklist or invitations),
    )
