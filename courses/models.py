from __future__ import annotations

from django.conf import settings
from django.db import models


class Behaviour(models.TextChoices):
    """The four behaviours of compassionate leadership."""

    ATTENDING = "attending", "Attending"
    UNDERSTANDING = "understanding", "Understanding"
    EMPATHISING = "empathising", "Empathising"
    HELPING = "helping", "Helping"


class Source(models.TextChoices):
    SHIPPED = "shipped", "Shipped with Heartwood"
    ORGANISATION = "organisation", "Written by this organisation"


class Programme(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SHIPPED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    behaviour = models.CharField(max_length=20, choices=Behaviour.choices, blank=True)
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SHIPPED)
    is_hidden = models.BooleanField(default=False, help_text="Hidden modules are not shown to learners.")
    is_required = models.BooleanField(default=False)
    # When an admin last made the module required: the learning report says how long it has waited.
    required_since = models.DateTimeField(null=True, blank=True)
    # {"intro": str, "statements": [str], "suggestions": {"low": [str], "middle": [str], "high": [str]},
    #  "others": [str]}: `others` (optional) are the statements turned to the person being rated, for the 360.
    self_check = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown; sanitised when shown.")
    practice = models.TextField("try this at work", blank=True)
    reflection_question = models.TextField(blank=True)
    minutes = models.PositiveIntegerField("CPD minutes", default=10)
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SHIPPED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["module", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["module", "slug"], name="lesson_slug_unique_in_module")]

    def __str__(self) -> str:
        return self.title


class LessonProgress(models.Model):
    """One learner's trace through one lesson: opened, tried the practice, done."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    # Denormalised from the lesson so that per-module counts need no join through lessons.
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lesson_progress")
    opened_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    practice_tried_at = models.DateTimeField(null=True, blank=True)
    # The first journal entry written about this lesson (reflections tells courses; courses never reads entries).
    reflected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="progress_one_per_user_lesson")]
        indexes = [models.Index(fields=["user", "-last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.user} / {self.lesson}"


class ModuleCompletion(models.Model):
    """Recorded once, when a learner has done every lesson of a module; the CPD record reads these."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_completions")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="completions")
    started_at = models.DateTimeField(null=True, blank=True, help_text="When the first lesson was opened.")
    completed_at = models.DateTimeField()
    cpd_minutes = models.PositiveIntegerField()
    # Printed on the certificate and checked at /verify/<reference>/: random, so it reveals nothing and cannot be
    # guessed (courses.services.certificate_reference_new).
    reference = models.CharField(max_length=20, unique=True)

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="completion_one_per_user_module"),
            models.CheckConstraint(condition=models.Q(cpd_minutes__lte=6000), name="completion_cpd_minutes_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.user} completed {self.module}"


class SelfCheckResponse(models.Model):
    """A learner's honest ratings (1 = Never … 5 = Always) for a behaviour module. Only the learner sees it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_checks")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="self_checks")
    answers = models.JSONField(help_text="A list of ratings, 1 to 5, one per statement.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "module", "-created_at"])]
        constraints = [
            # A non-empty JSON array (`@> '[]'` holds only for arrays).
            models.CheckConstraint(
                condition=models.Q(answers__contains=[]) & ~models.Q(answers=[]), name="selfcheck_answers_list"
            ),
        ]

    def __str__(self) -> str:
        return f"Self-check by {self.user} for {self.module}"

    @property
    def average(self) -> float:
        return sum(self.answers) / len(self.answers) if self.answers else 0.0

    @property
    def band(self) -> str:
        """Which suggestions fit (content/README.md): low below 2.5, middle below 3.8, high from 3.8."""
        if self.average < 2.5:
            return "low"
        return "middle" if self.average < 3.8 else "high"
