"""The demo leader's finished 360 (feedback/demo.py calls `seed`): Sam asked seven people about a month ago (Priya,
Morgan, Ellis, three Larch House colleagues when the teams demo made them, and two people by email at
example.org); five answered, and it closed a fortnight ago. Sam's own self-checks for the four behaviours sit beside
it (made here for any behaviour Sam has not checked yet). Everyone and everything in it is made up.

Made through the services and the engine (asked, answered, closed), then back-dated. Runs once: when Sam has any
360 it leaves everything as it is.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from courses import services as learning
from courses.models import SelfCheckResponse
from people.models import User

from .. import engine
from ..models import Respondent, Round, ThreeSixty
from . import services
from .statements import behaviour_modules

EXTERNAL = ["jo.family@example.org", "community.nurse@example.org"]
COLLEAGUES = ["amira", "femi", "josie"]  # Larch House (teams.demo), by username
# Sam's own view, a point on the 1-5 scale per behaviour: a little hard on their attending, a little generous
# about their helping (following through is what slips when the floor is busy).
OWN = {"attending": 3, "understanding": 4, "empathising": 4, "helping": 4}
# Others' view per behaviour, and each rater's lean (some rate high, some low): the spread is real.
OTHERS = {"attending": 4.4, "understanding": 3.6, "empathising": 3.9, "helping": 3.2}
LEANS = [0.4, -0.3, 0.0, 0.6, -0.6]
COMMENTS = [
    "When I came back after my dad died you sat with me in the office for half an hour, even though the "
    "medication round was late. I haven't forgotten it.",
    "You always ask what would help before jumping in. Sometimes I'd like you to follow up afterwards too: a few "
    "of the things we agreed at supervision got lost when the rota went wrong.",
    "",
    "You listen properly at handover and the quieter ones on shift speak up more since you started asking them "
    "first. Please look after yourself a bit more, you stay late too often.",
    "As a relative I always feel heard when I ring. Things I ask for sometimes take a while to happen, but you "
    "explain why, and that matters.",
]


def _own_self_checks(leader: User) -> None:
    done = set(SelfCheckResponse.objects.filter(user=leader).values_list("module_id", flat=True))
    for item in behaviour_modules():
        if item.module.pk in done:
            continue
        rating = OWN.get(item.behaviour, 3)
        answers = [max(1, min(5, rating + (-1 if n % 4 == 3 else 0))) for n in range(len(item.pairs))]
        response = learning.self_check_record(user=leader, module=item.module, answers=answers)
        SelfCheckResponse.objects.filter(pk=response.pk).update(
            created_at=(timezone.localtime() - timedelta(days=35)).replace(hour=21, minute=10)
        )


def _scores(round_: Round, lean: float, n: int) -> list[int]:
    scores = []
    for index, statement in enumerate(round_.statements):
        wobble = (index * 7 + n * 3) % 5 - 2  # -2..2, the same every run
        value = OTHERS.get(statement.get("group"), 3.5) + lean + wobble * 0.35
        scores.append(max(1, min(5, round(value))))
    return scores


def seed(*, people: dict[str, User]) -> None:
    leader = people["leader"]
    if ThreeSixty.objects.filter(leader=leader).exists() or not behaviour_modules():
        return
    _own_self_checks(leader)
    raters = [people["admin"], people["mentor"]]
    raters += list(User.objects.filter(username__in=["ellis.night", *COLLEAGUES], is_active=True))
    three_sixty = services.three_sixty_request(leader=leader, users=raters, emails=EXTERNAL, days_open=14)
    round_ = three_sixty.round
    answering = [r for r in Respondent.objects.filter(round=round_).select_related("user").order_by("id")
                 if r.user_id is None or r.user.username in COLLEAGUES or r.user_id == people["admin"].pk]
    for n, (respondent, lean) in enumerate(zip(answering[:len(LEANS)], LEANS, strict=False)):
        engine.answer_record(respondent=respondent, scores=_scores(round_, lean, n),
                             comment=COMMENTS[n % len(COMMENTS)])
    services.three_sixty_close(three_sixty=three_sixty, leader=leader)
    services.three_sixty_share(three_sixty=three_sixty, leader=leader, mentor=people["mentor"])
    # Asked a month ago, closed a fortnight ago; every ask went by email at the time (nothing is sent now).
    now = timezone.now()
    asked, closed = now - timedelta(days=30), now - timedelta(days=16)
    Round.objects.filter(pk=round_.pk).update(
        opened_at=asked, closes_at=closed, closed_at=closed, reminded_at=closed - timedelta(days=3),
    )
    Respondent.objects.filter(round=round_).update(created_at=asked, emailed_at=asked + timedelta(minutes=2))
