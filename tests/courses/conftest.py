"""Small content trees written into tmp_path, so loader tests never depend on the shipped writing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from courses.loader import curriculum_sync
from courses.models import Programme

SELF_CHECK = """\
self_check:
  intro: Just for you.
  statements:
    - I stop and listen when a colleague brings me a problem.
    - I notice who has not spoken in a meeting.
    - I look after myself on a long shift.
  suggestions:
    low: ["Try two minutes of full attention with one person."]
    middle: ["Ask the quietest person first at handover."]
    high: ["Teach someone else what works for you."]
"""


def write_module(
    root: Path, folder: str, slug: str, title: str, *, order: int, behaviour: str = "", version: int = 1,
    lessons: int = 2, lesson_version: int = 1, self_check: bool = False, body_prefix: str = "Reading",
) -> None:
    path = root / folder
    path.mkdir(parents=True, exist_ok=True)
    check = SELF_CHECK if self_check else ""
    (path / "module.md").write_text(
        f"---\nslug: {slug}\ntitle: {title}\nversion: {version}\norder: {order}\nbehaviour: {behaviour}\n{check}---\n"
        f"Summary of {title} (v{version}).\n"
    )
    for n in range(1, lessons + 1):
        (path / f"{n:02d}-lesson-{n}.md").write_text(dedent(f"""\
            ---
            slug: {slug}-lesson-{n}
            title: {title} lesson {n}
            version: {lesson_version}
            minutes: {10 + n}
            practice: Try thing {n} on your next shift.
            question: What did you notice about {n}?
            ---
            {body_prefix} for {title} lesson {n}, version {lesson_version}.

            ## A subheading

            More words.
            """))


def write_tree(root: Path, *, version: int = 1, lesson_version: int = 1) -> Path:
    programme = root / "foundations"
    programme.mkdir(parents=True, exist_ok=True)
    (programme / "programme.md").write_text(
        f"---\nslug: test-programme\ntitle: Test programme\nversion: {version}\n---\nA programme for tests.\n"
    )
    write_module(programme, "01-welcome", "welcome", "Welcome", order=1, version=version,
                 lesson_version=lesson_version)
    write_module(programme, "02-attending", "attending", "Attending", order=2, behaviour="attending",
                 version=version, lesson_version=lesson_version, self_check=True, lessons=3)
    return programme


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_tree(tmp_path)


@pytest.fixture
def loaded(db, alpha, content: Path) -> Callable[[], None]:
    """alpha holds exactly the small test tree (the shipped modules, if any, are removed in this test only)."""
    with tenant_context(alpha):
        Programme.objects.all().delete()
        curriculum_sync(content)
    return content


def complete_after_reading(user, lesson):
    """Open a lesson, spend its reading time on it (its visit back-dated), then mark it done: a lesson that counts
    towards CPD minutes under courses.services' rule. Inside the organisation's schema."""
    from datetime import timedelta

    from courses import services
    from courses.models import LessonProgress

    services.lesson_visit_record(user=user, lesson=lesson)
    seconds = services.lesson_reading_seconds(lesson)
    LessonProgress.objects.filter(user=user, lesson=lesson).update(
        opened_at=timezone.now() - timedelta(seconds=seconds + 5)
    )
    return services.lesson_complete(user=user, lesson=lesson)
