"""What the fault bench (bench/faults.py) plants and checks on the load stack (a helper: `make bench` skips it).

    prompts = PlantedPrompts(stack, orgs=[998, 997, …])
    prompts.plant(slots)                  # each organisation's leader gets a weekly rhythm whose slot is that moment
    prompts.wait(timeout)                 # until each is recorded and emailed (or the time is up)
    prompts.check()                       # deliveries per person and slot, and emails per person, from now on
    prompts.clear()                       # rhythms and deliveries removed: the seeded data is as it was

    signups = SignUps(stack, label="redis")
    signups.run_while(until)              # in a thread: one sign-up through gunicorn every few seconds
    signups.check()                       # each made in full (domain, organisation, admin) or not at all
    signups.clear()                       # the organisations made are deleted, schemas and all

Everything is read and written with plain SQL on connections of its own (stack.run_sql), so nothing here holds a
connection across a PostgreSQL restart. Rhythms are written straight into the rows the product reads (a weekly
rhythm on the slot's own local weekday and time, email only), as a person choosing them would leave them.
"""

from __future__ import annotations

import email
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from _load_seed import leader_email, organisation_host

PROMPT_SUBJECT = "A question to reflect on this week"
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file email backend writes between messages
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def organisation_schemas(stack: Any, orgs: list[int]) -> dict[int, str]:
    hosts = {organisation_host(n): n for n in orgs}
    rows = stack.run_sql(
        "SELECT d.domain, o.schema_name FROM tenants_domain d JOIN tenants_organisation o ON o.id = d.tenant_id "
        "WHERE d.domain = ANY(%s)", [list(hosts)],
    )
    return {hosts[domain]: schema for domain, schema in rows}


def emails_since(mail_dir: Path, since: float, subject: str) -> Counter:
    """Messages with this subject dated from `since` (unix time) on, counted per recipient."""
    counts: Counter = Counter()
    for path in mail_dir.glob("*.log"):
        if path.stat().st_mtime < since - 5:
            continue
        for raw in path.read_bytes().split(MESSAGE_SEPARATOR):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw.lstrip(b"\n"))
            if message.get("Subject") != subject or not message.get("Date"):
                continue
            if parsedate_to_datetime(message["Date"]).timestamp() < int(since) - 1:
                continue
            for recipient in (message.get("To") or "").split(","):
                counts[recipient.strip()] += 1
    return counts


class PlantedPrompts:
    def __init__(self, stack: Any, orgs: list[int]) -> None:
        self.stack = stack
        self.schemas = organisation_schemas(stack, orgs)
        self.leaders: dict[int, int] = {}
        for n, schema in self.schemas.items():
            rows = stack.run_sql(f'SELECT id FROM "{schema}".people_user WHERE email = %s', [leader_email(n)])
            self.leaders[n] = rows[0][0]
        self.slots: dict[int, datetime] = {}
        self.planted_at = 0.0

    def plant(self, slots: dict[int, tuple[datetime, str]]) -> None:
        """slots: organisation -> (the slot's moment, the time zone its rhythm is in)."""
        self.clear()
        self.planted_at = time.time()
        for n, (moment, zone) in slots.items():
            local = moment.astimezone(ZoneInfo(zone)).replace(microsecond=0)
            self.slots[n] = local.astimezone(UTC)
            self.stack.run_sql(
                f'INSERT INTO "{self.schemas[n]}".reflections_promptschedule (user_id, frequency, weekday, local_time,'
                " time_zone, channel, paused_until, anchor, updated_at)"
                " VALUES (%s, 'weekly', %s, %s, %s, 'email', NULL, %s, now())",
                [self.leaders[n], local.weekday(), local.time(), zone, local.date()],
            )

    def _deliveries(self) -> dict[int, list[tuple[datetime, str]]]:
        found = {}
        for n in self.slots:
            found[n] = self.stack.run_sql(
                f'SELECT slot, email_status FROM "{self.schemas[n]}".reflections_promptdelivery WHERE user_id = %s',
                [self.leaders[n]],
            )
        return found

    def delivered(self) -> int:
        return sum(1 for rows in self._deliveries().values() if any(status == "sent" for _, status in rows))

    def wait(self, timeout: float) -> float | None:
        """Seconds until every planted prompt was recorded and emailed; None if the time ran out first."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                if self.delivered() == len(self.slots):
                    return time.monotonic() - started
            except Exception:  # the database is restarting: ask again
                pass
            time.sleep(2)
        return None

    def check(self) -> dict[str, int]:
        """Per person and slot: deliveries recorded (must be one) and prompt emails received (must be one)."""
        deliveries = self._deliveries()
        emails = emails_since(self.stack.mail_dir, self.planted_at, PROMPT_SUBJECT)
        once = duplicated = missing = wrong_slot = emailed_once = emailed_twice = not_emailed = 0
        for n, slot in self.slots.items():
            rows = deliveries[n]
            at_slot = [row for row in rows if row[0] == slot]
            wrong_slot += len(rows) - len(at_slot)
            once += len(at_slot) == 1
            duplicated += len(at_slot) > 1
            missing += not at_slot
            sent = emails[leader_email(n)]
            emailed_once += sent == 1
            emailed_twice += sent > 1
            not_emailed += sent == 0
        return {
            "prompts_due": len(self.slots), "delivered_once": once, "duplicated": duplicated, "missing": missing,
            "other_slots": wrong_slot, "emailed_once": emailed_once, "emailed_twice": emailed_twice,
            "not_emailed": not_emailed,
        }

    def clear(self) -> None:
        for n, schema in self.schemas.items():
            self.stack.run_sql(f'DELETE FROM "{schema}".reflections_promptdelivery WHERE user_id = %s',
                               [self.leaders[n]])
            self.stack.run_sql(f'DELETE FROM "{schema}".reflections_promptschedule WHERE user_id = %s',
                               [self.leaders[n]])
        self.slots = {}


class SignUps:
    """Providers signing up through gunicorn on the public site while a fault happens."""

    def __init__(self, stack: Any, label: str, every: float = 3.0) -> None:
        self.stack = stack
        self.label = label
        self.every = every  # allauth allows 20 sign-ups a minute from one address
        self.attempts: list[dict[str, Any]] = []
        self._thread: threading.Thread | None = None

    def _attempt(self, n: int) -> dict[str, Any]:
        subdomain = f"flt-{self.label}-{n}-{secrets.token_hex(3)}"
        attempt = {"subdomain": subdomain, "name": f"Fault {subdomain}", "email": f"admin@{subdomain}.test",
                   "t": time.time(), "answer": ""}
        host = f"localhost:{self.stack.port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect())
        base = f"http://127.0.0.1:{self.stack.port}/signup/"
        try:
            with opener.open(urllib.request.Request(base, headers={"Host": host}), timeout=30) as page:
                token = CSRF_RE.search(page.read().decode()).group(1)
            data = urllib.parse.urlencode({
                "csrfmiddlewaretoken": token, "organisation_name": attempt["name"], "subdomain": subdomain,
                "full_name": "Fran Fault", "email": attempt["email"], "password": "kind-hearted-lantern-73",
                "time_zone": "Europe/London", "terms": "on",
            }).encode()
            request = urllib.request.Request(base, data=data, headers={"Host": host})
            with opener.open(request, timeout=60) as answer:
                attempt["answer"] = str(answer.status)
        except urllib.error.HTTPError as error:
            attempt["answer"] = str(error.code)
        except Exception as error:  # refused, reset, timed out: the fault at work
            attempt["answer"] = type(error).__name__
        attempt["t_answer"] = time.time()
        return attempt

    def run_while(self, until: threading.Event) -> None:
        def loop() -> None:
            n = 0
            while not until.is_set():
                started = time.monotonic()
                self.attempts.append(self._attempt(n))
                n += 1
                until.wait(max(0.0, self.every - (time.monotonic() - started)))

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join(120)

    def check(self) -> dict[str, int]:
        """Made in full: domain, an organisation (not a spare) with the name, and its admin in its schema. Not made:
        no domain, no organisation of that name. Anything else is half made. A 302 must have been made."""
        made = not_made = half = success_lost = 0
        for attempt in self.attempts:
            rows = self.stack.run_sql(
                "SELECT o.schema_name, o.kind, o.name FROM tenants_domain d JOIN tenants_organisation o"
                " ON o.id = d.tenant_id WHERE d.domain = %s", [f"{attempt['subdomain']}.localhost"],
            )
            named = self.stack.run_sql("SELECT count(*) FROM tenants_organisation WHERE name = %s", [attempt["name"]])
            if rows:
                schema, kind, name = rows[0]
                admins = self.stack.run_sql(
                    f"SELECT count(*) FROM \"{schema}\".people_user WHERE email = %s AND 'admin' = ANY(roles)",
                    [attempt["email"]],
                )[0][0]
                whole = kind == "organisation" and name == attempt["name"] and admins == 1 and named[0][0] == 1
                attempt["state"] = "made" if whole else "half made"
            else:
                attempt["state"] = "not made" if named[0][0] == 0 else "half made"
            made += attempt["state"] == "made"
            not_made += attempt["state"] == "not made"
            half += attempt["state"] == "half made"
            success_lost += attempt["answer"] == "302" and attempt["state"] != "made"
        answers = Counter(attempt["answer"] for attempt in self.attempts)
        return {"signups": len(self.attempts), "signups_made": made, "signups_not_made": not_made,
                "signups_half_made": half, "signups_success_lost": success_lost,
                "signup_answers": dict(sorted(answers.items()))}

    def clear(self) -> None:
        """Delete the organisations made (rows, domains and schemas), through the product's own delete."""
        subdomains = [f"{a['subdomain']}.localhost" for a in self.attempts]
        if not subdomains:
            return
        self.stack.use_django()
        from django.db import connections

        from tenants.models import Organisation

        connections.close_all()  # a connection from before a restart is dead
        for organisation in Organisation.objects.filter(domains__domain__in=subdomains).distinct():
            organisation.delete(force_drop=True)
        connections.close_all()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        return fp
