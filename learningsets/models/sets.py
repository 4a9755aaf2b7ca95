"""Sets, members and their agreement, meetings, presenters, briefs, questions, actions, attendance.

A set is a small group of peers (4 to 8 members) and a facilitator, who may also be a member. Everyone in it has a
`SetMember` row: invited, then accepted (the confidentiality agreement, its version kept), and maybe ended (left,
removed or declined). Only an open row that has been accepted lets anyone see anything of the set: that rule lives
once, in `learningsets.selectors.access`.

A meeting has one presenter, their brief, the set's open questions to them, the action they commit to and, at the
next meeting, their report back on it (kept beside the action it reports on). Attendance is recorded per person;
attended meetings count towards the CPD record with the meeting's minutes.

`MeetingEmail` is the delivery of one email about one meeting to one person (the invitation with its `.ics`, an
update, a cancellation, the reminder the day before, the report-back reminder): one row per person, meeting, kind and
calendar sequence, so nothing is ever sent twice, and a row not yet sent is the relay's to send.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from teams.models import Team

MIN_MEMBERS = 4
MAX_MEMBERS = 8
RHYTHM_WEEKS = (4, 5, 6)

__all__ = [
    "MAX_MEMBERS", "MIN_MEMBERS", "RHYTHM_WEEKS", "Attendance", "EmailKind", "EndedHow", "LearningSet", "Meeting",
    "MeetingEmail", "Question", "SetMember",
]


class LearningSet(models.Model):
    name = models.CharField(max_length=120)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="learning_sets",
        help_text="The team the set is drawn from, if it is.",
    )
    rhythm_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Meet every so many weeks (4 to 6); empty when meetings are booked by date."
    )
    meeting_minutes = models.PositiveSmallIntegerField(default=120, help_text="How long a meeting usually runs.")
    place = models.CharField(max_length=200, blank=True, help_text="Where the set usually meets.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [Lower("name"), "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rhythm_weeks__isnull=True) | models.Q(rhythm_weeks__in=RHYTHM_WEEKS),
                name="learningset_rhythm_weeks",
            ),
            models.CheckConstraint(
                condition=models.Q(meeting_minutes__gte=15, meeting_minutes__lte=480),
                name="learningset_meeting_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EndedHow(models.TextChoices):
    LEFT = "left", "Left"
    REMOVED = "removed", "Removed by the facilitator"
    DECLINED = "declined", "Declined the invitation"
    HANDED_OVER = "handed", "Stepped out when someone else was appointed to facilitate"


class SetMember(models.Model):
    """Someone in a set: a member (presents and asks), the facilitator, or both."""

    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_set_memberships"
    )
    is_member = models.BooleanField(default=True, help_text="Takes part: presents and asks questions.")
    is_facilitator = models.BooleanField(default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    invite_emailed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    agreement_version = models.CharField(max_length=20, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_how = models.CharField(max_length=10, choices=EndedHow.choices, blank=True)

    class Meta:
        ordering = ["learning_set", "-is_facilitator", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_member=True) | models.Q(is_facilitator=True), name="setmember_has_a_part"
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | ~models.Q(agreement_version=""),
                name="setmember_accepted_a_version",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True, ended_how="")
                | (models.Q(ended_at__isnull=False) & ~models.Q(ended_how="")),
                name="setmember_ended_says_how",
            ),
            # One open place per person and set; one facilitator at a time.
            models.UniqueConstraint(
                fields=["learning_set", "user"], condition=models.Q(ended_at__isnull=True),
                name="setmember_one_open",
            ),
            models.UniqueConstraint(
                fields=["learning_set"], condition=models.Q(ended_at__isnull=True, is_facilitator=True),
                name="setmember_one_facilitator",
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.learning_set}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def has_accepted(self) -> bool:
        return self.accepted_at is not None and self.ended_at is None


class Meeting(models.Model):
    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=120)
    place = models.CharField(max_length=200, blank=True)
    # The calendar's identity of this meeting (UID) and how many times it changed (SEQUENCE).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The presenter's brief: free text, or the parts of a journal template (brief_template names it).
    brief = models.TextField(blank=True, max_length=3000)
    brief_template = models.CharField(max_length=40, blank=True)
    brief_parts = models.JSONField(default=dict, blank=True)
    brief_posted_at = models.DateTimeField(null=True, blank=True)
    # The action the presenter commits to, and their report back on it at the next meeting.
    action = models.TextField(blank=True, max_length=1000)
    action_recorded_at = models.DateTimeField(null=True, blank=True)
    report = models.TextField(blank=True, max_length=2000)
    reported_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=15, minutes__lte=480), name="meeting_minutes_range"
            ),
        ]
        indexes = [models.Index(fields=["learning_set", "starts_at"]), models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.learning_set} on {self.starts_at:%Y-%m-%d}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Question(models.Model):
    """An open question to the meeting's presenter."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["meeting", "created_at"])]

    def __str__(self) -> str:
        return f"A question in {self.meeting}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="set_attendance")
    attended = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once")]
        indexes = [models.Index(fields=["user", "attended"])]

    def __str__(self) -> str:
        return f"{self.user} at {self.meeting}: {'attended' if self.attended else 'away'}"


class EmailKind(models.TextChoices):
    INVITE = "invite", "Meeting invitation"
    UPDATE = "update", "Meeting changed"
    CANCEL = "cancel", "Meeting cancelled"
    REMINDER = "reminder", "Reminder the day before"
    REPORT_BACK = "report_back", "Report-back reminder"


class MeetingEmail(models.Model):
    """One email about one meeting to one person; never more than one per kind and calendar sequence."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="emails")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=EmailKind.choices)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Claimed (set and committed) before sending: a task run twice sends once. Released if the mail server refuses.
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "kind", "sequence"], name="meeting_email_once"
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user_id} for {self.meeting_id}"
