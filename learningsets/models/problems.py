"""A team's shared list of recurring problems, with the whys the team explored together.

A `RecurringProblem` is the thing that goes wrong at every handover, kept by the team that meets it: its steps are
the Five whys (reflections.five_whys: the problem, why1 to why5, the root reached and the change being tried, one
column per step key), with an optional owner (someone who offered to keep it moving, never someone to blame), a day
to look again, and where it stands. Names are never needed, so nothing here requires one. The history is kept
lightly: who last changed it and when, and a version number so that two people editing at once never silently
overwrite each other. Who sees what lives once, in `learningsets.problems_selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from teams.models import Team

__all__ = ["ProblemStatus", "RecurringProblem"]


class ProblemStatus(models.TextChoices):
    EXPLORING = "exploring", "Being explored"
    TRYING = "trying", "Trying a change"
    SETTLED = "settled", "Settled: it has stopped coming back"


class RecurringProblem(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="recurring_problems")
    title = models.CharField(max_length=160)
    status = models.CharField(max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.EXPLORING)
    # The Five whys, one column per step key of reflections.five_whys.FIVE_WHYS.
    problem = models.TextField(blank=True)
    why1 = models.TextField(blank=True)
    why2 = models.TextField(blank=True)
    why3 = models.TextField(blank=True)
    why4 = models.TextField(blank=True)
    why5 = models.TextField(blank=True)
    root = models.TextField(blank=True)
    action = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    look_again_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["team", "status"], name="problem_team_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ProblemStatus.values), name="problem_status_known"),
        ]

    def __str__(self) -> str:
        return f"Recurring problem {self.pk}"  # never the title: it is the team's own words

    @property
    def is_open(self) -> bool:
        return self.status != ProblemStatus.SETTLED
