"""Forms for people without an email address: adding them, and joining with a code (people.join_codes)."""

from __future__ import annotations

import secrets
from typing import Any

from allauth.account.forms import ChangePasswordForm, LoginForm
from django import forms

from .forms import ExtrasMixin, NewPasswordForm, RolesField
from .join_codes import USERNAME_MAX, USERNAME_MIN, username_format
from .models import Role


class PersonWithoutEmailForm(ExtrasMixin, forms.Form):
    full_name = forms.CharField(
        label="Name", max_length=150, error_messages={"required": "Enter their name."},
        help_text="As their colleagues know them. It goes on their slip.",
    )
    roles = RolesField(label="Roles", initial=[Role.LEADER])
    # One per form shown: sending the same form again (a refresh of the slip, the back button, a double tap) is
    # recognised, and adds nobody new (join_codes.person_add_without_email).
    once = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "noemail")
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"
        if not self.is_bound:
            self.fields["once"].initial = secrets.token_urlsafe(16)
        self._extras_add()


class JoinForm(NewPasswordForm):
    field_order = ["code", "username", "password1", "password2"]

    code = forms.CharField(
        label="Your join code", max_length=20, help_text="The 8 letters and numbers on your slip, like KX7P-2MQD.",
        error_messages={"required": "Enter the code from your slip."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters",
                                      "spellcheck": "false"}),
    )
    username = forms.CharField(
        label="Choose a username", max_length=100,
        help_text=f"You'll sign in with this. {USERNAME_MIN} to {USERNAME_MAX} letters, numbers, dots or hyphens, "
        "like sam.jones.",
        error_messages={"required": "Choose a username."},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    )
    def clean_username(self) -> str:
        # Its form only: whether it is taken is the service's to say, once the code is known to be good (so the
        # page never tells a stranger which usernames exist).
        return username_format(self.cleaned_data["username"])




class SignInForm(LoginForm):
    """allauth's sign-in form, with one box for an email address or a username (ACCOUNT_FORMS["login"]): a text
    box that password managers fill with whichever the person saved."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attrs = self.fields["login"].widget.attrs
        attrs["autocomplete"] = "username"
        attrs.pop("placeholder", None)


class ChangeOwnPasswordForm(ChangePasswordForm):
    """allauth's change-password form (ACCOUNT_FORMS["change_password"]). Someone without an email address is not
    offered a reset by email they could never receive: the page tells them to ask an admin for a join code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.user is not None and not self.user.email:
            self.fields["oldpassword"].help_text = ""
