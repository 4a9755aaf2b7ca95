from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from feedback.engine import COMMENT_MAX
from feedback.models import PULSE_MIN_K, THREE_SIXTY_MIN_K, PulseRhythm, Round

from .services import DAYS_OPEN_CHOICES, DEFAULT_DAYS_OPEN
from .statements import SCALE_LABELS

K_MAX = 50


class RadioErrorsLinked(forms.Form):
    """Radio groups sit in a fieldset, where Django leaves the error off each radio's description: tie it on, so a
    screen reader hears the error on the control itself (WCAG 3.3.1)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields and isinstance(self.fields[name].widget, forms.RadioSelect):
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"


class PulseAnswerForm(RadioErrorsLinked):
    """One radio group per statement of the round (as it was asked), and an optional comment."""

    comment = forms.CharField(
        label="Anything you'd like to add?", required=False, max_length=COMMENT_MAX,
        help_text="Shown to your team word for word, with no name, once the pulse has closed and enough people "
        "have answered. Please don't name anyone.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    send_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements = list(round_.statements)
        # The label says the number, and at the ends and the middle what it means (for a screen reader too).
        choices = [
            (point, f"{point}, {SCALE_LABELS[point].lower()}" if point in SCALE_LABELS else str(point))
            for point in range(1, round_.scale + 1)
        ]
        for statement in self.statements:
            self.fields[f"s_{statement['key']}"] = forms.TypedChoiceField(
                label=statement["text"], choices=choices, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": "Choose a number for this one.",
                                "invalid_choice": "Choose a number for this one."},
            )

    def statement_fields(self) -> list[forms.BoundField]:
        return [self[f"s_{statement['key']}"] for statement in self.statements]

    def scores(self) -> list[int]:
        return [self.cleaned_data[f"s_{statement['key']}"] for statement in self.statements]


class PulseOpenForm(forms.Form):
    days_open = forms.TypedChoiceField(
        label="Open for", coerce=int, initial=DEFAULT_DAYS_OPEN,
        choices=[(days, f"{days} days") for days in DAYS_OPEN_CHOICES],
        error_messages={"invalid_choice": "Choose how many days it stays open."},
    )


class PulseRhythmForm(RadioErrorsLinked):
    rhythm = forms.ChoiceField(
        label="How often", choices=PulseRhythm.choices, required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how often the pulse opens."},
    )
    days_open = forms.TypedChoiceField(
        label="Each pulse stays open for", coerce=int, initial=DEFAULT_DAYS_OPEN,
        choices=[(days, f"{days} days") for days in DAYS_OPEN_CHOICES],
        error_messages={"invalid_choice": "Choose how many days it stays open."},
    )
    next_opens_on = forms.DateField(
        label="Next pulse opens on", required=False,
        help_text="Leave empty to open one today. After that it opens on the same day each month or quarter.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, for example 1 March."},
    )

    def clean_next_opens_on(self) -> Any:
        day = self.cleaned_data.get("next_opens_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("Choose today or a day to come.")
        if day is not None and day.year > timezone.localdate().year + 2:
            raise forms.ValidationError("Choose a day in the next two years.")
        return day


class FeedbackSettingsForm(forms.Form):
    pulse_k = forms.IntegerField(
        label="Answers a team pulse needs before it shows anything", min_value=PULSE_MIN_K, max_value=K_MAX,
        help_text=f"At least {PULSE_MIN_K}. You can raise this, never lower it below {PULSE_MIN_K}. "
        "It applies to rounds opened from now on.",
        error_messages={
            "min_value": f"A pulse needs at least {PULSE_MIN_K} answers to keep everyone anonymous.",
            "max_value": f"Choose {K_MAX} or fewer.", "required": "Enter a number.", "invalid": "Enter a number.",
        },
    )
    three_sixty_k = forms.IntegerField(
        label="Answers a 360 needs before it shows anything", min_value=THREE_SIXTY_MIN_K, max_value=K_MAX,
        help_text=f"At least {THREE_SIXTY_MIN_K}. You can raise this, never lower it below {THREE_SIXTY_MIN_K}.",
        error_messages={
            "min_value": f"A 360 needs at least {THREE_SIXTY_MIN_K} answers to keep everyone anonymous.",
            "max_value": f"Choose {K_MAX} or fewer.", "required": "Enter a number.", "invalid": "Enter a number.",
        },
    )
