"""The shapes a presenter's brief can take: free text, or the Five whys (reflections.five_whys, the journal's template
for tracing a problem back to its roots). A structured brief keeps its parts in `Meeting.brief_parts`, keyed by the
step, and the shape's key in `Meeting.brief_template`; the steps' words stay in `reflections`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Meeting

FIVE_WHYS_KEY = "five-whys"


@dataclass(frozen=True)
class BriefShape:
    key: str
    label: str
    parts: list[tuple[str, str, str]]  # (step key, label, hint)
    about: dict[str, str] = field(default_factory=dict)  # reflections.five_whys.five_whys_about()


def shapes() -> list[BriefShape]:
    try:
        from reflections.five_whys import FIVE_WHYS, five_whys_about
    except ImportError:  # pragma: no cover - the journal without the Five whys
        return []
    return [BriefShape(key=FIVE_WHYS_KEY, label="Five whys",
                       parts=[(step.key, step.label, step.hint) for step in FIVE_WHYS], about=five_whys_about())]


def shape_named(name: object, *, default: str = "") -> BriefShape | None:
    """The shape asked for ("five-whys"), or the brief's own when nothing was asked; None for free text."""
    wanted = name if isinstance(name, str) and name else default
    if wanted == "free":
        return None
    return next((shape for shape in shapes() if shape.key == wanted), None)


def parts_for_display(meeting: Meeting) -> list[tuple[str, str]]:
    """(label, text) of a structured brief's parts that have words in them, in the shape's order."""
    if not meeting.brief_template or not meeting.brief_parts:
        return []
    shape = shape_named(meeting.brief_template)
    if shape is None:
        return [(str(key), str(text)) for key, text in meeting.brief_parts.items() if text]
    return [(label, str(meeting.brief_parts.get(key, ""))) for key, label, _ in shape.parts
            if meeting.brief_parts.get(key)]
