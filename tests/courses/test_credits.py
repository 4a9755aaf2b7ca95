"""Credit where an idea comes from (CURRICULUM-BRIEF.md): each thinker is named, plainly, in the lesson that
introduces their idea, as the programme teaches its learners to do."""

from __future__ import annotations

from pathlib import Path

import pytest

FOUNDATIONS = Path(__file__).resolve().parents[2] / "courses" / "content" / "foundations"

CREDITS = [
    ("Michael West", "01-welcome/01-what-compassionate-leadership-is.md", "four things you do"),
    ("Amy Edmondson", "06-psychological-safety/01-what-fear-looks-like.md", "Psychological safety is a shared belief"),
    ("Reg Revans", "08-action-learning-sets/01-how-a-set-runs.md", "ask questions, don't give advice"),
    ("Graham Gibbs", "01-welcome/02-your-private-journal.md", "Gibbs' reflective cycle"),
    ("Gary Rolfe", "01-welcome/02-your-private-journal.md", "What? So what? Now what?"),
]


@pytest.mark.parametrize(("name", "lesson", "idea"), CREDITS)
def test_each_thinker_is_named_where_their_idea_is_introduced(name: str, lesson: str, idea: str):
    text = (FOUNDATIONS / lesson).read_text(encoding="utf-8")
    assert idea in text, f"{lesson} no longer introduces {idea!r}: move the credit with it"
    # Named beside the idea (within a few sentences), not somewhere else in the lesson.
    assert name in text, f"{name} is not named in {lesson}"
    assert abs(text.index(name) - text.index(idea)) < 400, f"{name} is not credited beside {idea!r} in {lesson}"


def test_no_thinker_is_credited_twice_in_the_programme():
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(FOUNDATIONS.rglob("*.md")))
    for name, _, _ in CREDITS:
        assert text.count(name) == 1, f"{name} is named {text.count(name)} times; once, where the idea comes in"
