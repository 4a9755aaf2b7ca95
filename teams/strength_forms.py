from __future__ import annotations

from django import forms

from .strength_services import OWN_WORDS_MAX
from .strengths import Strength

SHOWN_CHOICES = [
    ("0", "Only me (and my supervisor, on my growth profile)"),
    ("1", "My teams too: they appear on each team's page"),
]


class StrengthsForm(forms.Form):
    picks = forms.MultipleChoiceField(
        label="What you bring", choices=Strength.choices, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose strengths from the list, or put them in your own words."},
    )
    own_words = forms.CharField(
        label="In your own words", required=False, max_length=OWN_WORDS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything the list misses: “I can get Mrs Khan to laugh when nobody else can”. One a line.",
        error_messages={"max_length": f"Keep your own words to {OWN_WORDS_MAX} characters or fewer."},
    )
    shown_to_team = forms.TypedChoiceField(
        label="Who sees them", choices=SHOWN_CHOICES, coerce=lambda value: value == "1", initial="0",
        widget=forms.RadioSelect, error_messages={"required": "Choose who sees your strengths.",
                                                  "invalid_choice": "Choose who sees your strengths."},
    )

    def full_clean(self) -> None:
        super().full_clean()
        # Choices sit in a fieldset, where Django leaves the error off each control's description: tie it on.
        for name in self.errors:
            if name in ("picks", "shown_to_team"):
                self.fields[name].widget.attrs.update({"aria-describedby": f"{self[name].auto_id}_error",
                                                       "aria-invalid": "true"})
