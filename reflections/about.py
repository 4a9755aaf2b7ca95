"""What a journal entry is written "about": a generic link that the apps above `reflections` fill in.

`reflections` sits below `feedback`, `supervision` and `learningsets` (DESIGN.md, "Which app may import which"),
yet a leader reflects on a 360, a supervision session or a learning set meeting, and the entry should say so and
link back. So an entry holds only a kind and an id (`JournalEntry.about_kind`, `about_id`, both empty or both
set), and the app that owns the kind says what it is, for whom, from its `AppConfig.ready()`:

    from reflections.about import AboutLink, about_register

    def three_sixty_about(user: User, pk: int) -> AboutLink | None:
        three_sixty = selectors.three_sixty_visible_to(user).filter(pk=pk).first()   # the app's own rule
        if three_sixty is None:
            return None
        return AboutLink(
            label="Your 360 of March 2027", url=reverse("threesixty:detail", args=[pk]),
            title="What my 360 told me",                          # suggested title (optional)
            prompt="Where did others see you differently?",       # opening prompt shown on the form (optional)
            behaviours=("attending",),                            # behaviours ticked to start with (optional)
        )

    about_register("feedback.360", three_sixty_about)

Then a link starts an entry about it: `about_new_entry_url("feedback.360", three_sixty.pk)`, which is
`/journal/new/?about=feedback.360:<id>`. The form shows the label (linking back), the opening prompt and the
suggested title; the saved entry shows the label on its page.

The rules:
- A resolver answers an `AboutLink` only if `user` may see the thing, and None otherwise (missing and forbidden
  alike). It runs in the organisation's schema, reads through its own app's selectors and costs a fixed number of
  queries (one or two). It is asked again every time the link is shown, for whoever is looking: a mentor reading
  an entry shared with them sees the label only if the resolver lets them see the thing itself.
- A kind nobody registered, an id that is not there or not theirs, or a value that does not parse is ignored
  silently: the journal never answers an error for it and never says whether the thing exists.
- An about link never widens who reads the entry: the entry stays its author's (`reflections.selectors.visibility`),
  whatever it is about and whoever may see that.
- `own_entries_about(user, kind=..., pk=...)` (in `reflections.selectors.journal`) lists the author's own entries
  about a thing, for a page of the higher app that says "you reflected on this" (its author's eyes only).
- Kinds are "<app>.<thing>" in lowercase ("feedback.360", "supervision.session", "learningsets.meeting"); a
  kind may carry a further part ("feedback.360.attending") when the same thing invites different prompts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.urls import reverse

if TYPE_CHECKING:
    from people.models import User

logger = logging.getLogger(__name__)

KIND_MAX = 40
KIND_SHAPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
ID_MAX = 2_147_483_647  # the largest PositiveIntegerField: a bigger one cannot be anybody's


@dataclass(frozen=True)
class AboutLink:
    """What an entry is about, as the viewer may see it: a short label and where it lives, plus what the owning
    app suggests for a new entry about it."""

    label: str
    url: str
    title: str = ""
    prompt: str = ""
    behaviours: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class About:
    """A kind and id that resolved for a user: the only thing `entry_create` accepts as an about link."""

    kind: str
    pk: int
    link: AboutLink

    @property
    def value(self) -> str:
        return about_value(self.kind, self.pk)


AboutResolver = Callable[["User", int], AboutLink | None]

_resolvers: dict[str, AboutResolver] = {}


def about_register(kind: str, resolve: AboutResolver) -> None:
    """Add (or replace: `ready()` may run more than once) the resolver of `kind`."""
    if len(kind) > KIND_MAX or not KIND_SHAPE.fullmatch(kind):
        raise ValueError(f"An about kind is '<app>.<thing>' in lowercase, at most {KIND_MAX} characters: {kind!r}")
    _resolvers[kind] = resolve


def about_unregister(kind: str) -> None:
    """For tests."""
    _resolvers.pop(kind, None)


def about_value(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def about_new_entry_url(kind: str, pk: int) -> str:
    """Where a "reflect on this" link goes: a new journal entry about `kind` `pk`."""
    return reverse("reflections:entry_new") + "?" + urlencode({"about": about_value(kind, pk)})


def about_parse(value: object) -> tuple[str, int] | None:
    """("feedback.360", 12) from "feedback.360:12"; None for anything else."""
    if not isinstance(value, str) or len(value) > KIND_MAX + 12:
        return None
    kind, _, number = value.strip().partition(":")
    if not KIND_SHAPE.fullmatch(kind) or len(kind) > KIND_MAX or not number.isascii() or not number.isdigit():
        return None
    pk = int(number)
    return (kind, pk) if 1 <= pk <= ID_MAX else None


def about_resolve(user: User, kind: str, pk: int | None) -> AboutLink | None:
    """What `kind` `pk` is, if `user` may see it; None otherwise (and for a kind nobody registered)."""
    resolve = _resolvers.get(kind)
    if resolve is None or pk is None or not user.is_authenticated:
        return None
    try:
        return resolve(user, pk)
    except (Http404, ObjectDoesNotExist):
        # A resolver should answer None, but one that looks up with get() or an access helper means the same.
        return None


def about_for(user: User, value: object) -> About | None:
    """The about link a request asked for ("kind:id"), if it parses, is registered and `user` may see it."""
    parsed = about_parse(value)
    if parsed is None:
        return None
    link = about_resolve(user, *parsed)
    return About(parsed[0], parsed[1], link) if link is not None else None
