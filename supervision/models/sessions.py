"""Who supervises whom, sessions, agenda items, the co-written record (versions, agreement) and actions.

Supervision is the line relationship (an admin sets it), not mentoring (chosen support, people.MentorPairing).
What is said in supervision belongs to the two people in it: the supervisee always, the supervisor while the
relationship is current (supervision.selectors.sessions). Admins see dates and whether a record is agreed, never
what it says.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import models
from django.utils import timezone

from people.models import User

__all__ = [
    "Action", "AgendaItem", "CheckIn", "RecordAgreement", "RecordVersion", "Relationship", "Session",
    "SessionEmail", "SupervisionSettings",
]


class Relationship(models.Model):
    """`supervisor` supervises `supervisee` from `starts_on` until `ends_on` (open-ended when empty).

    History is kept: ending a relationship sets `ends_on`, never deletes. A supervisee normally has one current
    supervisor (the service ends the current one when asked to); a supervisor may have many supervisees.
    """

    supervisor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="supervisee_relationships")
    supervisee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="supervisor_relationships")
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(supervisor=models.F("supervisee")), name="supervision_not_self"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="supervision_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["supervisor", "supervisee"], condition=models.Q(ends_on__isnull=True),
                name="supervision_one_open_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["supervisor", "ends_on"]), models.Index(fields=["supervisee", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.supervisee} ← {self.supervisor}"

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on > on)


class SupervisionSettings(models.Model):
    """How often the organisation means people to have supervision: one row per schema (the key is always 1)."""

    class Frequency(models.IntegerChoices):
        FOUR = 4, "Every 4 weeks"
        SIX = 6, "Every 6 weeks"
        EIGHT = 8, "Every 8 weeks"

    singleton = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    frequency_weeks = models.PositiveSmallIntegerField(choices=Frequency.choices, default=Frequency.SIX)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "supervision settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=1), name="supervision_settings_one_row"),
        ]

    def __str__(self) -> str:
        return "Supervision settings"


class Session(models.Model):
    """One supervision conversation, at `starts_at` (stored in UTC, shown in the organisation's time zone).

    `version` is the number of the record's latest version (0: nothing written yet) and `agreed_at` is set when
    both people have agreed that version: both are kept by the record's services under a lock on this row, so a
    save based on an older version is refused, and the admin's evidence page reads them without touching content.
    `uid` names the calendar entry for good; `sequence` grows with each reschedule, so calendars update it.
    """

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    place = models.CharField(max_length=200, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    agreed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["relationship", "starts_at"]), models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"Supervision session {self.pk}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class CheckIn(models.Model):
    """The supervisee's answer to "How are you, really?" at the start of a session. Shown to the supervisor only
    when `shared` (the supervisee chooses)."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="checkin")
    text = models.TextField()
    shared = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Check-in for session {self.session_id}"


class AgendaItem(models.Model):
    """"What I want to talk about", added before a session by either person (the supervisee's come first)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Agenda item {self.pk}"


class RecordVersion(models.Model):
    """One version of a session's record, written together: every save makes the next number, so who changed
    what and when is kept, and agreement belongs to one version."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="record_versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="supervision_record_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Record version {self.number} of session {self.session_id}"


class RecordAgreement(models.Model):
    """`person` agreed this version of the record."""

    version = models.ForeignKey(RecordVersion, on_delete=models.CASCADE, related_name="agreements")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "person"], name="supervision_agreement_once"),
        ]

    def __str__(self) -> str:
        return f"Agreement by {self.person_id} to version {self.version_id}"


class Action(models.Model):
    """Something one of the two will do, agreed in `session`. The next session opens with the open ones ("Last
    time we agreed…"): each is marked done, carried on (a new action in that session, `carried_from` this one)
    or let go."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CARRIED = "carried", "Carried on"
        LET_GO = "let_go", "Let go"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=500)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    carried_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    reviewed_in = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewed_actions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"Action {self.pk}"


class SessionEmail(models.Model):
    """An email about a session owed to one person: the invitation (with its calendar file), an update after a
    reschedule, a cancellation, or the reminder the day before. The row is the work (written in the transaction
    that made it due), so nothing is lost when Redis is down; `sent_at` is claimed before sending, so each goes
    once. One row per session, person, kind and calendar sequence."""

    class Kind(models.TextChoices):
        INVITE = "invite", "Invitation"
        UPDATE = "update", "New time or place"
        CANCEL = "cancel", "Cancelled"
        REMINDER = "reminder", "Reminder"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="emails")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person", "kind", "sequence"], name="supervision_email_once"
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} email for session {self.session_id}"
