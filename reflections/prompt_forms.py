"""Forms for prompt rhythms, the organisation's default, and mentor digests."""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.utils import timezone

from .models import DigestFrequency, PromptChannel, PromptFrequency, Weekday

TIME_ZONES = sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith("Etc/"))


class RhythmForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often", choices=PromptFrequency.choices, widget=forms.RadioSelect,
        help_text="Prompts invite; they never nag. Switch them off whenever you like.",
    )
    weekday = forms.TypedChoiceField(label="On", choices=Weekday.choices, coerce=int)
    local_time = forms.TimeField(
        label="At", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Pick a time after your shift, when you might have ten quiet minutes.",
    )
    time_zone = forms.ChoiceField(label="Time zone", required=False)
    channel = forms.ChoiceField(label="How you'd like them", choices=PromptChannel.choices, widget=forms.RadioSelect)
    paused_until = forms.DateField(
        label="Pause until", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Away or on leave? No prompts before this date. Leave empty to keep them coming.",
    )

    def __init__(
        self, *args: object, organisation_time_zone: str = "Europe/London", has_email: bool = True, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [("", f"The organisation's ({organisation_time_zone})")] + [
            (zone, zone.replace("_", " ")) for zone in TIME_ZONES
        ]
        if not has_email:
            # Someone without an email address: prompts can only appear in Heartwood, so that is the only choice.
            self.fields["channel"].choices = [(PromptChannel.APP, PromptChannel.APP.label)]
            self.fields["channel"].help_text = "You sign in with a username and have no email address here."
            self.initial = {**self.initial, "channel": PromptChannel.APP}

    def clean_paused_until(self):
        value = self.cleaned_data.get("paused_until")
        if value and value <= timezone.localdate():
            raise forms.ValidationError("Choose a date after today, or leave it empty.")
        return value


class DefaultsForm(forms.Form):
    frequency = forms.ChoiceField(label="How often", choices=PromptFrequency.choices, widget=forms.RadioSelect)
    weekday = forms.TypedChoiceField(label="On", choices=Weekday.choices, coerce=int)
    local_time = forms.TimeField(label="At", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    channel = forms.ChoiceField(label="How", choices=PromptChannel.choices, widget=forms.RadioSelect)


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Email me a digest", choices=DigestFrequency.choices, widget=forms.RadioSelect,
        help_text="One calm email listing who shared or replied, instead of one email each time. "
        "It names people, never what they wrote.",
    )
