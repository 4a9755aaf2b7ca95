"""Reads of strengths that carry a rule. A person's own strengths are theirs (`strengths_of`); a team sees only what
each current member chose to show it (`team_strengths_map`), drawn as who brings what, with pairings suggested
from `teams.strengths.COMPLEMENTS`. Nothing here ranks anyone."""

from __future__ import annotations

from dataclasses import dataclass, field

from people.models import User

from .models import StrengthProfile, Team
from .selectors import current_members
from .strengths import COMPLEMENTS, LABELS, Strength

PAIRINGS_MAX = 3


def strengths_of(user: User) -> StrengthProfile | None:
    """`user`'s own strengths (for them, and for the growth profile their supervisor sees). One query."""
    return StrengthProfile.objects.filter(user=user).first()


@dataclass(frozen=True)
class Person:
    user: User
    picks: list[str]
    labels: list[str]
    own_words: str

    @property
    def initials(self) -> str:
        parts = str(self.user).replace("-", " ").split()
        return ("".join(part[0] for part in parts[:1] + parts[1:][-1:]) or "?").upper()


@dataclass(frozen=True)
class Pairing:
    first: Person
    first_strength: str
    second: Person
    second_strength: str
    why: str


@dataclass(frozen=True)
class StrengthsMap:
    people: list[Person]
    # (strength label, the people who bring it), in the list's order, only strengths someone brings.
    rows: list[tuple[str, list[Person]]] = field(default_factory=list)
    pairings: list[Pairing] = field(default_factory=list)


def team_strengths_map(team: Team) -> StrengthsMap:
    """What `team`'s current members chose to show it, as who brings what, and up to three pairings whose strengths
    complement each other. One query, however many people and strengths."""
    members = current_members(team).values("pk")
    profiles = (
        StrengthProfile.objects.filter(shown_to_team=True, user__in=members)
        .select_related("user").order_by("user__full_name", "user__pk")
    )
    people = [
        Person(user=p.user, picks=list(p.picks), labels=p.labels, own_words=p.own_words)
        for p in profiles if not p.is_empty
    ]
    rows = [(label, [p for p in people if value in p.picks]) for value, label in Strength.choices]
    return StrengthsMap(people=people, rows=[row for row in rows if row[1]], pairings=pairings_for(people))


def pairings_for(people: list[Person]) -> list[Pairing]:
    """For each complementary pair of strengths (in `COMPLEMENTS`' order), two different people who bring one each,
    preferring people not suggested yet; at most `PAIRINGS_MAX`."""
    suggested: list[Pairing] = []
    used: set[int] = set()
    for complement in COMPLEMENTS:
        if len(suggested) >= PAIRINGS_MAX:
            break
        firsts = [p for p in people if complement.first in p.picks]
        seconds = [p for p in people if complement.second in p.picks]
        options = [
            (a, b) for a in firsts for b in seconds
            if a.user.pk != b.user.pk and complement.second not in a.picks and complement.first not in b.picks
        ] or [(a, b) for a in firsts for b in seconds if a.user.pk != b.user.pk]
        if not options:
            continue
        a, b = min(options, key=lambda pair: ((pair[0].user.pk in used) + (pair[1].user.pk in used)))
        used |= {a.user.pk, b.user.pk}
        suggested.append(Pairing(
            first=a, first_strength=LABELS[complement.first], second=b, second_strength=LABELS[complement.second],
            why=complement.why,
        ))
    return suggested
