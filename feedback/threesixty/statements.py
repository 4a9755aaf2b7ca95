"""What a 360 asks: the statements of the four behaviour self-checks, turned to the person being rated.

The words live with the curriculum (`courses`): each behaviour module's content file holds its self-check
statements ("When a colleague brings me a problem on shift, I stop…") and, one for one, the same statements about
someone else ("When I bring them a problem on shift, they stop…"), so a leader's own rating and others' ratings of
the same behaviour sit side by side. `courses.selectors.behaviour_statements_for_others` reads them.
"""

from __future__ import annotations

from courses.models import Behaviour
from courses.selectors import BehaviourStatements, behaviour_statements_for_others

from ..engine import Statement

SCALE = 5
RATINGS = [(1, "Never"), (2, "Rarely"), (3, "Sometimes"), (4, "Often"), (5, "Always")]
BEHAVIOURS = [b.value for b in Behaviour]


def behaviour_modules() -> list[BehaviourStatements]:
    """One module per behaviour, in the behaviours' order (attending, understanding, empathising, helping). One
    query."""
    found = {item.behaviour: item for item in behaviour_statements_for_others()}
    return [found[b] for b in BEHAVIOURS if b in found]


def statements_for_360() -> list[Statement]:
    """Every statement of the four behaviours, grouped by behaviour. The key names the module and the statement's
    place in its self-check ("attending.3"), so results can be put beside that module's self-check."""
    return [
        Statement(key=f"{item.module.slug}.{n}", text=others, group=item.behaviour)
        for item in behaviour_modules()
        for n, (_, others) in enumerate(item.pairs, start=1)
    ]


def module_slug_of(key: str) -> str:
    return key.rsplit(".", 1)[0]
