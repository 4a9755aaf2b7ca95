"""Writes of growth: the person's own profile and feeling about leading, suggestions from their supervisor and the
person's answer, stretch opportunities offered, answered and done. Each checks who may do it (the views only
find the object through the selectors' rules first)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from people.models import User
from teams.strength_services import StrengthError, strengths_add
from teams.strengths import Strength

from ..models import (
    Feeling,
    GrowthArea,
    GrowthProfile,
    GrowthSuggestion,
    StretchKind,
    StretchOpportunity,
)
from ..selectors.growth import is_supervisor_of, may_mark_done, may_offer_to, team_for_offer

LINES_MAX = GrowthProfile._meta.get_field("hopes").max_length
SUGGESTION_MAX = GrowthSuggestion._meta.get_field("text").max_length
WORDS_MAX = StretchOpportunity._meta.get_field("words").max_length


class GrowthError(Exception):
    """A request that breaks a rule of growth; the message is shown to the person as it is."""


def _clean_lines(text: str, *, what: str, limit: int = LINES_MAX) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\x00", "").splitlines()]
    text = "\n".join(line for line in lines if line)
    if len(text) > limit:
        raise GrowthError(f"Keep your {what} to {limit} characters or fewer.")
    return text


def _profile_for_update(person: User) -> GrowthProfile:
    profile, _ = GrowthProfile.objects.select_for_update().get_or_create(person=person)
    return profile


# --- The person's own profile


@transaction.atomic
def growth_profile_save(*, person: User, hopes: str, growth_edges: str) -> GrowthProfile:
    """`person`'s hopes and growth edges, in their words (one a line). Only the person calls this."""
    hopes = _clean_lines(hopes, what="hopes")
    growth_edges = _clean_lines(growth_edges, what="growth edges")
    profile = _profile_for_update(person)
    profile.hopes, profile.growth_edges = hopes, growth_edges
    profile.save()
    return profile


@transaction.atomic
def leading_feeling_set(*, person: User, feeling: str, shown_to_supervisor: bool) -> GrowthProfile:
    """How `person` feels about leading ("" to say nothing), and whether their supervisor sees it."""
    if feeling and feeling not in Feeling.values:
        raise GrowthError("Choose how you feel about leading from the list.")
    profile = _profile_for_update(person)
    profile.feeling, profile.feeling_shown_to_supervisor = feeling, shown_to_supervisor and bool(feeling)
    profile.save()
    return profile


# --- Suggestions: a supervisor suggests, the person accepts (it is added) or declines


@transaction.atomic
def suggestion_make(*, person: User, by: User, area: str, text: str = "", strength: str = "") -> GrowthSuggestion:
    if not is_supervisor_of(by, person):
        raise GrowthError("Only their supervisor can suggest an addition to someone's growth profile.")
    if area not in GrowthArea.values:
        raise GrowthError("Choose where your suggestion goes: strengths, hopes or growth edges.")
    text = " ".join(text.replace("\x00", "").split())
    if len(text) > SUGGESTION_MAX:
        raise GrowthError(f"Keep a suggestion to {SUGGESTION_MAX} characters or fewer.")
    if strength and (area != GrowthArea.STRENGTH or strength not in Strength.values):
        raise GrowthError("A strength from the list goes with strengths only.")
    if not text and not strength:
        raise GrowthError("Write your suggestion" + (", or pick a strength from the list." if area == "strength"
                                                      else "."))
    return GrowthSuggestion.objects.create(person=person, suggested_by=by, area=area, text=text, strength=strength)


def _append(existing: str, line: str, *, what: str) -> str:
    return _clean_lines(f"{existing}\n{line}" if existing else line, what=what)


@transaction.atomic
def suggestion_answer(*, suggestion: GrowthSuggestion, person: User, accept: bool) -> GrowthSuggestion:
    """The person adds the suggestion to their profile (or their strengths) or declines it. Answered once."""
    suggestion = GrowthSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.person_id != person.pk:
        raise GrowthError("Only the person it is about can answer a suggestion.")
    if suggestion.status != GrowthSuggestion.Status.WAITING:
        raise GrowthError("You have answered this suggestion already.")
    if accept:
        if suggestion.area == GrowthArea.STRENGTH:
            try:
                strengths_add(user=person, pick=suggestion.strength, words=suggestion.text)
            except StrengthError as error:
                raise GrowthError(f"{error} Make some room in your strengths first.") from error
        else:
            profile = _profile_for_update(person)
            if suggestion.area == GrowthArea.HOPE:
                profile.hopes = _append(profile.hopes, suggestion.text, what="hopes")
            else:
                profile.growth_edges = _append(profile.growth_edges, suggestion.text, what="growth edges")
            profile.save()
    suggestion.status = GrowthSuggestion.Status.ACCEPTED if accept else GrowthSuggestion.Status.DECLINED
    suggestion.answered_at = timezone.now()
    suggestion.save(update_fields=["status", "answered_at"])
    return suggestion


# --- Stretch opportunities


@transaction.atomic
def stretch_offer(*, person: User, by: User, kind: str, words: str = "") -> StretchOpportunity:
    """`by` (the person's supervisor, or a lead of a team they are in) offers `person` a stretch."""
    if person.pk == by.pk or not may_offer_to(by, person):
        raise GrowthError("You can offer a stretch to the people you supervise and the people in a team you lead.")
    if kind not in StretchKind.values:
        raise GrowthError("Choose a stretch from the list, or write your own.")
    words = _clean_lines(words, what="words", limit=WORDS_MAX)
    if kind == StretchKind.OWN and not words:
        raise GrowthError("Say what the stretch is, in your own words.")
    return StretchOpportunity.objects.create(
        person=person, offered_by=by, kind=kind, words=words, team=team_for_offer(by=by, person=person),
    )


@transaction.atomic
def stretch_answer(*, opportunity: StretchOpportunity, person: User, accept: bool) -> StretchOpportunity:
    opportunity = StretchOpportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.person_id != person.pk:
        raise GrowthError("Only the person it was offered to can answer it.")
    if opportunity.status != StretchOpportunity.Status.OFFERED:
        raise GrowthError("You have answered this one already.")
    opportunity.status = StretchOpportunity.Status.ACCEPTED if accept else StretchOpportunity.Status.DECLINED
    opportunity.answered_at = timezone.now()
    opportunity.save(update_fields=["status", "answered_at"])
    return opportunity


@transaction.atomic
def stretch_done(*, opportunity: StretchOpportunity, by: User) -> StretchOpportunity:
    """The person, or whoever offered it, marks an accepted stretch done."""
    opportunity = StretchOpportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status == StretchOpportunity.Status.DONE:
        return opportunity
    if not may_mark_done(by, opportunity):
        raise GrowthError("Only an accepted stretch can be marked done, by the person or whoever offered it.")
    opportunity.status, opportunity.done_at, opportunity.done_by = StretchOpportunity.Status.DONE, timezone.now(), by
    opportunity.save(update_fields=["status", "done_at", "done_by"])
    return opportunity
