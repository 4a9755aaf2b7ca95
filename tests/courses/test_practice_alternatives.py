"""A practice that assumes a shared building or people to supervise also offers a way in for someone who
works alone in people's homes, or who does not supervise anyone yet (CURRICULUM-BRIEF.md, issue 9)."""

from __future__ import annotations

import re

import pytest

from courses.loader import DEFAULT_PROGRAMME_DIR, read_programme
from courses.markdown import render_markdown

LONE_WORKING = "**Working alone in people's homes?**"
NOT_SUPERVISING = "**Not supervising anyone yet?**"
# A practice that only works where the team shares a room at the same time.
SHARED_ROOM = re.compile(r"\b(handover|team meeting)\b", re.IGNORECASE)
# A practice that only works for someone who supervises people.
SUPERVISING = re.compile(r"\b(you supervise|supervision session|send the person)\b|^In your next supervision",
                         re.IGNORECASE)


def _lessons() -> list[tuple[str, str]]:
    programme = read_programme(DEFAULT_PROGRAMME_DIR)
    assert programme is not None
    return [(f"{m.slug}/{lesson.slug}", lesson.practice) for m in programme.modules for lesson in m.lessons]


def _first_paragraph(practice: str) -> str:
    return practice.split("\n\n")[0]


@pytest.mark.parametrize(("lesson", "practice"), _lessons())
def test_practices_that_need_a_shared_room_or_supervisees_offer_another_way(lesson, practice):
    main = _first_paragraph(practice)
    if SHARED_ROOM.search(main):
        assert LONE_WORKING in practice, f"{lesson}: no alternative for lone working"
    if SUPERVISING.search(main):
        assert NOT_SUPERVISING in practice, f"{lesson}: no alternative for people who do not supervise anyone yet"
    # Each alternative is its own short paragraph, so the lesson page shows it as one.
    for paragraph in practice.split("\n\n")[1:]:
        assert paragraph.startswith("**") and "?**" in paragraph, lesson
        assert len(paragraph) <= 300, lesson


def test_every_supervision_practice_has_a_version_for_people_not_supervising_yet():
    programme = read_programme(DEFAULT_PROGRAMME_DIR)
    module = next(m for m in programme.modules if m.slug == "relational-supervision")
    for lesson in module.lessons:
        assert NOT_SUPERVISING in lesson.practice, lesson.slug


def test_an_alternative_renders_as_its_own_paragraph_with_its_question_in_bold():
    practice = dict(_lessons())["attending/being-present"]
    html = str(render_markdown(practice))
    assert html.count("<p>") == 3
    assert "<p><strong>Working alone in people's homes?</strong>" in html.replace("&#39;", "'").replace("’", "'")
