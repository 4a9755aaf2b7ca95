"""The Five whys: tracing a problem back to its roots. One definition of its steps, for every place that uses it.

The journal's "Five whys" template (reflections.models.SECTIONS) is built from `FIVE_WHYS`, and apps above
`reflections` use the same steps for their own writing, so the words and the order live here once:

    from reflections.five_whys import FIVE_WHYS, five_whys_form_fields, five_whys_steps

    class BriefForm(forms.Form):
        ...
    BriefForm.base_fields.update(five_whys_form_fields())      # problem, why1..why5, root, action

    {% include "reflections/partials/five_whys.html" with steps=brief_steps %}   # five_whys_steps(values)

Each step has a `key` (problem, why1 ... why5, root, action: use them as form field names, JSON keys or column
names), a `label` and a `hint`. A journal entry stores step `key` in the column `fw_<key>`. Nothing is required
by the structure itself: stop asking why when you reach something you can act on, so later whys may stay empty.
`FIVE_WHYS_INTRO` says how it works in one short paragraph; `five_whys_lesson_url()` is the Understanding
module's lesson on root causes, which explains it more fully (the curriculum is `courses`' own: link, never copy).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.urls import reverse


@dataclass(frozen=True)
class WhyStep:
    key: str
    label: str
    hint: str

    @property
    def is_why(self) -> bool:
        return self.key.startswith("why")


FIVE_WHYS: tuple[WhyStep, ...] = (
    WhyStep("problem", "The problem", "What keeps going wrong? Describe what happens, not who did it."),
    WhyStep("why1", "Why does it happen?", "Your first answer. The obvious one is a fine place to start."),
    WhyStep("why2", "Why is that?", "Ask why about your last answer, not about the problem again."),
    WhyStep("why3", "And why is that?",
            "Keep building on the answer before. If you have reached something you can act on, you can stop here."),
    WhyStep("why4", "Why, again?", "Not there yet? Ask once more. Leave the rest empty if you have found it."),
    WhyStep("why5", "One last why", "Five is a rule of thumb, not a target."),
    WhyStep("root", "The root you reached",
            "What sits underneath it all? Sometimes there is more than one root: name each of them."),
    WhyStep("action", "What you will try",
            "One change aimed at the root, not the branches, and when you will look again to see if it helped."),
)
FIVE_WHYS_KEYS: tuple[str, ...] = tuple(step.key for step in FIVE_WHYS)
FIVE_WHYS_WHY_KEYS: tuple[str, ...] = tuple(step.key for step in FIVE_WHYS if step.is_why)

FIVE_WHYS_INTRO = (
    "Trace a problem that keeps coming back to what sits underneath it. Ask why it happens, then ask why about "
    "your answer, each why building on the last. Stop when you reach something you can act on: that might take "
    "three whys or five. Describe situations, not people: this is about what gets in the way, never about blame."
)

ROOT_CAUSES_LESSON = ("understanding", "root-causes")  # the Understanding module's "Root causes, not branches"
ROOT_CAUSES_LESSON_TITLE = "Root causes, not branches"


def five_whys_lesson_url() -> str:
    return reverse("courses:lesson", args=ROOT_CAUSES_LESSON)


def five_whys_about() -> dict[str, str]:
    """What the intro partial (reflections/partials/five_whys_intro.html) shows: the paragraph and the lesson."""
    return {"intro": FIVE_WHYS_INTRO, "lesson_url": five_whys_lesson_url(), "lesson_title": ROOT_CAUSES_LESSON_TITLE}


def journal_field(key: str) -> str:
    """The journal entry column holding step `key`."""
    return f"fw_{key}"


def five_whys_steps(values: Mapping[str, str] | object) -> list[tuple[WhyStep, str]]:
    """(step, text) for each step, from a mapping keyed by step key or an object with those attributes."""
    if isinstance(values, Mapping):
        return [(step, str(values.get(step.key) or "")) for step in FIVE_WHYS]
    return [(step, str(getattr(values, step.key, "") or "")) for step in FIVE_WHYS]


def five_whys_form_fields(*, max_length: int | None = 2000, rows: int = 3,
                          required: tuple[str, ...] = ()) -> dict[str, forms.CharField]:
    """Form fields named by step key, with the steps' labels and hints (the journal builds its own from SECTIONS)."""
    return {
        step.key: forms.CharField(
            label=step.label, help_text=step.hint, required=step.key in required, max_length=max_length,
            widget=forms.Textarea(attrs={"rows": rows}),
        )
        for step in FIVE_WHYS
    }
