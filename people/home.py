"""What each person's home page leads with: sections that the apps above `people` fill in.

`people` is the base app (DESIGN.md, "Which app may import which"): it never imports `courses`, `reflections` or
anything built on them, yet the home page (`people.views.home`) must say what changed in each of them. So the
home page asks this small registry, and each app registers its own sections from its `AppConfig.ready()`:

    from people.home import HomeSection, home_section_register

    def news_section(user: User) -> HomeSection | None: ...

    home_section_register("reflections.news", news_section, priority=10)

A provider takes the signed-in person and answers a `HomeSection` (a heading, the template that draws it and
that template's context) or None when the section is not for them (a mentor's section for someone who mentors
nobody). It runs inside the organisation's schema, reads only through its own app's selectors (the visibility
rules live there, not here) and costs a fixed number of queries, whatever the amount of data: the home page's
query count is held by `tests/people/test_home_sections.py`. Words stay in the section's template.

The page shows sections in priority order (lower first), those with something in them before those showing an
empty state, so it leads with what is new and what is next. The numbers in use:

    10  replies and acknowledgements on your entries            reflections
    20  entries shared with you, replies from your leaders      reflections
    22  supervision with X soon: add what you want to talk about supervision (sessions)
    25  your team's pulse is open, two minutes                   feedback (pulse)
    28  360s you are asked to answer; your 360's results         feedback (360)
    30  prompts waiting                                          reflections
    33  a stretch offered to you; suggestions to your profile    supervision (growth)
    35  your teams, and which you lead                           teams
    38  set invitations, your sets' next meetings, you present   learningsets
    40  the lesson to continue                                   courses
    50  invitations and set-up steps waiting for an admin       people

Later apps slot in between (teams, feedback: pick a free number and add it to this table).

The admin's welcome checklist has steps that belong to other apps too ("take your first lesson" is `courses`'
to know): `welcome_step_register(key, check)` adds one, `check(user) -> bool` answering whether it is done, and
`people.selectors.welcome_checklist(user)` reads them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import User


@dataclass(frozen=True)
class HomeSection:
    key: str  # stable and unique; also the section's HTML id ("home-<key>")
    title: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    # True when the section only says what to do first (nothing new, nothing waiting): it goes after the others.
    empty: bool = False
    priority: int = 0  # set by the registry

    @property
    def html_id(self) -> str:
        return "home-" + self.key.replace(".", "-")


HomeProvider = Callable[["User"], HomeSection | None]
WelcomeCheck = Callable[["User"], bool]

_providers: dict[str, tuple[int, HomeProvider]] = {}
_welcome_checks: dict[str, WelcomeCheck] = {}


def home_section_register(key: str, provider: HomeProvider, *, priority: int) -> None:
    """Add (or replace: `ready()` may run more than once) the provider named `key`."""
    _providers[key] = (priority, provider)


def home_sections(user: User) -> list[HomeSection]:
    """The sections for `user`, in the order the page shows them."""
    sections = []
    for key, (priority, provider) in sorted(_providers.items(), key=lambda item: (item[1][0], item[0])):
        section = provider(user)
        if section is not None:
            sections.append(replace(section, key=section.key or key, priority=priority))
    return sorted(sections, key=lambda section: (section.empty, section.priority))


def welcome_step_register(key: str, check: WelcomeCheck) -> None:
    """A step of the admin's welcome checklist that another app knows the answer to."""
    _welcome_checks[key] = check


def welcome_steps_registered() -> dict[str, WelcomeCheck]:
    return dict(_welcome_checks)
