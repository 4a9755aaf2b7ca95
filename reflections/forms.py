from __future__ import annotations

from typing import Any

from django import forms

from courses.models import Behaviour
from courses.widgets import FormattedTextarea

from .models import SECTIONS, TEXT_FIELDS, EntryTemplate


class EntryForm(forms.Form):
    title = forms.CharField(
        max_length=200, error_messages={"required": "Give your entry a title, so you can find it again."},
        help_text="A few words to help you find it again. Only you see your journal unless you share an entry.",
    )
    template = forms.ChoiceField(
        label="How would you like to reflect?", choices=EntryTemplate.choices, initial=EntryTemplate.FREE,
        widget=forms.RadioSelect,
    )
    behaviours = forms.MultipleChoiceField(
        label="Which behaviours does this touch on?", choices=Behaviour.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, allow_empty: bool | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allow_empty is not None:
            self.allow_empty = allow_empty
        # A draft may be untitled and empty; a saved entry needs a title and some words.
        self.fields["title"].required = not self.allow_empty
        for template, sections in SECTIONS.items():
            for name, label, hint in sections:
                self.fields[name] = forms.CharField(
                    label=label, help_text=hint, required=False,
                    widget=forms.Textarea(attrs={"rows": 8 if template == EntryTemplate.FREE else 4,
                                                 "data-template": template}),
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        template = data.get("template")
        if template and "template" not in self.errors:
            names = [name for name, _, _ in SECTIONS[template]]
            if not any((data.get(name) or "").strip() for name in names) and not self.allow_empty:
                self.add_error(None, "Write something in at least one section before you save.")
        return data

    allow_empty = False

    def section_groups(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """(template value, label, bound fields) for the template switcher."""
        return [(value, label, [self[name] for name, _, _ in SECTIONS[value]]) for value, label in
                EntryTemplate.choices]

    def text_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in TEXT_FIELDS}


class AutosaveForm(EntryForm):
    allow_empty = True


class SearchForm(forms.Form):
    q = forms.CharField(label="Search your journal", required=False, max_length=200)
    behaviour = forms.ChoiceField(label="Behaviour", choices=[("", "Any")] + Behaviour.choices, required=False)
    template = forms.ChoiceField(label="Template", choices=[("", "Any")] + EntryTemplate.choices, required=False)
    shared = forms.ChoiceField(
        label="Shared", required=False,
        choices=[("", "Shared or not"), ("yes", "Shared with a mentor"), ("no", "Not shared")],
    )
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ShareForm(forms.Form):
    mentors = forms.ModelMultipleChoiceField(
        label="Share with", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one mentor to share with."},
    )

    def __init__(self, *args: Any, mentors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentors"].queryset = mentors
        self.fields["mentors"].label_from_instance = lambda user: user.get_full_name()


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your reply", max_length=10000,
        help_text="You can use simple formatting (bold, lists). You can change it for 15 minutes, and delete it at "
        "any time.",
        widget=FormattedTextarea(attrs={"rows": 4}),
        error_messages={"required": "Write something before you send it."},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Your journal export",
        help_text="The ZIP you downloaded from Heartwood, or the journal.json inside it.",
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(label="Your password", widget=forms.PasswordInput(attrs={"autocomplete":
                                                                                            "current-password"}))
    confirm = forms.BooleanField(
        label="I understand my journal, conversations and account will be deleted for good",
        error_messages={"required": "Tick the box to confirm."},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password
