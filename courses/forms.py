from __future__ import annotations

from typing import Any

from django import forms

from people.models import Role

from .models import Behaviour, Module
from .selectors import REPORT_SORTS
from .widgets import FormattedTextarea

RATINGS = [(1, "Never"), (2, "Rarely"), (3, "Sometimes"), (4, "Often"), (5, "Always")]


class SelfCheckForm(forms.Form):
    """One Never…Always choice per statement of the module's self-check."""

    def __init__(self, *args: Any, module: Module, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements: list[str] = list(module.self_check.get("statements") or [])
        for index, statement in enumerate(self.statements, start=1):
            self.fields[f"s{index}"] = forms.TypedChoiceField(
                label=statement, choices=RATINGS, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": "Choose how often this is true for you."},
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"s{index}"] for index in range(1, len(self.statements) + 1)]

    def statement_fields(self) -> list[forms.BoundField]:
        return [self[f"s{index}"] for index in range(1, len(self.statements) + 1)]


class ModuleForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Give the module a title."})
    summary = forms.CharField(
        widget=FormattedTextarea(attrs={"rows": 4}), required=False,
        help_text="Two or three sentences shown at the top of the module. You can use simple formatting (bold, lists).",
    )
    behaviour = forms.ChoiceField(
        choices=[("", "None of the four (a general module)"), *Behaviour.choices], required=False,
        label="Which behaviour does it grow?",
    )


class LessonForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Give the lesson a title."})
    body = forms.CharField(
        label="Reading", widget=FormattedTextarea(attrs={"rows": 16}),
        help_text="You can use simple formatting (bold, lists). A blank line starts a new paragraph; a line starting "
        "with ## is a subheading.",
        error_messages={"required": "Write the reading for this lesson."},
    )
    practice = forms.CharField(
        label="Try this at work", widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="One concrete thing to try on the next shift.",
    )
    reflection_question = forms.CharField(
        label="Reflection question", max_length=500, required=False,
        help_text="One question to reflect on in the journal.",
    )
    minutes = forms.IntegerField(
        label="CPD minutes", min_value=1, max_value=600, initial=15,
        help_text="About how long reading and practice take.",
        error_messages={"required": "Say roughly how many minutes it takes."},
    )


class ReportFilterForm(forms.Form):
    """Who the learning report covers and in which order; read from the query string, so a view can be bookmarked
    and the CSV and PDF carry the same choice."""

    role = forms.ChoiceField(label="Role", required=False, choices=[("", "Everyone"), *Role.choices])
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(REPORT_SORTS.items()))
