"""What else an invitation can carry, filled in by the apps above `people`: a team, for instance.

`people` is the base app (DESIGN.md, "Which app may import which"): it never imports `teams`, yet "invite Nia, into
the Larch House team" is one step for an admin. So an invitation keeps its extras in `Invitation.extras` (a JSON
object, key → value), and an app registers an `InvitationExtra` from its `AppConfig.ready()`:

    from people.invitation_extras import InvitationExtra, invitation_extra_register

    invitation_extra_register(InvitationExtra(key="team", field=..., csv_column="team", csv_reader=..., apply=...))

- `field()` answers a fresh, optional form field (or None to leave it out, when there is nothing to choose). The
  invitation form and the "add someone without an email address" form show it under the name `key`; its cleaned
  value is stored as it is, so it must be JSON (an id, a string), or empty for "nothing".
- `csv_column` names an optional column of the CSV upload; `csv_reader()` is called once per upload and answers a
  function that turns one cell into the value to store, or raises `InvitationExtraError(reason)`: that row is
  rejected, with the reason in the upload's report, and nothing is made for it.
- `apply(user, value)` does what the value asks once the person exists (an invitation accepted, someone added
  without an email address), inside the transaction that made them. A value that no longer fits (a team archived
  since the invitation went) is ignored: joining never fails because of an extra.

The rule of what an extra means lives in the app that registers it; `people` only carries the value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django import forms

    from .models import User


class InvitationExtraError(Exception):
    """A cell of the CSV upload that cannot be used; the message finishes the report's "why" for that row."""


@dataclass(frozen=True)
class InvitationExtra:
    key: str
    field: Callable[[], forms.Field | None]
    apply: Callable[[User, Any], None]
    csv_column: str = ""
    csv_reader: Callable[[], Callable[[str], Any]] | None = None
    csv_hint: str = ""  # what goes in the column, for the upload page ("a team's name, as on the Teams page")


_extras: dict[str, InvitationExtra] = {}


def invitation_extra_register(extra: InvitationExtra) -> None:
    """Add (or replace: `ready()` may run more than once) the extra named `extra.key`."""
    _extras[extra.key] = extra


def invitation_extras() -> list[InvitationExtra]:
    return [_extras[key] for key in sorted(_extras)]


def csv_extra_columns() -> list[str]:
    return [extra.csv_column for extra in invitation_extras() if extra.csv_column]


def csv_extra_hints() -> list[tuple[str, str]]:
    """(column, what goes in it) for each optional column of the CSV upload."""
    return [(extra.csv_column, extra.csv_hint) for extra in invitation_extras() if extra.csv_column]


def extras_apply(*, user: User, extras: Mapping[str, Any] | None) -> None:
    """Do what each extra asks for `user` (call it inside the transaction that made them)."""
    for extra in invitation_extras():
        value = (extras or {}).get(extra.key)
        if value not in (None, ""):
            extra.apply(user, value)
