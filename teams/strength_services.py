"""Writes on a person's strengths (`StrengthProfile`). Only the person changes their own; `strengths_add` is how an
accepted suggestion from their supervisor (in `supervision`) lands here, so there is one list of strengths."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from people.models import User

from .models import StrengthProfile
from .strengths import Strength

OWN_WORDS_MAX = StrengthProfile._meta.get_field("own_words").max_length


class StrengthError(Exception):
    """A request that breaks a rule of strengths; the message is shown to the person as it is."""


def _clean_picks(picks: Iterable[str]) -> list[str]:
    chosen = set(picks)
    unknown = chosen - set(Strength.values)
    if unknown:
        raise StrengthError("Choose strengths from the list, or put them in your own words.")
    return [value for value in Strength.values if value in chosen]  # the list's order, each once


def _clean_words(words: str) -> str:
    lines = [" ".join(line.split()) for line in words.replace("\x00", "").splitlines()]
    words = "\n".join(line for line in lines if line)
    if len(words) > OWN_WORDS_MAX:
        raise StrengthError(f"Keep your own words to {OWN_WORDS_MAX} characters or fewer.")
    return words


@transaction.atomic
def strengths_save(*, user: User, picks: Iterable[str], own_words: str, shown_to_team: bool) -> StrengthProfile:
    """`user`'s strengths as they describe them now, and whether their teams see them."""
    picks, own_words = _clean_picks(picks), _clean_words(own_words)
    profile, _ = StrengthProfile.objects.select_for_update().get_or_create(user=user)
    profile.picks, profile.own_words, profile.shown_to_team = picks, own_words, shown_to_team
    profile.save()
    return profile


@transaction.atomic
def strengths_add(*, user: User, pick: str = "", words: str = "") -> StrengthProfile:
    """Add one pick (if not there yet) or a line of words to `user`'s strengths; whether their team sees them stays
    as they chose."""
    profile, _ = StrengthProfile.objects.select_for_update().get_or_create(user=user)
    if pick:
        profile.picks = _clean_picks([*profile.picks, pick])
    if words.strip():
        profile.own_words = _clean_words(f"{profile.own_words}\n{words}" if profile.own_words else words)
    profile.save()
    return profile
