"""Forms of the public site: provider sign-up and the operator console."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from people.models import User
from people.validators import validate_password_not_like_organisation

from .services import RESERVED_SUBDOMAINS, subdomain_available

SUBDOMAIN_CHARS = re.compile(r"^[a-z0-9-]+$")
DEFAULT_TIME_ZONE = "Europe/London"


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(
        zone for zone in zoneinfo.available_timezones()
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    )
    return [(zone, zone.replace("_", " ")) for zone in zones] + [("UTC", "UTC")]


def subdomain_problem(value: str) -> str | None:
    """Why `value` cannot be a subdomain, in words a person can act on; None when it can."""
    if not 3 <= len(value) <= 40:
        return "Use between 3 and 40 characters."
    if not SUBDOMAIN_CHARS.match(value):
        return "Use only lowercase letters, numbers and hyphens (no spaces or accents)."
    if value.startswith("-") or value.endswith("-"):
        return "Start and end with a letter or a number, not a hyphen."
    if value[2:4] == "--":
        # "xn--…" is how browsers write addresses with accents or other alphabets: one that shows as a look-alike
        # of another organisation's address (an "a" from another alphabet) could fool its people.
        return (
            "Addresses with two hyphens after the first two characters (like xn--) can show up in browsers as a "
            "look-alike of another address. Please choose another."
        )
    if value in RESERVED_SUBDOMAINS:
        return "That address is kept for Heartwood itself. Please choose another."
    if not subdomain_available(value):
        return "That address is already taken. Please choose another."
    return None


class SignUpForm(forms.Form):
    organisation_name = forms.CharField(
        label="Organisation name", max_length=120,
        help_text="As your staff know it, for example Oakfield Care.",
        error_messages={"required": "Enter the name of your organisation."},
    )
    subdomain = forms.CharField(
        label="Web address", max_length=60,
        help_text="Your people will sign in at this address. 3 to 40 lowercase letters, numbers or hyphens.",
        error_messages={"required": "Choose a web address for your organisation."},
        # tenants/signup.js suggests the address from the organisation's name until the person types their own.
        widget=forms.TextInput(attrs={
            "autocapitalize": "none", "autocorrect": "off", "spellcheck": "false",
            "data-suggest-address-from": "id_organisation_name",
        }),
    )
    full_name = forms.CharField(
        label="Your name", max_length=150, error_messages={"required": "Enter your name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Your email address", help_text="We'll send a link to check it's yours.",
        error_messages={"required": "Enter your email address.",
                        "invalid": "Enter an email address like name@example.org."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Choose a password", strip=False, error_messages={"required": "Choose a password."},
        help_text="At least 10 characters. Not a common password, not only numbers, and not like your name, your "
        "email or your organisation's name or web address.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    time_zone = forms.ChoiceField(
        label="Time zone", initial=DEFAULT_TIME_ZONE, choices=time_zone_choices,
        help_text="Reminders and dates follow this time zone.",
        error_messages={"invalid_choice": "Choose a time zone from the list."},
    )
    terms = forms.BooleanField(
        label="I agree to Heartwood's terms of use on behalf of my organisation",
        error_messages={"required": "Tick the box to agree to the terms of use."},
    )

    def __init__(self, *args: object, base_domain: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subdomain"].help_text = format_html(
            "Your people will sign in at <strong>your-address.{}</strong>. We suggest one from your organisation's "
            "name; change it if you like. 3 to 40 lowercase letters, numbers or hyphens.", base_domain,
        )
        for name, field in self.fields.items():
            if field.help_text and name != "terms":
                field.widget.attrs["aria-describedby"] = f"id_{name}_hint"

    def full_clean(self) -> None:
        super().full_clean()
        # Screen readers announce the hint and the error with the field (ids from partials/field.html).
        for name in self.errors:
            if name in self.fields:
                hint = f"id_{name}_hint " if self.fields[name].help_text and name != "terms" else ""
                self.fields[name].widget.attrs["aria-describedby"] = f"{hint}id_{name}_error"
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def clean_organisation_name(self) -> str:
        name = " ".join(self.cleaned_data["organisation_name"].split())
        if len(name) < 2:
            raise ValidationError("Enter the full name of your organisation.")
        return name

    def clean_subdomain(self) -> str:
        # Addresses are case-insensitive: store them lower-case, and compare lower-case.
        value = self.cleaned_data["subdomain"].strip().lower()
        problem = subdomain_problem(value)
        if problem:
            raise ValidationError(problem)
        return value

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict:
        data = super().clean()
        password = data.get("password")
        if password:
            person = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            problems: list[ValidationError] = []
            try:
                validate_password(password, user=person)
            except ValidationError as exc:
                problems.append(exc)
            try:
                # The organisation does not exist yet, so the registered validator cannot see it: ask here.
                validate_password_not_like_organisation(password, names=[
                    data.get("organisation_name") or self.data.get("organisation_name", ""),
                    data.get("subdomain") or self.data.get("subdomain", ""),
                ])
            except ValidationError as exc:
                problems.append(exc)
            if problems:
                self.add_error("password", ValidationError(problems))
        return data


class ConsoleSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or web address", required=False, max_length=100)


class ConfirmDeleteForm(forms.Form):
    confirm = forms.CharField(
        label="Type the organisation's web address to confirm", max_length=60,
        error_messages={"required": "Type the web address to confirm."},
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: object, subdomain: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.subdomain = subdomain

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value != self.subdomain:
            raise ValidationError(f"That doesn't match. Type {self.subdomain} exactly to confirm.")
        return value


class FindOrganisationForm(forms.Form):
    email = forms.EmailField(
        label="Your email address", max_length=254,
        help_text="The one your organisation invited. We'll email you the link to every Heartwood "
        "organisation where it has an account.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
