from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms

from people.models import User

from .clock import organisation_zone
from .models import MAX_MEMBERS, MIN_MEMBERS
from .services import ACTION_MAX, BRIEF_MAX, MINUTES_MAX, MINUTES_MIN, NAME_MAX, PLACE_MAX, QUESTION_MAX, REPORT_MAX

RHYTHM_CHOICES = [("", "None: book each meeting by date"), ("4", "Every 4 weeks"),
                  ("5", "Every 5 weeks"), ("6", "Every 6 weeks")]


class ChoiceErrorsLinked(forms.Form):
    """Checkboxes sit in a fieldset, where Django leaves the error off each control's description: tie it on, so a
    screen reader hears the error on the control itself (WCAG 3.3.1)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields and isinstance(self.fields[name].widget, forms.CheckboxSelectMultiple):
                self.fields[name].widget.attrs.update({"aria-describedby": f"{self[name].auto_id}_error",
                                                       "aria-invalid": "true"})


def _name(user: User) -> str:
    return user.get_full_name()


def _rhythm(value: str) -> int | None:
    return int(value) if value else None


class SetForm(ChoiceErrorsLinked):
    name = forms.CharField(
        label="Name of the set", max_length=NAME_MAX,
        help_text="Something the members will recognise, like “Larch House leads’ set”.",
        error_messages={"required": "Give the set a name.",
                        "max_length": f"Keep the name to {NAME_MAX} characters or fewer."},
    )
    team = forms.ModelChoiceField(
        label="Drawn from a team", queryset=None, required=False, empty_label="Not drawn from one team",
        error_messages={"invalid_choice": "Choose one of the teams listed, or none."},
    )
    members = forms.ModelMultipleChoiceField(
        label=f"Members ({MIN_MEMBERS} to {MAX_MEMBERS})", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": f"Choose {MIN_MEMBERS} to {MAX_MEMBERS} members.",
                        "invalid_choice": "Choose people from the list.",
                        "invalid_pk_value": "Choose people from the list."},
    )
    facilitator = forms.ModelChoiceField(
        label="Facilitator", queryset=None, empty_label="Choose the facilitator",
        help_text="They keep the set to its way of working, book meetings and record who came. They may also be "
                  "one of the members.",
        error_messages={"required": "Choose who facilitates the set.",
                        "invalid_choice": "Choose the facilitator from the list."},
    )
    rhythm = forms.TypedChoiceField(
        label="How often it meets", choices=RHYTHM_CHOICES, coerce=_rhythm, empty_value=None, required=False,
        help_text="Most sets meet every 4 to 6 weeks. With a rhythm, the next meeting is booked for you after each "
                  "one.",
        error_messages={"invalid_choice": "Choose one of the rhythms listed."},
    )
    meeting_minutes = forms.IntegerField(
        label="How long a meeting runs, in minutes", initial=120, min_value=MINUTES_MIN, max_value=MINUTES_MAX,
        help_text="Two hours suits a set of six with one presenter.",
        error_messages={"required": "Say how long a meeting runs.", "invalid": "Enter a number of minutes, like 120.",
                        "min_value": f"At least {MINUTES_MIN} minutes.",
                        "max_value": f"At most {MINUTES_MAX} minutes."},
    )
    place = forms.CharField(
        label="Where it usually meets", max_length=PLACE_MAX, required=False,
        help_text="A room, or a video link.",
        error_messages={"max_length": f"Keep this to {PLACE_MAX} characters or fewer."},
    )

    def __init__(self, *args: Any, people: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["members"].queryset = people
        self.fields["facilitator"].queryset = people
        for name in ("members", "facilitator"):
            self.fields[name].label_from_instance = _name
        self.fields["meeting_minutes"].widget.attrs["inputmode"] = "numeric"
        for name in ("name", "place"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_members(self) -> list[User]:
        chosen = list(self.cleaned_data["members"])
        if not MIN_MEMBERS <= len(chosen) <= MAX_MEMBERS:
            raise forms.ValidationError(f"Choose {MIN_MEMBERS} to {MAX_MEMBERS} members: you chose {len(chosen)}.")
        return chosen


class InviteForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Person", queryset=None, empty_label="Choose someone",
        error_messages={"required": "Choose someone to invite.",
                        "invalid_choice": "Choose someone from the list."},
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "invite")
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = _name


class FacilitatorForm(forms.Form):
    """Who facilitates next: one of the set's members who has joined it. The choice is a person's id; the view finds
    their place in the set (404 for anyone else), so the list is drawn from what the page has already read."""

    person = forms.IntegerField(
        label="Hand the role to", min_value=1, max_value=2**31 - 1, widget=forms.Select,
        error_messages={"required": "Choose who facilitates next.", "invalid": "Choose someone from the list.",
                        "min_value": "Choose someone from the list.", "max_value": "Choose someone from the list."},
    )
    leave = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: list[tuple[int, str]], prefix: str = "handover", label: str = "",
                 **kwargs: Any) -> None:
        super().__init__(*args, prefix=prefix, **kwargs)
        self.offer(people)
        if label:
            self.fields["person"].label = label

    def offer(self, people: list[tuple[int, str]]) -> None:
        self.fields["person"].widget.choices = [("", "Choose someone"), *people]


class RhythmForm(forms.Form):
    rhythm = forms.TypedChoiceField(
        label="How often the set meets", choices=RHYTHM_CHOICES, coerce=_rhythm, empty_value=None, required=False,
        error_messages={"invalid_choice": "Choose one of the rhythms listed."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "rhythm")
        super().__init__(*args, **kwargs)


class MeetingForm(forms.Form):
    day = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Choose the date.", "invalid": "Enter a date, like 2027-03-04."},
    )
    time = forms.TimeField(
        label="Starts at", widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": "Choose when it starts.", "invalid": "Enter a time, like 14:00."},
    )
    minutes = forms.IntegerField(
        label="How long, in minutes", min_value=MINUTES_MIN, max_value=MINUTES_MAX,
        error_messages={"required": "Say how long it runs.", "invalid": "Enter a number of minutes, like 120.",
                        "min_value": f"At least {MINUTES_MIN} minutes.",
                        "max_value": f"At most {MINUTES_MAX} minutes."},
    )
    place = forms.CharField(
        label="Where", max_length=PLACE_MAX, required=False, help_text="A room, or a video link.",
        error_messages={"max_length": f"Keep this to {PLACE_MAX} characters or fewer."},
    )
    presenter = forms.ModelChoiceField(
        label="Who presents", queryset=None, required=False, empty_label="Whoever the rota suggests",
        error_messages={"invalid_choice": "Choose a member of the set who has joined it."},
    )

    def __init__(self, *args: Any, presenters: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "meeting")
        super().__init__(*args, **kwargs)
        self.fields["minutes"].widget.attrs["inputmode"] = "numeric"
        self.fields["place"].widget.attrs["autocomplete"] = "off"
        if presenters is None:
            del self.fields["presenter"]
        else:
            self.fields["presenter"].queryset = presenters
            self.fields["presenter"].label_from_instance = _name

    def starts_at(self) -> datetime:
        return datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"], tzinfo=organisation_zone())


class PresenterForm(forms.Form):
    presenter = forms.ModelChoiceField(
        label="Hand the presenting to", queryset=None, empty_label="Choose a member",
        error_messages={"required": "Choose who presents instead.",
                        "invalid_choice": "Choose a member of the set who has joined it."},
    )

    def __init__(self, *args: Any, presenters: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "presenter")
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = presenters
        self.fields["presenter"].label_from_instance = _name


class BriefForm(forms.Form):
    brief = forms.CharField(
        label="Your brief", max_length=BRIEF_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A few lines the set can read before you meet: the situation, what you have tried, what you would "
                  "like to think through. Leave out names of the people you support. Empty takes the brief down.",
        error_messages={"max_length": f"Keep the brief to {BRIEF_MAX} characters or fewer."},
    )

    def __init__(self, *args: Any, parts: list[tuple[str, str, str]] | None = None, **kwargs: Any) -> None:
        """`parts`: the sections of a structured brief (field name, label, hint), e.g. the Five whys."""
        kwargs.setdefault("prefix", "brief")
        super().__init__(*args, **kwargs)
        self.part_names = []
        for key, label, hint in parts or []:
            self.fields[f"part_{key}"] = forms.CharField(
                label=label, help_text=hint, required=False, max_length=BRIEF_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": f"Keep each part to {BRIEF_MAX} characters or fewer."},
            )
            self.part_names.append(key)
        if parts:
            self.fields["brief"].label = "Anything else the set should know"
            self.fields["brief"].help_text = "Optional. Leave out names of the people you support."

    def parts(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"part_{key}", "") for key in self.part_names}


class QuestionForm(forms.Form):
    question = forms.CharField(
        label="Your question", max_length=QUESTION_MAX, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write your question first.",
                        "max_length": f"Keep a question to {QUESTION_MAX} characters or fewer."},
    )
    ask_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "question")
        super().__init__(*args, **kwargs)


class ActionForm(forms.Form):
    action = forms.CharField(
        label="The action you commit to", max_length=ACTION_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One thing you will do before the set meets again. Small and real beats big and vague.",
        error_messages={"required": "Write the action you commit to.",
                        "max_length": f"Keep the action to {ACTION_MAX} characters or fewer."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "action")
        super().__init__(*args, **kwargs)


class ReportForm(forms.Form):
    report = forms.CharField(
        label="How did it go?", max_length=REPORT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you did, what happened, what you noticed. It is fine if it didn't go to plan: that is often "
                  "where the learning is.",
        error_messages={"required": "Write how it went.",
                        "max_length": f"Keep this to {REPORT_MAX} characters or fewer."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "report")
        super().__init__(*args, **kwargs)


class AttendanceForm(ChoiceErrorsLinked):
    present = forms.TypedMultipleChoiceField(
        label="Who was there", choices=(), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose people from the set's list."},
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "attendance")
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = people
