"""The strengths a person can pick from, and which of them complement each other. Defined once, here: the edit form,
the team's strengths map, its pairing suggestions and the growth profile in `supervision` all read these.

A person's own words sit beside the picks (`StrengthProfile.own_words`); nothing here ranks or scores anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Strength(models.TextChoices):
    IDEAS = "ideas", "Ideas"
    GETTING_THINGS_DONE = "done", "Getting things done"
    CALM_IN_A_CRISIS = "calm", "Calm in a crisis"
    CONNECTING_WITH_FAMILIES = "families", "Connecting with families"
    EYE_FOR_DETAIL = "detail", "Eye for detail"
    TEACHING_OTHERS = "teaching", "Teaching others"
    LISTENING = "listening", "Listening, really listening"
    NOTICING = "noticing", "Noticing when someone isn't themselves"
    BRINGING_PEOPLE_TOGETHER = "together", "Bringing people together"
    LIFTING_SPIRITS = "spirits", "Lifting spirits on a hard day"
    SPEAKING_UP = "speaking_up", "Speaking up for people"
    STEADY_ROUTINES = "routines", "Keeping routines steady"


@dataclass(frozen=True)
class Complement:
    """Two strengths that do more together than apart, and why, in a line the team page shows."""

    first: Strength
    second: Strength
    why: str


# The one list of complementary pairs (the ideas person and the implementer, and a few more from care work).
COMPLEMENTS: tuple[Complement, ...] = (
    Complement(Strength.IDEAS, Strength.GETTING_THINGS_DONE,
               "the ideas person and the implementer: one sees what could change, the other makes it happen"),
    Complement(Strength.NOTICING, Strength.CALM_IN_A_CRISIS,
               "one spots trouble early, the other keeps everyone steady when it comes"),
    Complement(Strength.CONNECTING_WITH_FAMILIES, Strength.EYE_FOR_DETAIL,
               "warmth with families, and care that the details families notice are right"),
    Complement(Strength.TEACHING_OTHERS, Strength.IDEAS,
               "a new way of doing things, and someone to help everyone learn it"),
    Complement(Strength.SPEAKING_UP, Strength.LISTENING,
               "one hears what people need, the other makes sure it is heard"),
    Complement(Strength.BRINGING_PEOPLE_TOGETHER, Strength.STEADY_ROUTINES,
               "a team that pulls together, on days that run to a steady rhythm"),
)

LABELS: dict[str, str] = dict(Strength.choices)


def labels_of(picks: list[str] | tuple[str, ...]) -> list[str]:
    """The words of `picks`, in the list's order; an unknown value (a choice since removed) is left out."""
    chosen = set(picks)
    return [label for value, label in Strength.choices if value in chosen]
