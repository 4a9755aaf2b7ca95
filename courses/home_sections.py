"""The home page section `courses` fills in, and the welcome checklist's "take your first lesson" step
(registered in `CoursesConfig.ready()`; see `people.home`)."""

from __future__ import annotations

from people.home import HomeSection
from people.models import User

from . import selectors

LESSON_PRIORITY = 40


def lesson_section(user: User) -> HomeSection | None:
    """The lesson to continue, or where to begin."""
    learning = selectors.next_lesson_for(user)
    if not learning.has_modules:
        return None
    if learning.lesson is None:
        title = "Your learning"
    elif learning.lessons_done:
        title = "Continue where you left off"
    else:
        title = "Start here"
    return HomeSection(
        key="courses.lesson", title=title, template="courses/home_lesson.html", context={"learning": learning},
        empty=learning.lesson is None,
    )


def first_lesson_done(user: User) -> bool:
    return selectors.has_completed_a_lesson(user)
