"""Reflection prompts at scale: 200 organisations × 250 leaders all due in the same minute, through real workers.

    .venv/bin/python -m config.devrunner exec .venv/bin/python bench/prompts.py   # or `make bench`
    .venv/bin/python bench/prompts.py   # the same: starts the services itself when DATABASE_URL/REDIS_URL are unset
    BENCH_ORGS=200 BENCH_LEADERS=250 BENCH_NAIVE_ORGS=12 BENCH_CONCURRENCY=2   # the defaults

What is timed is Heartwood's real path, end to end: the bench sends `tenants.fan_out("reflections.prompts_dispatch")`
(what beat sends every minute) to a real `celery -A config.celery_app worker` (prefork, BENCH_CONCURRENCY
processes) started by the bench; the worker sends `reflections.prompts_dispatch` into every active organisation,
each records its due deliveries in one statement, chooses prompts and queues `reflections.prompt_emails_send` in
batches of 100, which render and send the emails through Django's file-based mail backend. The clock runs from the
fan-out being sent until every delivery is marked sent (one UNION ALL count over the schemas, twice a second).

Beside it, in the same run and on the same worker, the naive baseline (bench/_prompts_naive.py): a dispatcher per
organisation queues one task per leader, which decides due-ness in Python, `get_or_create`s the delivery, picks a
prompt with its own queries and sends one email. It runs over the leaders of BENCH_NAIVE_ORGS organisations
(3,000 by default); its rate is compared with ours.

Duplicates are counted twice: deliveries per (user, slot) in the database, and emails actually written to the mail
files per recipient (each run has a single slot, so per recipient is per recipient and slot); every due leader
must have exactly one email.

The organisations are real: cloned from the template (Heartwood's copier), with the curriculum and prompt library;
each has 250 due leaders (half on the organisation's defaults, some with their own weekly rhythm in another time
zone, some fortnightly), 30 people who are not due (mentors, leaders who switched prompts off or paused them),
lesson progress and completions (so prompt choice follows a current behaviour) and four weeks of earlier
deliveries (so "not one of the last ten" has work to do). Before each run, not timed, every rhythm is moved to
the current minute in its own time zone (zones where that minute is not close to midnight).

Everything lives in the database `heartwood_bench_prompts` on the server DATABASE_URL names (created, migrated and
bootstrapped on the first run; the organisations are reused by later runs while the migrations are unchanged).
The first run's setup time is printed separately. The last line of output is JSON with every figure.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _worker import worker_cpu, worker_start, worker_stop, worker_wait  # noqa: E402

SETTINGS_MODULE = "bench._prompts_settings"
DATABASE_NAME = "heartwood_bench_prompts"
ORGS = int(os.environ.get("BENCH_ORGS", "200"))
LEADERS = int(os.environ.get("BENCH_LEADERS", "250"))
NAIVE_ORGS = int(os.environ.get("BENCH_NAIVE_ORGS", "12"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "2"))
POOL = os.environ.get("BENCH_POOL", "prefork")
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "300"))
POLL_SECONDS = 0.5
NOT_DUE = 30  # per organisation: 10 mentors, 10 leaders with prompts off, 10 paused
TARGET_SECONDS = 120.0
TARGET_RATIO = 10.0
SUBJECT = b"Subject: A question to reflect on this week"
ZONES = ["Europe/London", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Sydney",
         "America/Los_Angeles", "Asia/Tokyo", "UTC"]
BENCH_VERSION = "prompts-1"  # change to force a fresh database when the data below changes


# --- The database: created once, reused while nothing it was built from has changed ----------------------------


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{BENCH_VERSION}:{ORGS}:{LEADERS}".encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    for package in ("django", "django-tenants", "django-allauth"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


def _database_ready(url: str, fingerprint: str) -> bool:
    """True when the bench database exists with this fingerprint; otherwise it is (re)created empty."""
    import psycopg

    parts = urlsplit(url)
    bench_url = urlunsplit(parts._replace(path=f"/{DATABASE_NAME}"))
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
    if exists:
        try:
            with psycopg.connect(bench_url, autocommit=True) as conn:
                row = conn.execute("SELECT fingerprint FROM public.bench_prompts_meta").fetchone()
                if row and row[0] == fingerprint:
                    return True
        except psycopg.Error:
            pass
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return False


_PEOPLE_SQL = """
INSERT INTO {s}.people_user (password, is_superuser, email, full_name, roles, is_staff, is_active, date_joined)
SELECT '!bench', false, format('%%s%%s@%%s.bench.example', kind, n, %(sub)s::text), format('Bench %%s %%s', kind, n),
       CASE WHEN kind = 'mentor' THEN ARRAY['mentor'] ELSE ARRAY['leader'] END::varchar(20)[], false, true, now()
FROM (SELECT 'leader' AS kind, n FROM generate_series(1, %(leaders)s) n
      UNION ALL SELECT 'mentor', n FROM generate_series(1, 10) n
      UNION ALL SELECT 'off', n FROM generate_series(1, 10) n
      UNION ALL SELECT 'paused', n FROM generate_series(1, 10) n) people;

CREATE TEMP TABLE bench_people ON COMMIT DROP AS
SELECT id, substring(email from '^[a-z]+') AS kind, substring(email from '^[a-z]+(\\d+)@')::int AS n
FROM {s}.people_user;

-- Due leaders: the first half follow the organisation's defaults; then a weekly rhythm of their own (by email,
-- in a time zone of their own); the last fifth fortnightly. Times are set before each run.
INSERT INTO {s}.reflections_promptschedule
    (user_id, frequency, weekday, local_time, time_zone, channel, paused_until, anchor, updated_at)
SELECT id, CASE WHEN n <= %(leaders)s * 4 / 5 THEN 'weekly' ELSE 'fortnightly' END, 0, '17:00',
       CASE WHEN n <= %(leaders)s * 4 / 5 THEN 'UTC' ELSE '' END,
       CASE WHEN n <= %(leaders)s * 4 / 5 THEN 'email' ELSE 'both' END, NULL, current_date, now()
FROM bench_people WHERE kind = 'leader' AND n > %(leaders)s / 2;
INSERT INTO {s}.reflections_promptschedule
    (user_id, frequency, weekday, local_time, time_zone, channel, paused_until, anchor, updated_at)
SELECT id, CASE WHEN kind = 'off' THEN 'off' ELSE 'weekly' END, 0, '17:00', '', 'both',
       CASE WHEN kind = 'paused' THEN current_date + 365 END, current_date, now()
FROM bench_people WHERE kind IN ('off', 'paused');
INSERT INTO {s}.reflections_promptdefaults (frequency, weekday, local_time, channel, updated_at)
SELECT 'weekly', 0, '17:00', 'both', now() WHERE NOT EXISTS (SELECT 1 FROM {s}.reflections_promptdefaults);

-- What they are learning: two in three leaders have opened a lesson, one in five finished the first module.
INSERT INTO {s}.courses_lessonprogress (user_id, lesson_id, module_id, opened_at, last_seen_at)
SELECT p.id, l.id, l.module_id, now() - interval '3 days', now() - make_interval(mins => p.n)
FROM bench_people p
JOIN (SELECT id, module_id, row_number() OVER (ORDER BY id) - 1 AS i, count(*) OVER () AS c
      FROM {s}.courses_lesson) l ON l.i = p.n %% l.c
WHERE p.kind = 'leader' AND p.n %% 3 <> 0;
INSERT INTO {s}.courses_modulecompletion (user_id, module_id, completed_at, cpd_minutes)
SELECT p.id, m.id, now() - interval '30 days', 60
FROM bench_people p CROSS JOIN (SELECT id FROM {s}.courses_module ORDER BY "order", id LIMIT 1) m
WHERE p.kind = 'leader' AND p.n %% 5 = 0;

-- Four weeks of earlier prompts.
INSERT INTO {s}.reflections_promptdelivery
    (user_id, slot, prompt_id, channel, email_status, email_attempts, emailed_at, created_at)
SELECT p.id, w.slot, pr.ids[1 + (p.id * 7 + w.k) %% cardinality(pr.ids)], 'both', 'sent', 1, w.slot, w.slot
FROM bench_people p
CROSS JOIN (SELECT k, date_trunc('week', now()) - k * interval '1 week' + interval '17 hours' AS slot
            FROM generate_series(1, 4) k) w
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM {s}.reflections_prompt WHERE is_active) pr
WHERE p.kind = 'leader';
"""


def _build(fingerprint: str) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from tenants import services

    started = time.perf_counter()
    print(f"Database {DATABASE_NAME}: migrating, bootstrapping the platform…", flush=True)
    call_command("migrate_schemas", executor="standard", verbosity=0, interactive=False)
    call_command("bootstrap_platform", verbosity=0)
    services.spare_pool_refill_soon = lambda: None
    qn = connection.ops.quote_name
    for i in range(ORGS):
        sub = f"bench-{i:03d}"
        with transaction.atomic():
            organisation = services.organisation_create(name=f"Bench Care {i:03d}", subdomain=sub,
                                                        time_zone=ZONES[i % len(ZONES)])
            with connection.cursor() as cursor:
                cursor.execute(_PEOPLE_SQL.format(s=qn(organisation.schema_name)), {"sub": sub, "leaders": LEADERS})
        connection.set_schema_to_public()
        if (i + 1) % 25 == 0:
            print(f"  {i + 1} organisations ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE public.bench_prompts_meta (fingerprint text, setup_at timestamptz)")
        cursor.execute("INSERT INTO public.bench_prompts_meta VALUES (%s, now())", [fingerprint])
        cursor.execute("VACUUM ANALYZE")


# --- Each run: every rhythm due in the current minute (not timed) -----------------------------------------------


def _organisations() -> list[tuple[str, str]]:
    """(schema, subdomain) of the bench organisations, in order."""
    from tenants.models import Domain

    rows = Domain.objects.filter(domain__startswith="bench-", tenant__kind="organisation").order_by("domain")
    return [(d.tenant.schema_name, d.domain.split(".")[0]) for d in rows.select_related("tenant")]


def _safe_zones(slot: datetime) -> list[str]:
    """Zones where the slot's local time is well inside the day (the whole run stays on one local date)."""
    safe = []
    for zone in ZONES:
        local = slot.astimezone(ZoneInfo(zone))
        if local.hour * 60 + local.minute >= 5 and local.hour * 60 + local.minute <= 23 * 60 + 40:
            safe.append(zone)
    return safe


_PREPARE_SQL = """
DELETE FROM {s}.reflections_promptdelivery WHERE created_at >= %(setup_at)s;
UPDATE {s}.reflections_promptdefaults SET frequency = 'weekly', weekday = %(weekday)s, local_time = %(local_time)s;
UPDATE {s}.reflections_promptschedule
SET time_zone = (%(zones)s::text[])[1 + user_id %% cardinality(%(zones)s::text[])] WHERE time_zone <> '';
UPDATE {s}.reflections_promptschedule sc
SET weekday = extract(isodow FROM local.at)::int - 1, local_time = local.at::time, anchor = local.at::date - 14
FROM (SELECT id, %(slot)s::timestamptz AT TIME ZONE coalesce(nullif(time_zone, ''), %(tz)s) AS at
      FROM {s}.reflections_promptschedule) local
WHERE local.id = sc.id AND sc.frequency <> 'off';
"""


def _prepare(orgs: list[tuple[str, str]], slot: datetime, setup_at: datetime) -> list[str]:
    from django.db import connection

    from tenants.models import Organisation

    zones = _safe_zones(slot)
    qn = connection.ops.quote_name
    for i, (schema, _) in enumerate(orgs):
        tz = zones[i % len(zones)]
        local = slot.astimezone(ZoneInfo(tz))
        Organisation.objects.filter(schema_name=schema).update(time_zone=tz)
        with connection.cursor() as cursor:
            cursor.execute(_PREPARE_SQL.format(s=qn(schema)), {
                "setup_at": setup_at, "weekday": local.weekday(), "local_time": local.time(), "zones": zones,
                "slot": slot, "tz": tz,
            })
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return zones


def _reset(schemas: list[str], setup_at: datetime) -> None:
    from django.db import connection

    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(f"DELETE FROM {qn(schema)}.reflections_promptdelivery WHERE created_at >= %s", [setup_at])


# --- Measuring ---------------------------------------------------------------------------------------------------


def _counts(schemas: list[str], slot: datetime) -> tuple[int, int]:
    """(deliveries recorded, emails sent) for this slot over these schemas: one query."""
    from django.db import connection

    qn = connection.ops.quote_name
    union = " UNION ALL ".join(
        f"SELECT count(*) AS recorded, count(*) FILTER (WHERE email_status = 'sent') AS sent "
        f"FROM {qn(s)}.reflections_promptdelivery WHERE slot = %(slot)s"
        for s in schemas
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(sum(recorded), 0), coalesce(sum(sent), 0) FROM ({union}) t", {"slot": slot})
        recorded, sent = cursor.fetchone()
    return int(recorded), int(sent)


def _database_duplicates(schemas: list[str], slot: datetime) -> dict[str, int]:
    from django.db import connection

    qn = connection.ops.quote_name
    # User ids repeat across schemas: tell them apart by schema too.
    union = " UNION ALL ".join(
        f"SELECT {i} AS org, user_id, slot, email_status FROM {qn(s)}.reflections_promptdelivery "
        f"WHERE slot = %(slot)s" for i, s in enumerate(schemas)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), count(*) - count(DISTINCT (org, user_id, slot)), "
            f"count(*) FILTER (WHERE email_status <> 'sent') FROM ({union}) t", {"slot": slot},
        )
        total, duplicates, unsent = cursor.fetchone()
    return {"deliveries": int(total), "duplicate_deliveries": int(duplicates), "not_sent": int(unsent)}


_TO = re.compile(rb"^To: (.+?)\r?$", re.M)


def _mail_counts(directory: Path) -> Counter[str]:
    """Prompt emails actually written, per recipient."""
    separator = b"\n" + b"-" * 79 + b"\n"
    counts: Counter[str] = Counter()
    for path in directory.iterdir():
        if not path.is_file():
            continue
        for message in path.read_bytes().split(separator):
            if SUBJECT not in message:
                continue
            match = _TO.search(message)
            counts[match.group(1).decode() if match else "?"] += 1
    return counts


def _mail_check(directory: Path, expected: set[str]) -> dict[str, int]:
    counts = _mail_counts(directory)
    return {
        "emails_written": sum(counts.values()),
        "duplicate_emails": sum(n - 1 for n in counts.values() if n > 1),
        "missing_emails": len(expected - set(counts)),
        "unexpected_recipients": len(set(counts) - expected),
    }


def _expected_recipients(orgs: list[tuple[str, str]]) -> set[str]:
    return {f"leader{n}@{sub}.bench.example" for _, sub in orgs for n in range(1, LEADERS + 1)}


def _wait(schemas: list[str], slot: datetime, expected: int, started: float) -> dict[str, Any]:
    """Poll until every expected delivery is sent; returns the times (seconds from `started`)."""
    first_sent = all_recorded = None
    polls = []
    while True:
        recorded, sent = _counts(schemas, slot)
        now = time.perf_counter() - started
        polls.append((round(now, 2), recorded, sent))
        if first_sent is None and sent:
            first_sent = now
        if all_recorded is None and recorded >= expected:
            all_recorded = now
        if sent >= expected:
            return {"seconds": now, "first_sent_s": first_sent, "all_recorded_s": all_recorded, "polls": polls}
        if now > TIMEOUT:
            raise SystemExit(f"Timed out after {TIMEOUT:.0f} s: {recorded} recorded, {sent} of {expected} sent")
        time.sleep(POLL_SECONDS)


def _move_mail(directory: Path, into: Path) -> None:
    into.mkdir()
    for path in directory.iterdir():
        if path.is_file():
            path.rename(into / path.name)


# --- Workers -----------------------------------------------------------------------------------------------------


def _send_into(schemas: list[str], task_name: str) -> None:
    """Send a task into each of these organisations (as tenants.fan_out does)."""
    from celery import current_app
    from django_tenants.utils import schema_context

    task = current_app.tasks[task_name]
    for schema in schemas:
        with schema_context(schema):
            task.apply_async(expires=300)


def _cpu_figures(before: float | None, after: float | None, deliveries: int) -> dict[str, float | None]:
    if before is None or after is None:
        return {"worker_cpu_s": None, "worker_cpu_ms_per_delivery": None}
    return {"worker_cpu_s": after - before, "worker_cpu_ms_per_delivery": (after - before) * 1000 / deliveries}


# --- The run -----------------------------------------------------------------------------------------------------


def main() -> None:
    run_started = time.perf_counter()
    url = os.environ.get("DATABASE_URL")
    if not url or not os.environ.get("REDIS_URL"):
        # Started by hand: let the runner start PostgreSQL and Redis, then come back.
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "config.devrunner", "exec", sys.executable, __file__])
    run_dir = Path(tempfile.mkdtemp(prefix="heartwood-bench-prompts-"))
    mail_dir = run_dir / "mail"
    mail_dir.mkdir()
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ["BENCH_MAIL_DIR"] = str(mail_dir)
    fingerprint = _fingerprint()
    reused = _database_ready(url, fingerprint)

    import django

    django.setup()
    from django.db import connection

    import bench._prompts_naive  # noqa: F401  (the bench process sends its tasks by name)
    import reflections.prompt_tasks  # noqa: F401
    from config.celery_app import app
    from tenants.fanout import fan_out

    setup_seconds = 0.0
    if not reused:
        started = time.perf_counter()
        _build(fingerprint)
        setup_seconds = time.perf_counter() - started
        print(f"Setup (first run only, not timed): {setup_seconds:.0f} s.", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setup_at FROM public.bench_prompts_meta")
        (setup_at,) = cursor.fetchone()
    orgs = _organisations()
    if len(orgs) != ORGS:
        raise SystemExit(f"Expected {ORGS} bench organisations, found {len(orgs)}")
    schemas = [schema for schema, _ in orgs]

    app.control.purge()
    log = run_dir / "worker.log"
    worker = worker_start(dict(os.environ), log, name="bench-prompts", pool=POOL, concurrency=CONCURRENCY,
                          include="bench._prompts_naive")
    try:
        worker_wait(worker, log)
        slot = datetime.now(UTC).replace(second=0, microsecond=0)
        prepare_started = time.perf_counter()
        zones = _prepare(orgs, slot, setup_at)
        prepare_seconds = time.perf_counter() - prepare_started
        print(f"{'reused' if reused else 'built'} {ORGS} organisations × {LEADERS} due leaders; slot "
              f"{slot:%Y-%m-%d %H:%M} UTC in {', '.join(zones)}; worker: {POOL}, concurrency {CONCURRENCY}.",
              flush=True)

        # Warm-up (not timed): each task type once through the worker, then forget it.
        warm = [orgs[-1][0], orgs[-2][0]]
        _send_into(warm[:1], "reflections.prompts_dispatch")
        _send_into(warm[1:], "bench.naive_dispatch")
        _wait(warm, slot, 2 * LEADERS, time.perf_counter())
        _reset(warm, setup_at)
        for path in mail_dir.iterdir():
            path.unlink()

        # Heartwood: the beat's message, then every email.
        expected = ORGS * LEADERS
        print(f"\nHeartwood: fan-out into {ORGS} organisations, {expected:,} deliveries…", flush=True)
        load_before = os.getloadavg()[0]
        cpu_before = worker_cpu(worker)
        started = time.perf_counter()
        fan_out.apply_async(args=["reflections.prompts_dispatch"])
        ours = _wait(schemas, slot, expected, started)
        ours.update(_cpu_figures(cpu_before, worker_cpu(worker), expected), load_before=load_before)
        ours.update(_database_duplicates(schemas, slot))
        ours.update(_mail_check(mail_dir, _expected_recipients(orgs)))
        ours["per_second"] = expected / ours["seconds"]
        _move_mail(mail_dir, run_dir / "heartwood")

        # The naive baseline, over the leaders of the first NAIVE_ORGS organisations.
        subset = orgs[:NAIVE_ORGS]
        subset_schemas = [schema for schema, _ in subset]
        _reset(subset_schemas, setup_at)
        naive_expected = NAIVE_ORGS * LEADERS
        print(f"Naive: one task per leader, {naive_expected:,} leaders in {NAIVE_ORGS} organisations…", flush=True)
        load_before = os.getloadavg()[0]
        cpu_before = worker_cpu(worker)
        started = time.perf_counter()
        _send_into(subset_schemas, "bench.naive_dispatch")
        naive = _wait(subset_schemas, slot, naive_expected, started)
        naive.update(_cpu_figures(cpu_before, worker_cpu(worker), naive_expected), load_before=load_before)
        naive.update(_database_duplicates(subset_schemas, slot))
        naive.update(_mail_check(mail_dir, _expected_recipients(subset)))
        naive["per_second"] = naive_expected / naive["seconds"]
    finally:
        worker_stop(worker)
        shutil.rmtree(run_dir, ignore_errors=True)

    ratio = ours["per_second"] / naive["per_second"]
    cpu_ratio = (naive["worker_cpu_ms_per_delivery"] / ours["worker_cpu_ms_per_delivery"]
                 if ours["worker_cpu_ms_per_delivery"] else None)
    naive_extrapolated = expected / naive["per_second"]
    time_ok = ours["seconds"] <= TARGET_SECONDS
    ratio_ok = ratio >= TARGET_RATIO
    duplicates = (ours["duplicate_deliveries"] + ours["duplicate_emails"] + naive["duplicate_deliveries"]
                  + naive["duplicate_emails"])
    complete = (ours["missing_emails"] == 0 and naive["missing_emails"] == 0 and ours["not_sent"] == 0
                and naive["not_sent"] == 0 and ours["unexpected_recipients"] == 0)

    print()
    print(f"{'':<34} {'Heartwood':>12} {'naive':>12}")
    print(f"{'leaders due':<34} {expected:>12,} {naive_expected:>12,}")
    print(f"{'organisations':<34} {ORGS:>12} {NAIVE_ORGS:>12}")
    print(f"{'all deliveries recorded (s)':<34} {ours['all_recorded_s']:>12.1f} {naive['all_recorded_s']:>12.1f}")
    print(f"{'first email sent (s)':<34} {ours['first_sent_s']:>12.1f} {naive['first_sent_s']:>12.1f}")
    print(f"{'every email sent (s)':<34} {ours['seconds']:>12.1f} {naive['seconds']:>12.1f}")
    print(f"{'deliveries per second':<34} {ours['per_second']:>12,.0f} {naive['per_second']:>12,.0f}")
    print(f"{f'{expected:,} at this rate (s)':<34} {ours['seconds']:>12.1f} {naive_extrapolated:>12.1f}")
    if cpu_ratio is not None:
        print(f"{'worker CPU ms per delivery':<34} {ours['worker_cpu_ms_per_delivery']:>12.2f} "
              f"{naive['worker_cpu_ms_per_delivery']:>12.2f}")
    print(f"{'load average when it started':<34} {ours['load_before']:>12.1f} {naive['load_before']:>12.1f}")
    print(f"{'emails written':<34} {ours['emails_written']:>12,} {naive['emails_written']:>12,}")
    print(f"{'duplicate deliveries (user+slot)':<34} {ours['duplicate_deliveries']:>12} "
          f"{naive['duplicate_deliveries']:>12}")
    print(f"{'duplicate emails (recipient+slot)':<34} {ours['duplicate_emails']:>12} {naive['duplicate_emails']:>12}")
    print(f"{'leaders without an email':<34} {ours['missing_emails']:>12} {naive['missing_emails']:>12}")
    print(
        f"\nHeartwood delivered {expected:,} prompts in {ours['seconds']:.1f} s "
        f"(target ≤ {TARGET_SECONDS:.0f} s: {'met' if time_ok else 'MISSED'}), "
        f"{ratio:.1f}× the naive rate (target ≥ {TARGET_RATIO:.0f}×: {'met' if ratio_ok else 'MISSED'}); "
        f"duplicates {duplicates}{'' if complete else '; SOME LEADERS GOT NOTHING'}."
        + (f" Worker CPU per delivery: {cpu_ratio:.1f}× less than naive." if cpu_ratio else "")
    )
    total = time.perf_counter() - run_started
    print(f"Setup {setup_seconds:.0f} s (first run only), preparing the rhythms {prepare_seconds:.1f} s, "
          f"the whole run {total:.0f} s.")

    def figures(result: dict[str, Any]) -> dict[str, Any]:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in result.items() if k != "polls"}

    print(json.dumps({
        "bench": "prompts",
        "database": DATABASE_NAME,
        "organisations": ORGS,
        "leaders_per_organisation": LEADERS,
        "slot": slot.isoformat(),
        "zones": zones,
        "worker": {"pool": POOL, "concurrency": CONCURRENCY},
        "heartwood": figures(ours),
        "naive": {**figures(naive), "organisations": NAIVE_ORGS, "leaders": naive_expected,
                  "extrapolated_seconds_for_all": round(naive_extrapolated, 1)},
        "ratio_rate_heartwood_over_naive": round(ratio, 1),
        "ratio_worker_cpu_naive_over_heartwood": round(cpu_ratio, 1) if cpu_ratio else None,
        "duplicates_total": duplicates,
        "every_leader_emailed_once": complete and duplicates == 0,
        "targets": {"seconds": TARGET_SECONDS, "ratio": TARGET_RATIO, "seconds_met": time_ok, "ratio_met": ratio_ok},
        "reused_organisations": reused,
        "setup_seconds": round(setup_seconds, 1),
        "prepare_seconds": round(prepare_seconds, 1),
        "run_seconds": round(total, 1),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }))


if __name__ == "__main__":
    main()
