from __future__ import annotations

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
