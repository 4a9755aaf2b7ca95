"""Every write of a team's recurring problems: adding one and changing it. Any current member of the team may do
both (the views reach a problem only through `problems_selectors.access_problem_by_id(..., to_edit=True)`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from people.models import User
from reflections.five_whys import FIVE_WHYS_KEYS
from teams.models import Team

from .models import ProblemStatus, RecurringProblem


class ProblemChangedMeanwhile(Exception):
    """Someone else saved the problem after this person opened it: nothing was written."""


def _steps(values: dict[str, Any]) -> dict[str, str]:
    # NUL cannot be stored in PostgreSQL text, and is never meant: it is dropped rather than failing the write.
    return {key: str(values.get(key) or "").replace("\x00", "").strip() for key in FIVE_WHYS_KEYS}


@transaction.atomic
def problem_add(*, team: Team, by: User, title: str, steps: dict[str, Any], owner: User | None = None,
                look_again_on: date | None = None, status: str = ProblemStatus.EXPLORING) -> RecurringProblem:
    now = timezone.now()
    return RecurringProblem.objects.create(
        team=team, title=title.replace("\x00", "").strip(), status=status, owner=owner,
        look_again_on=look_again_on, created_at=now, updated_at=now, updated_by=by, **_steps(steps),
    )


@transaction.atomic
def problem_update(*, problem: RecurringProblem, by: User, version: int, title: str, steps: dict[str, Any],
                   owner: User | None, look_again_on: date | None, status: str) -> RecurringProblem:
    """Save the team's changes, unless someone else saved since `version` was read (ProblemChangedMeanwhile)."""
    values = {
        "title": title.replace("\x00", "").strip(), "status": status, "owner": owner, "look_again_on": look_again_on,
        "updated_at": timezone.now(), "updated_by": by, **_steps(steps),
    }
    changed = RecurringProblem.objects.filter(pk=problem.pk, version=version).update(
        version=F("version") + 1, **values
    )
    if not changed:
        raise ProblemChangedMeanwhile
    problem.refresh_from_db()
    return problem
