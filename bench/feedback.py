"""The team pulse at the size of a large provider: 200 teams of 25 people, a round opened for every team and 5,000
answers recorded, beside a naive baseline measured in the same run.

    .venv/bin/python -m config.devrunner exec .venv/bin/python bench/feedback.py   # or `make bench`
    BENCH_TEAMS=200 BENCH_TEAM_SIZE=25   # the defaults

What is timed is Heartwood's real path: `feedback.pulse.services.pulse_open(team=…, by=None)` for every team (lock
the team, check for an open round, read the current members and k, open the round through the engine with one
`Respondent` per member in one INSERT), then `feedback.pulse.services.pulse_answer` for every member of every team
(the engine's `answer_record`: the respondent and round locked, the answer written with no link to anyone, the
respondent marked, the count moved on), then `feedback.engine.round_close` for every round (tally, freeze, delete
the answers).

The naive baseline does the same work the way it is easy to write: it opens each team's round with one query per
person (`Respondent.objects.create` for each member, after the same checks), and takes each answer by looking its
respondent up again, saving whole rows and recounting the round's answers (`round.answers.count()`) after every
one. Each team's opening runs in one transaction both ways. The baseline runs first, so Heartwood's path meets the
larger tables (its figures are if anything pessimistic); its rounds are closed before Heartwood's open.

Query counts are per team (opening), per answer and per round (closing), measured on every single call: the bench
fails if Heartwood's path does not cost the same number of queries for every team. Everything runs in a database of
its own, `heartwood_bench_feedback` (dropped and created afresh on each run, on the server DATABASE_URL names), so
the dev data is never touched. The last line of output is JSON with every figure.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _database import fresh_database_url  # noqa: E402  (bench/ is the script's own folder)

DATABASE_NAME = "heartwood_bench_feedback"
TEAMS = int(os.environ.get("BENCH_TEAMS", "200"))
TEAM_SIZE = int(os.environ.get("BENCH_TEAM_SIZE", "25"))
COMMENT_EVERY = 5  # one answer in five carries a comment


def _bench_database_url() -> str:
    return fresh_database_url(DATABASE_NAME, "feedback.py")


def setup() -> Any:
    """A fresh database with one organisation of TEAMS × TEAM_SIZE people (not timed). Returns the organisation."""
    os.environ["DATABASE_URL"] = _bench_database_url()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django_tenants.utils import tenant_context

    from people.models import User
    from teams.models import Membership, Team
    from tenants.models import Domain, Organisation
    from tenants.services import new_schema_name, public_ensure, template_ensure

    print(f"Database {DATABASE_NAME}: migrating the public schema, making the template…", flush=True)
    call_command("migrate_schemas", executor="standard", verbosity=0, interactive=False)
    public_ensure()
    template_ensure()
    with transaction.atomic():
        organisation = Organisation(schema_name=new_schema_name(), name="Bench Care", kind="organisation")
        organisation.save(verbosity=0)
        Domain.objects.create(domain=f"bench.{settings.BASE_DOMAIN}", tenant=organisation, is_primary=True)
    settings.DEBUG = False  # dev settings log every query in memory; the bench counts its own (see timed)
    unusable = make_password(None)
    with tenant_context(organisation):
        people = User.objects.bulk_create(
            [User(email=f"person{n}@bench.example", full_name=f"Person {n:04d}", roles=["leader"],
                  password=unusable) for n in range(TEAMS * TEAM_SIZE)],
            batch_size=1000,
        )
        teams = Team.objects.bulk_create([Team(name=f"Team {t:03d}") for t in range(TEAMS)])
        Membership.objects.bulk_create(
            [Membership(team=team, user=people[t * TEAM_SIZE + m], is_lead=m == 0)
             for t, team in enumerate(teams) for m in range(TEAM_SIZE)],
            batch_size=2000,
        )
    print(f"Organisation {organisation.schema_name}: {TEAMS} teams × {TEAM_SIZE} people.\n", flush=True)
    return organisation


# --- The naive baseline: the same rules, written one person at a time -------------------------------------------


def naive_open(team: Any) -> Any:
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from feedback import engine
    from feedback.models import Instrument, PulseRound, Respondent, Round
    from feedback.pulse.statements import SCALE, STATEMENTS
    from teams.models import Team
    from teams.selectors import current_members

    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        if PulseRound.objects.filter(team=team, round__closed_at__isnull=True).exists():
            raise SystemExit(f"{team} already has a round open")
        members = list(current_members(team))
        k = engine.k_for(Instrument.PULSE)
        if len(members) < k:
            raise SystemExit(f"{team} is smaller than k")
        now = timezone.now()
        round_ = Round.objects.create(
            instrument=Instrument.PULSE, statements=[s.as_json() for s in STATEMENTS], scale=SCALE, k=k,
            opened_at=now, closes_at=now + timedelta(days=7),
        )
        for member in members:  # one query per person
            Respondent.objects.create(round=round_, user=member)
        return PulseRound.objects.create(round=round_, team=team)


def naive_answer(respondent: Any, scores: list[int], comment: str) -> None:
    from django.db import transaction
    from django.utils import timezone

    from feedback import engine
    from feedback.models import Answer, Respondent

    with transaction.atomic():
        respondent = Respondent.objects.select_for_update().get(
            round_id=respondent.round_id, user_id=respondent.user_id
        )
        round_ = respondent.round
        if respondent.answered or round_.closed_at is not None or round_.closes_at <= timezone.now():
            raise SystemExit("refused")
        values = engine.scores_check(round_, scores)
        Answer.objects.create(round=round_, scores=values, comment=comment.strip()[: engine.COMMENT_MAX])
        respondent.answered = True
        respondent.token_hash = None
        respondent.save()
        round_.answer_count = round_.answers.count()
        round_.save()


# --- Measuring ------------------------------------------------------------------------------------------------


def timed(work: Callable[[], Any]) -> tuple[Any, float, int]:
    """(result, milliseconds, queries) of one call. Queries are counted by a wrapper round execution, not read from
    Django's debug log (which stops counting at 9,000 and costs time of its own)."""
    from django.db import connection

    count = 0

    def counting(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        result = work()
        elapsed = (time.perf_counter() - started) * 1000
    return result, elapsed, count


def summary(times: list[float], queries: list[int]) -> dict[str, Any]:
    return {
        "calls": len(times), "total_s": round(sum(times) / 1000, 2), "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 2),
        "queries_min": min(queries), "queries_max": max(queries), "queries_total": sum(queries),
    }


def answers_for(rng: random.Random, round_statements: int) -> tuple[list[int], str]:
    scores = [rng.randint(1, 7) for _ in range(round_statements)]
    comment = "We talk things through at handover." if rng.randrange(COMMENT_EVERY) == 0 else ""
    return scores, comment


def run(label: str, open_one: Callable[[Any], Any], answer_one: Callable[[Any, list[int], str], None],
        teams: list[Any]) -> dict[str, dict[str, Any]]:
    from feedback import engine
    from feedback.models import Respondent, Round

    rng = random.Random(11)
    figures: dict[str, dict[str, Any]] = {}

    open_times, open_queries, pulses = [], [], []
    for team in teams:
        pulse, ms, queries = timed(lambda team=team: open_one(team))
        pulses.append(pulse)
        open_times.append(ms)
        open_queries.append(queries)
    figures["open"] = summary(open_times, open_queries)

    respondents = list(Respondent.objects.filter(round__in=[p.round_id for p in pulses]).order_by("round_id", "id"))
    statements = len(pulses[0].round.statements)
    answer_times, answer_queries = [], []
    for respondent in respondents:
        scores, comment = answers_for(rng, statements)
        _, ms, queries = timed(lambda r=respondent, s=scores, c=comment: answer_one(r, s, c))
        answer_times.append(ms)
        answer_queries.append(queries)
    figures["answer"] = summary(answer_times, answer_queries)

    close_times, close_queries = [], []
    for pulse in pulses:
        _, ms, queries = timed(lambda pulse=pulse: engine.round_close(round_=pulse.round))
        close_times.append(ms)
        close_queries.append(queries)
    figures["close"] = summary(close_times, close_queries)

    reached = Round.objects.filter(pk__in=[p.round_id for p in pulses], results__reached=True).count()
    print(f"{label:<10} open {figures['open']['total_s']:>6.2f} s ({figures['open']['median_ms']:>6.1f} ms, "
          f"{figures['open']['queries_max']:>3} queries a team) | {len(respondents)} answers "
          f"{figures['answer']['total_s']:>6.2f} s ({figures['answer']['median_ms']:>5.2f} ms, "
          f"{figures['answer']['queries_max']:>2} queries each) | close {figures['close']['total_s']:>5.2f} s "
          f"({figures['close']['queries_max']} queries a round) | {reached}/{len(pulses)} rounds reached k",
          flush=True)
    figures["answers"] = {"count": len(respondents)}
    figures["rounds_reached_k"] = {"count": reached}
    return figures


def main() -> None:
    run_started = time.perf_counter()
    organisation = setup()
    from django_tenants.utils import tenant_context

    from feedback.pulse.services import pulse_answer, pulse_open
    from teams.models import Team

    with tenant_context(organisation):
        teams = list(Team.objects.order_by("id"))
        naive = run("naive", naive_open, naive_answer, teams)
        ours = run("heartwood", lambda team: pulse_open(team=team, by=None),
                   lambda respondent, scores, comment: pulse_answer(respondent=respondent, scores=scores,
                                                                    comment=comment),
                   teams)

    if not 0 < ours["open"]["queries_min"] == ours["open"]["queries_max"]:
        raise SystemExit(f"Opening cost {ours['open']['queries_min']}–{ours['open']['queries_max']} queries a team: "
                         "it should not depend on the team")
    ratios = {
        "open_time_naive_over_ours": round(naive["open"]["total_s"] / ours["open"]["total_s"], 1),
        "open_queries_naive_over_ours": round(naive["open"]["queries_max"] / ours["open"]["queries_max"], 1),
        "answer_time_naive_over_ours": round(naive["answer"]["total_s"] / ours["answer"]["total_s"], 2),
    }
    print(
        f"\nOpening a round for each of {TEAMS} teams of {TEAM_SIZE}: {ours['open']['queries_max']} queries a team "
        f"whatever its size (naive: {naive['open']['queries_max']}, one more for each person), "
        f"{ours['open']['median_ms']} ms a team against {naive['open']['median_ms']} ms "
        f"(naive over ours, all teams: {ratios['open_time_naive_over_ours']}×). "
        f"{ours['answers']['count']} answers: {ours['answer']['queries_max']} queries and "
        f"{ours['answer']['median_ms']} ms each (naive {naive['answer']['queries_max']} queries, "
        f"{naive['answer']['median_ms']} ms; naive over ours, all answers: {ratios['answer_time_naive_over_ours']}×)."
    )
    total = time.perf_counter() - run_started
    print(f"The whole run {total:.0f} s.")
    print(json.dumps({
        "bench": "feedback",
        "database": DATABASE_NAME,
        "teams": TEAMS,
        "team_size": TEAM_SIZE,
        "heartwood": ours,
        "naive": naive,
        "ratios": ratios,
        "run_seconds": round(total, 1),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }))


if __name__ == "__main__":
    main()
