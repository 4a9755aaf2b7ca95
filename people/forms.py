from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from . import services
from .invitation_extras import csv_extra_columns, invitation_extras
from .models import Role, User
from .selectors import mentors_with_leader_counts, people_with_role

ROLE_HINTS = {
    Role.ADMIN: "manages people, invitations and pairings",
    Role.LEADER: "learns and keeps a journal",
    Role.MENTOR: "supports leaders they are paired with",
}


def role_choices() -> list[tuple[str, str]]:
    return [(value, f"{label} – {ROLE_HINTS[value]}") for value, label in Role.choices]


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", role_choices)
        kwargs.setdefault("error_messages", {"required": "Choose at least one role."})
        super().__init__(**kwargs)


class ExtrasMixin:
    """Adds the fields the apps above people registered (people.invitation_extras: a team…), after the others."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def _extras_add(self) -> None:
        self.extra_keys: list[str] = []
        for extra in invitation_extras():
            field = extra.field()
            if field is not None and extra.key not in self.fields:
                self.fields[extra.key] = field
                self.extra_keys.append(extra.key)

    @property
    def extra_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in self.extra_keys]  # type: ignore[index]

    def extras(self) -> dict[str, Any]:
        """The chosen extras (cleaned), for the service."""
        return {key: self.cleaned_data.get(key) for key in self.extra_keys
                if self.cleaned_data.get(key) not in (None, "")}


class InvitationForm(ExtrasMixin, forms.Form):
    full_name = forms.CharField(label="Name", max_length=150, required=False)
    email = forms.EmailField(
        label="Email address", error_messages={"required": "Enter their email address.",
                                               "invalid": "Enter an email address like name@example.org."}
    )
    roles = RolesField(label="Roles", initial=[Role.LEADER])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self._extras_add()


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: name, email, roles. Separate several roles with ; or | (for example leader;mentor). "
        "Up to 1,000 people.",
        error_messages={"required": "Choose a CSV file to upload.", "empty": "The file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        optional = csv_extra_columns()
        if optional:
            self.fields["file"].help_text = self.fields["file"].help_text.replace(
                "Up to 1,000 people.", f"Optionally also: {', '.join(optional)}. Up to 1,000 people."
            )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Refuse a huge upload before reading it into memory.
        if upload.size > services.CSV_MAX_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB. Please split it into smaller files.")
        return upload


class RolesForm(forms.Form):
    roles = RolesField(label="Roles")


class MemberFilterForm(forms.Form):
    q = forms.CharField(label="Search by name or email", required=False)
    role = forms.ChoiceField(label="Role", required=False, choices=[("", "Any role"), *Role.choices])
    status = forms.ChoiceField(
        label="Status", required=False,
        choices=[("", "Everyone"), ("active", "Active"), ("inactive", "Deactivated")],
    )


class PairingForm(forms.Form):
    leader = forms.ModelChoiceField(
        label="Leader", queryset=User.objects.none(), empty_label="Choose a leader",
        error_messages={"required": "Choose a leader.", "invalid_choice": (
            "Choose a leader from the list. Only people with the leader role are listed: give someone the role "
            "on the People page first."
        )},
    )
    mentor = forms.ModelChoiceField(
        label="Mentor", queryset=User.objects.none(), empty_label="Choose a mentor",
        error_messages={"required": "Choose a mentor.", "invalid_choice": (
            "Choose a mentor from the list. Only people with the mentor role are listed: give someone the role "
            "on the People page first."
        )},
    )
    starts_on = forms.DateField(
        label="Starts on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the date the pairing starts.", "invalid": "Enter a real date."},
    )
    ends_on = forms.DateField(
        label="Ends on", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leave empty for an open-ended pairing.", error_messages={"invalid": "Enter a real date."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only people who hold the role on each side; each mentor shows how many leaders they already have.
        self.fields["leader"].queryset = people_with_role(Role.LEADER)
        self.fields["mentor"].queryset = mentors_with_leader_counts()
        self.fields["mentor"].label_from_instance = _mentor_label
        self.fields["starts_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        leader, mentor = data.get("leader"), data.get("mentor")
        if leader and mentor and leader.pk == mentor.pk:
            self.add_error("mentor", "Choose a different person: nobody can mentor themselves.")
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", "The end date must be after the start date.")
        return data


def _mentor_label(mentor: User) -> str:
    count = getattr(mentor, "leader_count", 0)
    return f"{mentor} ({count} leader{'' if count == 1 else 's'})" if count else f"{mentor} (no leaders yet)"


class NewPasswordForm(forms.Form):
    """Choosing a first password, typed twice (accepting an invitation, joining with a code)."""

    password1 = forms.CharField(
        label="Choose a password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. A few unrelated words make a strong password.",
        error_messages={"required": "Choose a password."},
    )
    password2 = forms.CharField(
        label="Type the password again", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords do not match.")
        return data


class AcceptInvitationForm(NewPasswordForm):
    full_name = forms.CharField(
        label="Your name", max_length=150, error_messages={"required": "Enter your name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["full_name", "password1", "password2"]

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first = data.get("password1")
        if first and "password2" not in self.errors:
            probe = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class OrganisationSettingsForm(forms.Form):
    require_mfa_for_admins = forms.BooleanField(label="Require two-step sign-in for admins", required=False)


def service_error(form: forms.Form, error: services.PeopleError) -> None:
    form.add_error(None, str(error))
