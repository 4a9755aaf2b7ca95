"""The form for a team's recurring problem: a name for it, the Five whys (reflections.five_whys), where it stands,
an optional owner and a day to look again."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from people.models import User
from reflections.five_whys import FIVE_WHYS_KEYS, five_whys_form_fields

from .models import ProblemStatus

LOOK_AGAIN_MAX_DAYS = 366 * 2


class ProblemForm(forms.Form):
    title = forms.CharField(
        label="What keeps going wrong?", max_length=160,
        help_text="A few words the team will recognise, like “the medication round runs late after handover”.",
        error_messages={"required": "Give the problem a short name, so the team can find it again."},
    )
    status = forms.ChoiceField(
        label="Where it stands", choices=ProblemStatus.choices, initial=ProblemStatus.EXPLORING,
        widget=forms.RadioSelect,
    )
    owner = forms.ModelChoiceField(
        label="Who is keeping it moving?", queryset=User.objects.none(), required=False,
        empty_label="Nobody in particular",
        help_text="Someone who has offered to bring it back to the team: not the person to blame.",
    )
    look_again_on = forms.DateField(
        label="When will you look again?", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A day to ask together whether the change is helping.",
        error_messages={"invalid": "Enter a date, like 14/03/2027."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda person: person.get_full_name() or str(person)
        # The steps, in the journal template's words and order; the problem step is asked for first.
        steps = five_whys_form_fields(max_length=4000, rows=3)
        steps["problem"].label = "What happens"
        steps["problem"].help_text = "Describe the situation, not the people: no names are needed."
        steps["action"].label = "The change you are trying"
        steps["action"].help_text = "One change aimed at the root, not the branches."
        fields = dict(self.fields)
        self.fields = {"title": fields.pop("title"), **steps, **fields}

    def clean_look_again_on(self) -> date | None:
        day = self.cleaned_data.get("look_again_on")
        if day is not None:
            today = timezone.localdate()
            if not today - timedelta(days=LOOK_AGAIN_MAX_DAYS) <= day <= today + timedelta(days=LOOK_AGAIN_MAX_DAYS):
                raise forms.ValidationError("Choose a day within the next two years.")
        return day

    def steps(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key in FIVE_WHYS_KEYS}

    def step_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in FIVE_WHYS_KEYS]
