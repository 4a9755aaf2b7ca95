"""Teams of an organisation: a floor of a care home, a home-care branch, a supported-living service, a night team.

A person may be in several teams. A membership runs from `starts_on` until `ends_on` (open-ended when empty), like
a mentor pairing, so history is kept: who was in the team when is never rewritten. A lead is a member marked
`is_lead`; a change of part ends one membership and starts the next.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


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
