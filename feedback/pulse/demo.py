"""The demo team's year of pulses (called by `feedback.demo.seed`): twelve monthly rounds with a believable,
gently improving trend, one summer month when too few answered to show anything, and a few kind comments. Everyone
and everything in it is made up.

Made through the pulse's services and the engine, as a real team's would be: each round opens with a close in the
future, takes its answers, closes (freezing its results), and is then back-dated with an update. Runs once: a team
that already has pulses is left as it is."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from feedback import engine
from feedback.models import PulseRhythm, PulseRound, Respondent, Round
from people.models import User
from teams.demo import DEMO_TEAM_NAME
from teams.models import Team

from . import selectors, services
from .statements import SCALE, STATEMENTS

ROUNDS = 12
BELOW_K_ROUND = 5  # the August one: half the team on leave
# How each statement tends to sit against the team's overall feeling: raising problems and taking a risk are
# the harder ones at first; skills and help feel better.
LEANING = {"mistakes": -0.2, "problems": -0.6, "difference": 0.3, "risk": -0.8, "help": 0.4, "undermining": 0.5,
           "skills": 0.2}
COMMENTS = {
    2: ["Handovers feel rushed on the late shift. It's nobody's fault, but we don't always get to say what's "
        "worrying us."],
    6: ["The five-minute huddle before the medication round has really helped.",
        "I'd like us to talk about how we welcome agency staff; it can feel a bit them and us."],
    9: ["I said I'd got a chart wrong and nobody made a thing of it. That meant a lot."],
    11: ["It feels more like a team than it did last winter.",
         "Could we keep the Friday catch-up going? It's where the small things get said."],
}


def _demo_team() -> Team | None:
    """The teams app's demo team (never one of our own: a second team would compete with it)."""
    return Team.objects.filter(name=DEMO_TEAM_NAME, archived_at__isnull=True).first()


def _scores(rng: random.Random, level: float) -> list[int]:
    scores = []
    for statement in STATEMENTS:
        favourable = min(SCALE, max(1, round(level + LEANING[statement.key] + rng.gauss(0, 0.9))))
        scores.append(SCALE + 1 - favourable if statement.reverse else favourable)
    return scores


def seed(*, people: dict[str, User]) -> None:
    team = _demo_team()
    if team is None or PulseRound.objects.filter(team=team).exists():
        return
    members = list(selectors.current_members(team))
    k = engine.k_for("pulse")
    if len(members) < k:
        return
    rng = random.Random(2026)
    now = timezone.now()
    for index in range(ROUNDS):
        pulse = services.pulse_open(team=team, by=people["admin"], days_open=7, now=now)
        respondents = list(Respondent.objects.filter(round=pulse.round).order_by("id"))
        answering = k - 1 if index == BELOW_K_ROUND else max(k, len(respondents) - rng.randint(0, 2))
        level = 4.1 + 1.4 * index / (ROUNDS - 1)  # from a little above the middle to fairly safe
        comments = COMMENTS.get(index, [])
        for position, respondent in enumerate(rng.sample(respondents, min(answering, len(respondents)))):
            comment = comments[position] if position < len(comments) else ""
            engine.answer_record(respondent=respondent, scores=_scores(rng, level), comment=comment)
        engine.round_close(round_=pulse.round, at=now)
        # Back-date: monthly, the newest closed about three weeks ago.
        opened = now - timedelta(days=30 * (ROUNDS - index) - 9)
        closes = opened + timedelta(days=7)
        Round.objects.filter(pk=pulse.round_id).update(
            opened_at=opened, closes_at=closes, closed_at=closes, reminded_at=opened + timedelta(days=4),
        )
        Respondent.objects.filter(round=pulse.round).update(created_at=opened, emailed_at=opened)
    next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    services.pulse_schedule_set(team=team, by=people["admin"], rhythm=PulseRhythm.MONTHLY, days_open=7,
                                next_opens_on=next_month)
