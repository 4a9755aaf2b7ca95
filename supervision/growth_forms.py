"""Forms of growth: the profile, how you feel about leading, a suggestion, an answer, a stretch offered."""

from __future__ import annotations

from typing import Any

from django import forms

from people.models import User
from teams.strengths import Strength

from .models import Feeling, GrowthArea, StretchKind
from .services.growth import LINES_MAX, SUGGESTION_MAX, WORDS_MAX


class ChoicesInFieldsets(forms.Form):
    """Radio and checkbox groups sit in a fieldset, where Django leaves the error off each control's description: tie
    it on, so a screen reader hears the error on the control itself (WCAG 3.3.1)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields and isinstance(self.fields[name].widget, forms.RadioSelect):
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"


class GrowthProfileForm(forms.Form):
    hopes = forms.CharField(
        label="Your hopes", required=False, max_length=LINES_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Where you'd like your work to take you, one a line: “Lead the garden project”, “Become a senior”.",
        error_messages={"max_length": f"Keep your hopes to {LINES_MAX} characters or fewer."},
    )
    growth_edges = forms.CharField(
        label="Your growth edges", required=False, max_length=LINES_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you're stretching into, one a line: “Speaking up in meetings”, “Saying no kindly”.",
        error_messages={"max_length": f"Keep your growth edges to {LINES_MAX} characters or fewer."},
    )


FEELING_CHOICES = [("", "I'd rather not say"), *Feeling.choices]


class FeelingForm(ChoicesInFieldsets):
    feeling = forms.ChoiceField(
        label="How do you feel about leading?", choices=FEELING_CHOICES, required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how you feel about leading from the list."},
    )
    shown_to_supervisor = forms.BooleanField(label="My supervisor can see this", required=False)


class SuggestionForm(ChoicesInFieldsets):
    area = forms.ChoiceField(
        label="Suggest an addition to", choices=GrowthArea.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose where your suggestion goes.",
                        "invalid_choice": "Choose where your suggestion goes."},
    )
    strength = forms.ChoiceField(
        label="A strength from the list", choices=[("", "None: I'll write it"), *Strength.choices], required=False,
        help_text="For strengths only.",
        error_messages={"invalid_choice": "Choose a strength from the list."},
    )
    text = forms.CharField(
        label="Your suggestion", required=False, max_length=SUGGESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you've seen in them, in a line. They decide whether it goes in.",
        error_messages={"max_length": f"Keep a suggestion to {SUGGESTION_MAX} characters or fewer."},
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])


class OfferForm(ChoicesInFieldsets):
    person = forms.ModelChoiceField(
        label="Who to offer it to", queryset=User.objects.none(), empty_label="Choose someone",
        error_messages={"required": "Choose who to offer it to.",
                        "invalid_choice": "Choose someone from the list: the people you supervise and the people "
                                          "in a team you lead."},
    )
    kind = forms.ChoiceField(
        label="The stretch", choices=StretchKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose a stretch, or write your own.",
                        "invalid_choice": "Choose a stretch from the list, or write your own."},
    )
    words = forms.CharField(
        label="A few words about it", required=False, max_length=WORDS_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you have in mind, when, and the support you'll give. For “something else”, say what it is "
        "in the first line. They will see exactly these words.",
        error_messages={"max_length": f"Keep it to {WORDS_MAX} characters or fewer."},
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda user: str(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == StretchKind.OWN and not (data.get("words") or "").strip():
            self.add_error("words", "Say what the stretch is, in your own words.")
        return data
