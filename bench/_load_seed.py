"""Many organisations, each with people and a planted marker, for the load and fault benches (a helper).

    from _load_seed import seed, marker, MARKER_RE
    info = seed(stack, 1000)     # in the orchestrating process, before stack.processes_start()

Organisation n (0 ≤ n < orgs) lives at `org-<n>.localhost`, is called "Org <n> <marker>", and holds:

- a leader (`leader@org-<n>.test`) and a mentor (`mentor@org-<n>.test`), both with the password PASSWORD, made by
  people.services.user_create (verified email records) and paired by people.services.pairing_create;
- one journal entry by the leader, written by reflections' journal service and shared with the mentor by its
  sharing service, whose title and body carry the marker;
- the curriculum, which the template schema carries into every copy.

`marker(n)` is `hwmark<n, five digits>z`: it is in the organisation's name (every page's header shows it) and in
the shared entry, so a page of organisation n that shows any other marker has crossed organisations.

Everything goes through the product's services, one organisation at a time (organisation_create copies the
template, about 0.1–0.5 s each). Password hashing is the one shortcut: production's hasher is deliberately slow
(about 0.3 s a hash), so the password is hashed once and the same hash is stored for every person.

The data is kept between runs: `.local/bench-load/seed.json` records how many organisations are complete and a
fingerprint of every migration file and of this seeding. A run asking for as many or fewer with the same
fingerprint reuses it at once; asking for more adds the missing ones; a changed fingerprint starts afresh
(the database dropped and made again).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

SEED_VERSION = 1  # raise when what is seeded changes: the next run starts afresh
PASSWORD = "load-bench-password-7"
MARKER_RE = re.compile(r"hwmark(\d{5})z")
SHARED_TITLE = "What the night team taught me"  # the shared entry's title, before the marker


def marker(n: int) -> str:
    return f"hwmark{n:05d}z"


def organisation_host(n: int) -> str:
    return f"org-{n}.localhost"


def leader_email(n: int) -> str:
    return f"leader@org-{n}.test"


def mentor_email(n: int) -> str:
    return f"mentor@org-{n}.test"


def written_title(token: str) -> str:
    """The title of a journal entry the load writes: the token makes it findable, in the page and in the database."""
    return f"Load entry {token}"


def fingerprint() -> str:
    digest = hashlib.sha256(f"seed {SEED_VERSION}".encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(f"{path.relative_to(ROOT)} {path.stat().st_size}".encode())
    return digest.hexdigest()[:16]


def _state_path(stack: Any) -> Path:
    return Path(stack.root) / "seed.json"


def _state_read(stack: Any) -> dict[str, Any]:
    try:
        return json.loads(_state_path(stack).read_text())
    except (OSError, ValueError):
        return {}


def _state_write(stack: Any, state: dict[str, Any]) -> None:
    _state_path(stack).write_text(json.dumps(state, indent=1))


def _organisations_in_database(stack: Any) -> int:
    try:
        rows = stack.run_sql(
            "SELECT count(*) FROM tenants_organisation o JOIN tenants_domain d ON d.tenant_id = o.id "
            "WHERE d.domain LIKE 'org-%%.localhost'"
        )
    except Exception:  # no tables yet: a fresh database
        return -1
    return int(rows[0][0])


def _fresh(stack: Any) -> None:
    from django.core.management import call_command
    from django.db import connections

    from tenants.services import public_ensure, template_ensure

    connections.close_all()
    stack.database_fresh()
    print("Load bench database: migrating the public schema, making the template…", file=sys.stderr, flush=True)
    call_command("migrate_schemas", executor="standard", verbosity=0, interactive=False)
    public_ensure()
    template_ensure()


def _lesson_paths() -> list[str]:
    from courses.models import Lesson

    lessons = Lesson.objects.filter(module__is_hidden=False).select_related("module").order_by(
        "module__order", "order", "id"
    )
    return [f"/learn/{lesson.module.slug}/{lesson.slug}/" for lesson in lessons]


def _seed_one(n: int, password_hash: str) -> list[str]:
    from django.db import transaction
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from people.models import Role, User
    from people.services import pairing_create, user_create
    from reflections.models import EntryTemplate
    from reflections.services import journal, sharing
    from tenants.services import organisation_create

    mark = marker(n)
    organisation = organisation_create(name=f"Org {n} {mark}", subdomain=f"org-{n}")
    with tenant_context(organisation), transaction.atomic():
        leader = user_create(email=leader_email(n), full_name=f"Lee Leader {n}", roles=[Role.LEADER], verified=True)
        mentor = user_create(email=mentor_email(n), full_name=f"Mo Mentor {n}", roles=[Role.MENTOR], verified=True)
        User.objects.filter(pk__in=[leader.pk, mentor.pk]).update(password=password_hash)
        pairing_create(leader=leader, mentor=mentor, starts_on=timezone.localdate() - timedelta(days=30))
        entry = journal.entry_create(
            author=leader, title=f"{SHARED_TITLE} {mark}", template=EntryTemplate.FREE,
            fields={"body": f"Handover ran over again, and I listened instead of rushing. {mark}"},
            behaviours=["attending"],
        )
        sharing.entry_share(entry=entry, author=leader, mentor=mentor)
        return _lesson_paths() if n == 0 else []


def seed(stack: Any, orgs: int) -> dict[str, Any]:
    """Make sure organisations 0..orgs-1 exist with their people and markers; answers what the load needs:
    {"orgs", "password", "lessons" (paths), "seconds" (spent now), "reused" (how many were already there)}."""
    stack.use_django()
    from django.contrib.auth.hashers import make_password
    from django.db import connection, connections

    started = time.perf_counter()
    state = _state_read(stack)
    done = int(state.get("orgs", 0))
    if state.get("fingerprint") != fingerprint() or _organisations_in_database(stack) != done:
        _fresh(stack)
        state, done = {"fingerprint": fingerprint(), "orgs": 0, "lessons": []}, 0
        _state_write(stack, state)
    reused = min(done, orgs)
    if done < orgs:
        connection.set_schema_to_public()
        password_hash = make_password(PASSWORD)
        print(f"Seeding organisations {done}..{orgs - 1}…", file=sys.stderr, flush=True)
        for n in range(done, orgs):
            lessons = _seed_one(n, password_hash)
            if lessons:
                state["lessons"] = lessons
            state["orgs"] = n + 1
            _state_write(stack, state)  # after each: a run stopped half-way resumes where it stopped
            if (n + 1) % 100 == 0 or n + 1 == orgs:
                print(f"  {n + 1}/{orgs} organisations ({time.perf_counter() - started:.0f} s)",
                      file=sys.stderr, flush=True)
    connections.close_all()
    return {"orgs": orgs, "password": PASSWORD, "lessons": state["lessons"],
            "seconds": round(time.perf_counter() - started, 1), "reused": reused}
