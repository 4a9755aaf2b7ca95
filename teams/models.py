"""Teams of an organisation: a floor of a care home, a home-care branch, a supported-living service, a night team.

A person may be in several teams. A membership runs from `starts_on` until `ends_on` (open-ended when empty), like
a mentor pairing, so history is kept: who was in the team when is never rewritten. A lead is a member marked
`is_lead`; a change of part ends one membership and starts the next.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .strengths import Strength, labels_of


class Team(models.Model):
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True, help_text="What and where the team is, in a line.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = [Lower("name"), "id"]
        constraints = [
            # Two live teams never share a name (an archived one may: "Night team" can come back).
            models.UniqueConstraint(
                Lower("name"), condition=models.Q(archived_at__isnull=True), name="team_live_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    is_lead = models.BooleanField(default=False)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            ),
            # One open membership per person and team at a time.
            models.UniqueConstraint(
                fields=["team", "user"], condition=models.Q(ends_on__isnull=True), name="membership_one_open"
            ),
        ]
        indexes = [models.Index(fields=["team", "ends_on"]), models.Index(fields=["user", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}" + (" (lead)" if self.is_lead else "")

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on > on)


class StrengthProfile(models.Model):
    """What a person says they bring: picks from `teams.strengths.Strength` and their own words. Theirs alone to
    change. Their teams see it only when `shown_to_team` (off until they choose: describing yourself is personal,
    and nobody should find their words on a team page before they meant them to be there). The growth profile in
    `supervision` reads the same row, for the person and their current supervisor."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="strengths")
    picks = ArrayField(models.CharField(max_length=20, choices=Strength.choices), default=list, blank=True)
    own_words = models.TextField(max_length=600, blank=True)
    shown_to_team = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Strengths of {self.user}"

    @property
    def labels(self) -> list[str]:
        return labels_of(self.picks)

    @property
    def is_empty(self) -> bool:
        return not self.picks and not self.own_words.strip()
