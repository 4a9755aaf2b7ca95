from __future__ import annotations

from typing import Any

from django import forms

from people.models import User

from .models import Team
from .selectors import people_to_add
from .services import DESCRIPTION_MAX, NAME_MAX


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name", max_length=NAME_MAX,
        help_text="As people know it: a floor, a branch, a service or a shift, like “Larch House, first floor”.",
        error_messages={"required": "Give the team a name.",
                        "max_length": f"Keep the name to {NAME_MAX} characters or fewer."},
    )
    description = forms.CharField(
        label="What and where the team is", max_length=DESCRIPTION_MAX, required=False,
        help_text="One line, shown to the team's members.",
        error_messages={"max_length": f"Keep the description to {DESCRIPTION_MAX} characters or fewer."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "team")
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["description"].widget.attrs["autocomplete"] = "off"


class MemberAddForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Person", queryset=User.objects.none(), empty_label="Choose someone",
        error_messages={"required": "Choose someone to add.",
                        "invalid_choice": "Choose someone from the list: only active people not in the team yet "
                                          "are listed."},
    )
    is_lead = forms.BooleanField(label="They lead this team", required=False)

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_to_add(team)


class LeadForm(forms.Form):
    is_lead = forms.TypedChoiceField(choices=[("1", "Lead"), ("0", "Member")], coerce=lambda value: value == "1")


def service_error(form: forms.Form, error: Exception) -> None:
    form.add_error(None, str(error))
