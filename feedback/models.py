"""Anonymous feedback: one engine and the two instruments built on it.

The engine (`Round`, `Answer`, `Respondent`, `FeedbackSettings`) knows nothing about teams or leaders, and an
`Answer` knows nothing about anyone:

- `Answer` holds the round, the ratings and an optional comment. No person, no invitation, no time (not even the
  day), no address, and a random primary key, so neither its id nor a timestamp can be lined up with who answered
  when. Following its foreign keys leads to `Round` and stops: a round points at nobody (the instruments point
  at it, not the other way round). `tests/feedback/test_anonymity.py` reads the schema to hold this.
- `Respondent` says only that a person was asked and whether they have answered (to stop double answers and to
  remind the ones who haven't). It has no time of answering.
- When a round closes, the engine counts the answers into `Round.results` and deletes them: what remains are the
  counts per statement and the comments in random order, frozen. A later change of membership never recomputes
  them, and a round that closed below k keeps only the fact that it did.

The instruments: `PulseRound` (a team's psychological-safety pulse) and `ThreeSixty` (a leader's four-behaviour
360) each point at their round. The rules live in `feedback.engine`; the words in `feedback.instruments`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from teams.models import Team

# The lowest k an organisation may have for each instrument; it may raise them, never lower them.
PULSE_MIN_K = 5
THREE_SIXTY_MIN_K = 3


class Instrument(models.TextChoices):
    PULSE = "pulse", "Team pulse"
    THREE_SIXTY = "360", "Four-behaviour 360"


class FeedbackSettings(models.Model):
    """One row per organisation: how many answers a round needs before anything of it shows."""

    singleton = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    pulse_k = models.PositiveSmallIntegerField(
        "answers a pulse needs", default=PULSE_MIN_K,
        help_text=f"At least {PULSE_MIN_K}. Fewer answers and a pulse shows nothing.",
    )
    three_sixty_k = models.PositiveSmallIntegerField(
        "answers a 360 needs", default=THREE_SIXTY_MIN_K,
        help_text=f"At least {THREE_SIXTY_MIN_K}. Fewer answers and a 360 shows nothing.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "feedback settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=1), name="feedback_settings_singleton"),
            models.CheckConstraint(condition=models.Q(pulse_k__gte=PULSE_MIN_K), name="feedback_pulse_k_min"),
            models.CheckConstraint(
                condition=models.Q(three_sixty_k__gte=THREE_SIXTY_MIN_K), name="feedback_360_k_min"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback settings (pulse k={self.pulse_k}, 360 k={self.three_sixty_k})"


class Round(models.Model):
    """One round of questions. Points at no person and no team: the instruments point at it."""

    instrument = models.CharField(max_length=10, choices=Instrument.choices)
    # The statements as they were asked, frozen at opening: [{"key", "text", "reverse", "group"}, ...].
    statements = models.JSONField()
    scale = models.PositiveSmallIntegerField(help_text="Points on the rating scale (1 to scale).")
    k = models.PositiveSmallIntegerField(help_text="Answers needed before anything shows; fixed at opening.")
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answer_count = models.PositiveIntegerField(default=0)
    # Written once, when the round closes (feedback.engine.round_close); never recomputed.
    results = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(k__gte=1), name="round_k_positive"),
            models.CheckConstraint(condition=models.Q(scale__gte=2), name="round_scale_two_or_more"),
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opened_at")), name="round_closes_later"),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True, results__isnull=True)
                | models.Q(closed_at__isnull=False, results__isnull=False),
                name="round_results_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["closed_at", "closes_at"])]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} round {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Answer(models.Model):
    """One person's answers to a round, with nothing that could lead back to them (see the module's docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    scores = ArrayField(models.PositiveSmallIntegerField(), help_text="One rating per statement, 1 to the scale.")
    comment = models.TextField(blank=True, max_length=1000)

    class Meta:
        # No ordering: answers have no order worth keeping.
        constraints = [
            models.CheckConstraint(condition=~models.Q(scores=[]), name="answer_scores_not_empty"),
        ]

    def __str__(self) -> str:
        return f"An answer to round {self.round_id}"


class Respondent(models.Model):
    """Someone asked to answer a round, and whether they have: never which answer is theirs.

    A member of the organisation has `user`; a 360 rater without an account has `email` and a single-use link
    (`token_hash`, expiring at `expires_at`).
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback_asks"
    )
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    answered = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(email=""), name="respondent_user_or_email"
            ),
            models.UniqueConstraint(
                fields=["round", "user"], condition=models.Q(user__isnull=False), name="respondent_once_per_user"
            ),
            models.UniqueConstraint(
                "round", Lower("email"), condition=~models.Q(email=""), name="respondent_once_per_email"
            ),
        ]
        indexes = [models.Index(fields=["user", "answered"])]

    def __str__(self) -> str:
        return f"Asked in round {self.round_id}"


class PulseRhythm(models.TextChoices):
    NONE = "", "Only when opened by hand"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class PulseSchedule(models.Model):
    """A team's pulse rhythm: the beat opens a round on `next_opens_on`, open for `days_open` days."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="pulse_schedule")
    rhythm = models.CharField(max_length=10, choices=PulseRhythm.choices, blank=True, default=PulseRhythm.NONE)
    days_open = models.PositiveSmallIntegerField(default=7)
    next_opens_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days_open__gte=1, days_open__lte=28), name="pulse_days_open_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Pulse rhythm of {self.team}: {self.get_rhythm_display()}"


class PulseRound(models.Model):
    """A psychological-safety pulse of one team. Its results belong to the team: every member sees them."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="pulse")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="pulse_rounds")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-round__opened_at", "-id"]

    def __str__(self) -> str:
        return f"Pulse of {self.team} (round {self.round_id})"


class ThreeSixty(models.Model):
    """A leader's four-behaviour 360. Results go to the leader alone, and to a mentor they share them with."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="three_sixty")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="three_sixties")

    class Meta:
        ordering = ["-round__opened_at", "-id"]

    def __str__(self) -> str:
        return f"360 of {self.leader} (round {self.round_id})"


class ThreeSixtyShare(models.Model):
    """The leader shared the summary of a closed 360 with a mentor (seen while the pairing is current)."""

    three_sixty = models.ForeignKey(ThreeSixty, on_delete=models.CASCADE, related_name="shares")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-shared_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["three_sixty", "mentor"], name="three_sixty_share_once"),
        ]

    def __str__(self) -> str:
        return f"{self.three_sixty} shared with {self.mentor}"
