from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from ..engine import COMMENT_MAX
from .services import DAYS_OPEN_DEFAULT, DAYS_OPEN_MAX, DAYS_OPEN_MIN, EMAILS_MAX
from .statements import RATINGS

EMAILS_TEXT_MAX = 5000


class ErrorsOnControls(forms.Form):
    """A field's error reaches a screen reader on each of its controls, radios and checkboxes in a fieldset too
    (the template gives the error the id `<auto_id>_error`)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"


class RequestForm(ErrorsOnControls):
    colleagues = forms.ModelMultipleChoiceField(
        label="Colleagues in your organisation", queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    emails = forms.CharField(
        label="People without an account here", required=False, max_length=EMAILS_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text="Their email addresses, one a line: a family member you support, a nurse from the GP surgery, a "
        "colleague from another service. Each gets a link that works once.",
    )
    days_open = forms.IntegerField(
        label="How many days it stays open", initial=DAYS_OPEN_DEFAULT, min_value=DAYS_OPEN_MIN,
        max_value=DAYS_OPEN_MAX, help_text=f"Between {DAYS_OPEN_MIN} and {DAYS_OPEN_MAX} days. Two weeks gives "
        "people on different shift patterns time to answer.",
        error_messages={"required": "Say how many days it stays open.",
                        "invalid": "Enter a number of days, like 14."},
    )

    def __init__(self, *args: Any, colleagues: Any, k: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.k = k
        self.fields["colleagues"].queryset = colleagues
        self.fields["colleagues"].label_from_instance = lambda user: user.get_full_name()
        self.fields["days_open"].widget.attrs.update({"inputmode": "numeric"})

    def clean_emails(self) -> list[str]:
        found, bad = [], []
        for part in re.split(r"[\s,;]+", self.cleaned_data.get("emails") or ""):
            if not part:
                continue
            try:
                validate_email(part)
            except ValidationError:
                bad.append(part[:60])
            else:
                if part.lower() not in {f.lower() for f in found}:
                    found.append(part)
        if bad:
            raise ValidationError(f"These don't look like email addresses: {', '.join(bad[:5])}.")
        if len(found) > EMAILS_MAX:
            raise ValidationError(f"You can ask up to {EMAILS_MAX} people by email.")
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "colleagues" in data and "emails" in data and len(data["colleagues"]) + len(data["emails"]) < self.k:
            raise ValidationError(
                f"Ask at least {self.k} people. Nothing shows until {self.k} have answered, so that nobody's "
                "answers can be picked out."
            )
        return data


class AnswerForm(ErrorsOnControls):
    """A rating for each statement of the round (grouped by behaviour on the page) and an optional comment."""

    comment = forms.CharField(
        label="Anything you'd like to add", required=False, max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional. The leader reads it word for word, so write it as you'd say it kindly to them. Please "
        "don't name other people.",
    )
    # The comment the writer was warned about (it names someone): sending it unchanged means they decided.
    checked_comment = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, statements: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements = statements
        for index, statement in enumerate(statements, start=1):
            self.fields[f"s{index}"] = forms.TypedChoiceField(
                label=statement["text"], choices=RATINGS, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": "Choose how often this is true.",
                                "invalid_choice": "Choose one of the answers."},
            )

    def scores(self) -> list[int]:
        return [self.cleaned_data[f"s{index}"] for index in range(1, len(self.statements) + 1)]

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(behaviour, its statements' fields), in the round's order."""
        groups: list[tuple[str, list[forms.BoundField]]] = []
        for index, statement in enumerate(self.statements, start=1):
            group = statement.get("group") or ""
            if not groups or groups[-1][0] != group:
                groups.append((group, []))
            groups[-1][1].append(self[f"s{index}"])
        return groups

    def clean_comment(self) -> str:
        return (self.cleaned_data.get("comment") or "").replace("\x00", "").strip()


class ShareForm(ErrorsOnControls):
    mentors = forms.ModelMultipleChoiceField(
        label="Share with", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one mentor to share with."},
    )

    def __init__(self, *args: Any, mentors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentors"].queryset = mentors
        self.fields["mentors"].label_from_instance = lambda user: user.get_full_name()
