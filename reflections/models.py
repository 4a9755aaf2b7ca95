"""Private reflective journals, sharing with a mentor, conversations and in-app notifications.

Every read of journal content goes through `reflections.selectors`; every write through
`reflections.services`. Nothing here is registered with the Django admin.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from courses.models import Behaviour, Source

from .five_whys import FIVE_WHYS, journal_field


class EntryTemplate(models.TextChoices):
    FREE = "free", "Free writing"
    GIBBS = "gibbs", "Gibbs' reflective cycle"
    WHAT = "what-so-what-now-what", "What? So what? Now what?"
    FIVE_WHYS = "five-whys", "Five whys"


# The sections of each structured template: (field name, label, hint). Free writing uses `body`.
SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    EntryTemplate.FREE: [("body", "Your reflection", "Write freely.")],
    EntryTemplate.GIBBS: [
        ("gibbs_description", "Description", "What happened? Describe the situation, not the people."),
        ("gibbs_feelings", "Feelings", "What were you thinking and feeling at the time?"),
        ("gibbs_evaluation", "Evaluation", "What went well, and what was harder?"),
        ("gibbs_analysis", "Analysis", "What sense can you make of it? What might sit underneath?"),
        ("gibbs_conclusion", "Conclusion", "What else could you have done? What have you learned?"),
        ("gibbs_action_plan", "Action plan", "If it happened again, what would you do?"),
    ],
    EntryTemplate.WHAT: [
        ("what", "What?", "What happened? What did you notice?"),
        ("so_what", "So what?", "Why does it matter? What does it tell you?"),
        ("now_what", "Now what?", "What will you do next, or differently?"),
    ],
    # One definition of the steps, shared with the apps above (a set brief, a team's recurring problems).
    EntryTemplate.FIVE_WHYS: [(journal_field(step.key), step.label, step.hint) for step in FIVE_WHYS],
}
TEXT_FIELDS = ["body"] + [name for template in (EntryTemplate.GIBBS, EntryTemplate.WHAT, EntryTemplate.FIVE_WHYS)
                          for name, _, _ in SECTIONS[template]]


class Prompt(models.Model):
    """An invitation to reflect. Shipped prompts come from reflections/content/prompts.yaml (upserted by slug)."""

    slug = models.SlugField(max_length=100, unique=True)
    theme = models.CharField(max_length=40)
    text = models.TextField()
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SHIPPED)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["theme", "id"]

    def __str__(self) -> str:
        return self.slug


class JournalEntry(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries")
    title = models.CharField(max_length=200, blank=True)
    template = models.CharField(max_length=30, choices=EntryTemplate.choices, default=EntryTemplate.FREE)
    body = models.TextField(blank=True)
    gibbs_description = models.TextField(blank=True)
    gibbs_feelings = models.TextField(blank=True)
    gibbs_evaluation = models.TextField(blank=True)
    gibbs_analysis = models.TextField(blank=True)
    gibbs_conclusion = models.TextField(blank=True)
    gibbs_action_plan = models.TextField(blank=True)
    what = models.TextField(blank=True)
    so_what = models.TextField(blank=True)
    now_what = models.TextField(blank=True)
    # Five whys (reflections.five_whys): fw_<step key>.
    fw_problem = models.TextField(blank=True)
    fw_why1 = models.TextField(blank=True)
    fw_why2 = models.TextField(blank=True)
    fw_why3 = models.TextField(blank=True)
    fw_why4 = models.TextField(blank=True)
    fw_why5 = models.TextField(blank=True)
    fw_root = models.TextField(blank=True)
    fw_action = models.TextField(blank=True)
    behaviours = ArrayField(models.CharField(max_length=20, choices=Behaviour.choices), default=list, blank=True)
    lesson = models.ForeignKey(
        "courses.Lesson", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    prompt = models.ForeignKey(Prompt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What the entry is about in an app above this one (a 360, a supervision session): a kind that app registered
    # and its id, both or neither (reflections.about). Never a foreign key: reflections does not know those apps.
    about_kind = models.CharField(max_length=40, blank=True, default="")
    about_id = models.PositiveIntegerField(null=True, blank=True)
    is_draft = models.BooleanField(default=True)
    # A conversation brought over by an import from another organisation: shown to the author only.
    earlier_conversation = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="entry_search_gin"),
            models.Index(fields=["author", "-created_at"], name="entry_author_created"),
            models.Index(
                fields=["author", "about_kind", "about_id"], name="entry_author_about",
                condition=~models.Q(about_kind=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(template__in=EntryTemplate.values), name="entry_template_known"
            ),
            models.CheckConstraint(
                condition=models.Q(about_kind="", about_id__isnull=True)
                | (~models.Q(about_kind="") & models.Q(about_id__isnull=False)),
                name="entry_about_kind_and_id_together",
            ),
        ]

    def __str__(self) -> str:
        return f"Journal entry {self.pk}"  # never the title: it is journal text

    @property
    def display_title(self) -> str:
        return self.title or "Untitled draft"

    @property
    def has_text(self) -> bool:
        return any(text.strip() for _, _, text in self.sections())

    def sections(self) -> list[tuple[str, str, str]]:
        """(label, field name, text) of this entry's template, in order."""
        return [(label, name, getattr(self, name)) for name, label, _ in SECTIONS[self.template]]


class EntryShare(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="shares")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["shared_at", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "mentor"], name="share_once_per_mentor")]
        indexes = [models.Index(fields=["mentor", "entry"], name="share_mentor_entry")]

    def __str__(self) -> str:
        return f"Share {self.pk}"


class EntryRead(models.Model):
    """Access log: who opened a shared entry, and when. Metadata only."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-read_at", "-id"]
        indexes = [models.Index(fields=["entry", "reader", "-read_at"], name="read_entry_reader")]

    def __str__(self) -> str:
        return f"Read {self.pk}"


class Comment(models.Model):
    """One message in the conversation between an entry's author and one mentor (`mentor`).

    Each mentor an entry is shared with has a conversation of their own with the author: a mentor never reads
    what the author and another mentor said to each other.
    """

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The mentor side of the conversation (the writer, when a mentor writes). Set by the service; a row without
    # it is shown to no mentor.
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+",
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["entry", "mentor", "created_at"], name="comment_thread")]

    def __str__(self) -> str:
        return f"Comment {self.pk}"


class Acknowledgement(models.Model):
    """A mentor's gentle "I've read this"."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="acknowledgements")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "mentor"], name="acknowledge_once")]

    def __str__(self) -> str:
        return f"Acknowledgement {self.pk}"


class Notification(models.Model):
    """In-app notice. Holds who, what kind and which entry: never journal text."""

    class Kind(models.TextChoices):
        SHARED = "shared", "shared an entry with you"
        COMMENT = "comment", "replied in a conversation"
        ACKNOWLEDGED = "acknowledged", "read your entry"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Emailed one by one to leaders; mentors get a digest instead (MentorDigest). The row is the record, so an
    # email queued while Redis was down is sent by the relay once it is back.
    email_due = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"Notification {self.pk}"


class PromptFrequency(models.TextChoices):
    OFF = "off", "Off"
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every two weeks"


class PromptChannel(models.TextChoices):
    EMAIL = "email", "By email"
    APP = "app", "In Heartwood"
    BOTH = "both", "Both"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class PromptDefaults(models.Model):
    """The organisation's default rhythm for people who have not chosen their own (one row)."""

    frequency = models.CharField(max_length=20, choices=PromptFrequency.choices, default=PromptFrequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.THURSDAY)
    local_time = models.TimeField(default=time(17, 0))
    channel = models.CharField(max_length=10, choices=PromptChannel.choices, default=PromptChannel.BOTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "prompt defaults"

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} on {self.get_weekday_display()} at {self.local_time:%H:%M}"


class PromptSchedule(models.Model):
    """A leader's own rhythm. Leaders without one follow PromptDefaults in the organisation's time zone."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prompt_schedule")
    frequency = models.CharField(max_length=20, choices=PromptFrequency.choices, default=PromptFrequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.THURSDAY)
    local_time = models.TimeField(default=time(17, 0))
    time_zone = models.CharField(max_length=64, blank=True, help_text="Empty: the organisation's time zone.")
    channel = models.CharField(max_length=10, choices=PromptChannel.choices, default=PromptChannel.BOTH)
    paused_until = models.DateField(null=True, blank=True)
    # Fortnightly prompts fall in the weeks an even number of weeks from this date's week.
    anchor = models.DateField(default=timezone.localdate)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__gte=0, weekday__lte=6), name="schedule_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"Prompt rhythm of user {self.user_id}"


class PromptDelivery(models.Model):
    """One prompt for one person in one slot. Unique per person and slot: retried tasks, redelivered messages
    and racing dispatchers can never record (or send) a slot twice."""

    class EmailStatus(models.TextChoices):
        NONE = "none", "Not by email"
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prompt_deliveries")
    slot = models.DateTimeField()
    prompt = models.ForeignKey(Prompt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=10, choices=PromptChannel.choices)
    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The hash of the one-click stop link in this delivery's email (people.tokens); the link itself is only in
    # the email, and says nothing about who it is for.
    stop_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-slot"]
        constraints = [models.UniqueConstraint(fields=["user", "slot"], name="delivery_once_per_user_slot")]
        indexes = [
            models.Index(fields=["user", "-slot"]),
            models.Index(
                fields=["email_status"], condition=models.Q(email_status="pending"), name="delivery_email_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"Prompt delivery {self.pk}"

    @property
    def shows_in_app(self) -> bool:
        return self.channel in (PromptChannel.APP, PromptChannel.BOTH)


class DigestFrequency(models.TextChoices):
    OFF = "off", "Off"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class MentorDigest(models.Model):
    """A mentor's choice of digest (instead of one email per event), and when it last went out."""

    mentor = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_digest")
    frequency = models.CharField(max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.DAILY)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Digest of mentor {self.mentor_id}"
