"""Forms of supervision's relationships and sessions (parse only: every rule is in the services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from people.models import User

from .models import SupervisionSettings
from .selectors.sessions import people_to_choose
from .services.sessions import (
    ACTION_MAX,
    AGENDA_MAX,
    CHECKIN_MAX,
    DURATIONS,
    PLACE_MAX,
    RECORD_MAX,
)


class RelationshipForm(forms.Form):
    supervisee = forms.ModelChoiceField(
        label="Who is supervised", queryset=User.objects.none(), empty_label="Choose someone",
        error_messages={"required": "Choose who is supervised.",
                        "invalid_choice": "Choose someone from the list of active people."},
    )
    supervisor = forms.ModelChoiceField(
        label="Their supervisor", queryset=User.objects.none(), empty_label="Choose someone",
        error_messages={"required": "Choose their supervisor.",
                        "invalid_choice": "Choose someone from the list of active people."},
    )
    starts_on = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for today.", error_messages={"invalid": "Give the date as day, month and year."},
    )
    end_current = forms.BooleanField(
        label="End their current supervision, if they have one, the day this one starts", required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "pair")
        super().__init__(*args, **kwargs)
        self.fields["supervisee"].queryset = people_to_choose()
        self.fields["supervisor"].queryset = people_to_choose()


class FrequencyForm(forms.Form):
    frequency_weeks = forms.TypedChoiceField(
        label="How often you mean people to have supervision", choices=SupervisionSettings.Frequency.choices,
        coerce=int, error_messages={"required": "Choose how often.", "invalid_choice": "Choose every 4, 6 or 8 weeks."},
    )


class SessionForm(forms.Form):
    on = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the date.", "invalid": "Give the date as day, month and year."},
    )
    at = forms.TimeField(
        label="Time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Give the time.", "invalid": "Give the time as hours and minutes, like 14:30."},
    )
    duration_minutes = forms.TypedChoiceField(
        label="How long", coerce=int, initial=60,
        choices=[(minutes, f"{minutes} minutes" if minutes < 60 else
                  ("1 hour" if minutes == 60 else f"{minutes // 60} hours" if minutes % 60 == 0 else "1½ hours"))
                 for minutes in DURATIONS],
        error_messages={"invalid_choice": "Choose how long from the list."},
    )
    place = forms.CharField(
        label="Where", max_length=PLACE_MAX, required=False,
        help_text="A room, or “by video” with the link.",
        error_messages={"max_length": f"Keep the place to {PLACE_MAX} characters or fewer."},
    )

    def starts_at(self) -> datetime:
        """The date and time as given, in the organisation's time zone (the view makes it current)."""
        naive = datetime.combine(self.cleaned_data["on"], self.cleaned_data["at"])
        return timezone.make_aware(naive, timezone.get_current_timezone())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("on") and data.get("at"):
            try:
                self.starts_at()
            except Exception:  # a time that does not exist when the clocks go forward
                self.add_error("at", "That time does not exist on that day (the clocks change). Choose another.")
        return data


class AgendaForm(forms.Form):
    text = forms.CharField(
        label="What I want to talk about", max_length=AGENDA_MAX,
        error_messages={"required": "Write what you want to talk about.",
                        "max_length": f"Keep it to {AGENDA_MAX} characters or fewer: you can say more on the day."},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CheckInForm(forms.Form):
    text = forms.CharField(
        label="How are you, really?", max_length=CHECKIN_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only for you, unless you choose to show it. Leave it empty to take it away.",
        error_messages={"max_length": f"Keep it to {CHECKIN_MAX:,} characters or fewer."},
    )
    shared = forms.BooleanField(label="Show this to my supervisor", required=False)


class RecordForm(forms.Form):
    text = forms.CharField(
        label="The record", max_length=RECORD_MAX, widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What you talked about and what you agreed, in words you both recognise.",
        error_messages={"required": "Write the record before saving it.",
                        "max_length": f"Keep the record to {RECORD_MAX:,} characters or fewer."},
    )
    based_on = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class AgreeForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ActionForm(forms.Form):
    text = forms.CharField(
        label="What will be done", max_length=ACTION_MAX,
        error_messages={"required": "Say what will be done.",
                        "max_length": f"Keep the action to {ACTION_MAX} characters or fewer."},
    )
    owner = forms.ChoiceField(
        label="Who", widget=forms.RadioSelect, choices=[("supervisee", "Supervisee"), ("supervisor", "Supervisor")],
        error_messages={"required": "Choose who will do it.", "invalid_choice": "Choose who will do it."},
    )
    due_on = forms.DateField(
        label="By when", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Give the date as day, month and year."},
    )

    def __init__(self, *args: Any, supervisee: User | None = None, supervisor: User | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if supervisee is not None and supervisor is not None:
            self.fields["owner"].choices = [("supervisee", str(supervisee)), ("supervisor", str(supervisor))]


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("done", "Done"), ("carried", "Carry on"), ("let_go", "Let go")],
        error_messages={"required": "Choose done, carry on or let go.",
                        "invalid_choice": "Choose done, carry on or let go."},
    )
