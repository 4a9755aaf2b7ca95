"""A person's growth profile and suggestions to it, how they feel about leading, stretch opportunities.

Everything here is about one person, and that person sees all of it, always: there are no private notes about
anyone and no talent lists (DESIGN.md). Their strengths are not here: they live in `teams` (`StrengthProfile`), one
list that the team page and the growth profile both read.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from people.models import User
from teams.models import Team
from teams.strengths import Strength

__all__ = ["Feeling", "GrowthArea", "GrowthProfile", "GrowthSuggestion", "StretchKind", "StretchOpportunity"]


class Feeling(models.TextChoices):
    """How a person feels about leading, in their own estimate (never anyone else's)."""

    NOT_NOW = "not_now", "Not now"
    CURIOUS = "curious", "Curious"
    READY = "ready", "Ready to try"


class GrowthProfile(models.Model):
    """What `person` hopes for and where they are stretching, in their words; owned and edited by them. Their current
    supervisor reads it (and may suggest additions); how they feel about leading reaches the supervisor only when
    `feeling_shown_to_supervisor`."""

    person = models.OneToOneField(User, on_delete=models.CASCADE, related_name="growth_profile")
    hopes = models.TextField(max_length=1500, blank=True)
    growth_edges = models.TextField(max_length=1500, blank=True)
    feeling = models.CharField(max_length=10, choices=Feeling.choices, blank=True)
    feeling_shown_to_supervisor = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Growth profile of {self.person}"

    @property
    def hope_lines(self) -> list[str]:
        return [line for line in self.hopes.splitlines() if line.strip()]

    @property
    def edge_lines(self) -> list[str]:
        return [line for line in self.growth_edges.splitlines() if line.strip()]


class GrowthArea(models.TextChoices):
    STRENGTH = "strength", "Strengths"
    HOPE = "hope", "Hopes"
    EDGE = "edge", "Growth edges"


class GrowthSuggestion(models.Model):
    """An addition a supervisor suggests to `person`'s profile. Nothing changes until the person accepts it (then it
    is added, in their profile or their strengths) or declines it; either way the suggestion stays, for them to
    see."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for you"
        ACCEPTED = "accepted", "Added"
        DECLINED = "declined", "Declined"

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="growth_suggestions")
    suggested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    area = models.CharField(max_length=10, choices=GrowthArea.choices)
    strength = models.CharField(max_length=20, choices=Strength.choices, blank=True)  # a pick from the list
    text = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(strength="", text=""), name="growth_suggestion_says_something"),
            models.CheckConstraint(
                condition=models.Q(strength="") | models.Q(area="strength"), name="growth_suggestion_pick_is_strength"
            ),
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"Suggestion to {self.person}: {self.what}"

    @property
    def what(self) -> str:
        pick = Strength(self.strength).label if self.strength in Strength.values else ""
        return "; ".join(part for part in (pick, self.text) if part)


class StretchKind(models.TextChoices):
    HANDOVER = "handover", "Lead a handover"
    NEW_STARTER = "new_starter", "Mentor a new starter"
    TEAM_MEETING = "team_meeting", "Chair a team meeting"
    LEARNING_SET = "learning_set", "Present at an action learning set"
    FAMILY_MEETING = "family_meeting", "Lead a family meeting, with support"
    OWN = "own", "Something else, in your own words"


class StretchOpportunity(models.Model):
    """A next step offered to `person` by their supervisor or a lead of their team. The person sees it, accepts or
    declines, and reflects on it afterwards; the person or whoever offered it marks it done. `team` is the team it
    was offered in (for the admins' counts per team), when there is one."""

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        DONE = "done", "Done"

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="stretch_opportunities")
    offered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=StretchKind.choices)
    words = models.TextField(max_length=600, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    offered_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(kind="own", words=""), name="stretch_own_words_given"),
            models.CheckConstraint(condition=~models.Q(person=models.F("offered_by")), name="stretch_not_to_self"),
        ]
        indexes = [models.Index(fields=["person", "status"]), models.Index(fields=["offered_by", "status"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.person})"

    @property
    def title(self) -> str:
        if self.kind == StretchKind.OWN:
            first = (self.words.splitlines() or [""])[0]
            return first if len(first) <= 80 else first[:79] + "…"
        return StretchKind(self.kind).label if self.kind in StretchKind.values else "A stretch"

    @property
    def detail(self) -> str:
        """The words beside a listed kind (for "own", the title already is the words)."""
        return self.words if self.kind != StretchKind.OWN else "\n".join(self.words.splitlines()[1:])
