"""A journal entry "about" a 360 (reflections.about): what the link says, and to whom.

Kinds: "feedback.360" (the 360 as a whole) and "feedback.360.<behaviour>" (where the leader's view and others'
differ most: the entry starts with that behaviour ticked and a question about it). Only the 360's leader resolves
it: a mentor reading an entry shared with them sees no label unless they could see the 360 anyway, and even then
the summary is reached through the 360's own rules, not through the entry.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.formats import date_format

from courses.models import Behaviour
from people.models import User
from reflections.about import AboutLink, about_new_entry_url, about_register

from ..models import ThreeSixty
from .selectors import three_sixties_of

KIND = "feedback.360"


def _label(three_sixty: ThreeSixty) -> str:
    return f"Your 360 of {date_format(three_sixty.round.opened_at, 'F Y')}"


def _resolver(behaviour: str = "") -> Callable:
    def resolve(user: User, pk: int) -> AboutLink | None:
        three_sixty = three_sixties_of(user).filter(pk=pk, round__closed_at__isnull=False).first()
        if three_sixty is None:
            return None
        label = dict(Behaviour.choices).get(behaviour, "").lower()
        return AboutLink(
            label=_label(three_sixty), url=reverse("feedback:threesixty:detail", args=[pk]),
            title=f"What my 360 told me about {label}" if label else "What my 360 told me",
            prompt=(
                f"Where do you and the people around you see your {label} differently? What might they notice "
                "that you don't, or you that they don't?" if label else
                "What surprised you in what people said, and what rang true?"
            ),
            behaviours=(behaviour,) if behaviour else (),
        )

    return resolve


def about_links_register() -> None:
    about_register(KIND, _resolver())
    for behaviour in Behaviour.values:
        about_register(f"{KIND}.{behaviour}", _resolver(behaviour))


def reflect_url(three_sixty: ThreeSixty, behaviour: str = "") -> str:
    """A new journal entry about this 360 (and the behaviour where views differ most)."""
    return about_new_entry_url(f"{KIND}.{behaviour}" if behaviour else KIND, three_sixty.pk)
