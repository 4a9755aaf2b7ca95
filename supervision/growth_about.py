"""A journal entry "about" a stretch opportunity (reflections.about, kind "supervision.stretch"): only the person it
was offered to resolves it, once they have accepted it. Whoever else reads an entry shared with them sees no label."""

from __future__ import annotations

from django.urls import reverse

from people.models import User
from reflections.about import AboutLink, about_register

from .models import StretchOpportunity

KIND = "supervision.stretch"


def stretch_about(user: User, pk: int) -> AboutLink | None:
    opportunity = StretchOpportunity.objects.filter(
        pk=pk, person=user, status__in=[StretchOpportunity.Status.ACCEPTED, StretchOpportunity.Status.DONE],
    ).first()
    if opportunity is None:
        return None
    return AboutLink(
        label=f"Your stretch: {opportunity.title}", url=reverse("supervision:growth:opportunity", args=[pk]),
        title=f"Reflecting on: {opportunity.title}",
        prompt="What did you try, and what happened? What did you notice about yourself leading, and what would "
               "you do differently next time?",
    )


def about_links_register() -> None:
    about_register(KIND, stretch_about)
