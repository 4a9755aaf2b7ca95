"""Transaction pooling through a real PgBouncer never runs a query in another organisation's schema.

A PgBouncer (Debian's binary, started here) in pool_mode=transaction with a pool of two server connections sits
in front of the test database. Ten organisations each hold a marker: their admin's email. Ten threads, each
with its own Django connection pointed at PgBouncer, serve one organisation each through the real request path
(the test client: routing middleware, sessions, authentication, a page that shows the admin's email) and
through the ORM (autocommit reads, atomic blocks with a locked read, an update, a savepoint rolled back, a
public-schema lookup between them), and every answer must carry the thread's own marker.

The control runs the same workload in session mode (the setting off) through the same PgBouncer, and must see
crossings: so the test is known to detect the bug it guards against.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, NotSupportedError, connection, transaction
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from courses.models import Lesson
from people.services import user_create
from tenants.models import Domain, Organisation
from tenants.services import organisation_create, spare_pool_refill
from tests.conftest import host
from tests.tenants.pgbouncer_server import (
    PgBouncer,
    PgBouncerMissing,
    in_threads,
    point_default_connection_at,
    running_pgbouncer,
)

ORGANISATIONS = 10
ITERATIONS = 45  # per thread: 450 in all, about 4,000 checks
CONTROL_ITERATIONS = 15
REQUEST_EVERY = 3  # one page request in every three iterations, ORM work in all of them

User = get_user_model()


def _marker(subdomain: str) -> str:
    return f"marker@{subdomain}.pooling.example"


@pytest.fixture
def pgbouncer(live_db) -> Iterator[PgBouncer]:
    settings_dict = connection.settings_dict
    try:
        with running_pgbouncer(server_host=settings_dict["HOST"], server_port=settings_dict["PORT"] or None,
                               user=settings_dict["USER"], pool_mode="transaction", pool_size=2) as bouncer:
            yield bouncer
    except PgBouncerMissing as missing:
        pytest.fail(str(missing))


@dataclass
class Place:
    organisation: Organisation
    subdomain: str
    client: Client


def _make_places(count: int) -> list[Place]:
    """Organisations with a marker each, and a signed-in client for each (through the direct connection)."""
    made = []
    for number in range(count):
        subdomain = f"pool{number}"
        organisation = organisation_create(name=f"Pooling {number}", subdomain=subdomain)
        with tenant_context(organisation):
            # Not verified: the welcome page then shows the address, the marker, to its admin.
            admin = user_create(email=_marker(subdomain), full_name=f"Admin {number}", roles=["admin"],
                                password="a-long-test-password-42")
            client = Client(HTTP_HOST=host(subdomain))
            client.force_login(admin)
        made.append(Place(organisation=organisation, subdomain=subdomain, client=client))
    connection.set_schema_to_public()
    return made


@dataclass
class Tally:
    checks: int = 0
    crossings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _Undo(Exception):
    pass


def _serve(place: Place, iterations: int, tally: Tally) -> None:
    own = _marker(place.subdomain)
    own_host = host(place.subdomain)

    def see(what: str, value: object, expected: object) -> None:
        tally.checks += 1
        if value != expected:
            tally.crossings.append(f"{place.subdomain} {what}: {value!r}")

    def first_email() -> str | None:
        return User.objects.order_by("pk").values_list("email", flat=True).first()

    for iteration in range(iterations):
        try:
            if iteration % REQUEST_EVERY == 0:
                response = place.client.get("/welcome/")
                page = response.content.decode() if response.status_code == 200 else f"status {response.status_code}"
                see("page", own in page and "marker@" not in page.replace(own, ""), True)
            # As the routing middleware does; then autocommit statements, each a transaction of its own.
            connection.set_tenant(place.organisation)
            see("autocommit read", first_email(), own)
            see("autocommit count", User.objects.filter(email=own).count(), 1)
            with transaction.atomic():
                see("locked read", User.objects.select_for_update().filter(email=own).values_list(
                    "email", flat=True).first(), own)
                see("update", User.objects.filter(email=own).update(last_login=timezone.now()), 1)
                try:
                    with transaction.atomic():
                        see("read in savepoint", first_email(), own)
                        raise _Undo
                except _Undo:
                    pass
                see("read after savepoint rollback", first_email(), own)
            # A public-schema lookup between tenant work, as host routing does.
            connection.set_schema_to_public()
            see("public read", Domain.objects.filter(domain=own_host).values_list(
                "tenant__schema_name", flat=True).first(), place.organisation.schema_name)
            connection.set_tenant(place.organisation)
            with connection.cursor() as cursor:
                cursor.execute("SELECT email FROM people_user ORDER BY id LIMIT %s", [1])
                see("raw read", cursor.fetchone(), (own,))
        except Exception as error:  # a wrong schema may also fail outright: count it, keep serving
            tally.errors.append(f"{place.subdomain}: {type(error).__name__}: {str(error).splitlines()[0]}")


def _run_workload(bouncer: PgBouncer, places: list[Place], mode: str, iterations: int) -> list[Tally]:
    tallies = [Tally() for _ in places]

    def serve(place: Place, tally: Tally) -> None:
        point_default_connection_at(bouncer, mode)
        _serve(place, iterations, tally)

    in_threads([partial(serve, place, tally) for place, tally in zip(places, tallies, strict=True)])
    return tallies


def test_transaction_pooling_never_runs_a_query_in_another_organisations_schema(pgbouncer, capsys):
    places = _make_places(ORGANISATIONS)

    started = time.monotonic()
    tallies = _run_workload(pgbouncer, places, "transaction", ITERATIONS)
    took = time.monotonic() - started
    # The control, on the same organisations through the same PgBouncer: without the setting (session mode, what
    # Heartwood did before) the workload reads other organisations' rows or fails on the wrong schema, so the
    # check above can see the bug.
    control = _run_workload(pgbouncer, places, "session", CONTROL_ITERATIONS)

    crossings = [c for t in tallies for c in t.crossings]
    errors = [e for t in tallies for e in t.errors]
    control_crossings = sum(len(t.crossings) for t in control)
    control_errors = sum(len(t.errors) for t in control)
    with capsys.disabled():
        print(f"\ntransaction mode: {len(crossings)} crossings, {len(errors)} errors in "
              f"{sum(t.checks for t in tallies)} checks; control (session mode): {control_crossings} crossings, "
              f"{control_errors} wrong-schema errors in {sum(t.checks for t in control)} checks ({took:.1f} s for "
              f"transaction mode, load {os.getloadavg()[0]:.1f})")
    assert not crossings, crossings[:10]
    assert not errors, errors[:10]
    checks_per_iteration = 8
    pages = len(range(0, ITERATIONS, REQUEST_EVERY))
    assert sum(t.checks for t in tallies) == ORGANISATIONS * (ITERATIONS * checks_per_iteration + pages)
    assert control_crossings + control_errors > 0, "the control saw no crossing: the workload cannot detect the bug"


# --- What the path-carrying cursor must keep working, through the same PgBouncer --------------------------


def _in_pooled_thread(bouncer: PgBouncer, work: Callable[[], None]) -> None:
    def pooled() -> None:
        point_default_connection_at(bouncer, "transaction")
        work()

    in_threads([pooled])


def test_cursor_results_rowcounts_savepoints_executemany_and_copy_in_transaction_mode(pgbouncer, no_spares):
    first, second = _make_places(2)
    own = _marker(first.subdomain)

    def work() -> None:
        # No round trip of its own for the path: five statements across three schema changes, five messages
        # (session mode would add a `SET search_path` for each change).
        database = connection.settings_dict["NAME"]
        connection.ensure_connection()  # connecting may set the time zone: not a statement of ours
        before = pgbouncer.totals(database)
        connection.set_tenant(first.organisation)
        assert list(User.objects.values_list("email", flat=True)) == [own]
        connection.set_schema_to_public()
        assert Domain.objects.filter(domain=host(first.subdomain)).exists()
        connection.set_tenant(second.organisation)
        assert User.objects.filter(email=_marker(second.subdomain)).count() == 1
        assert User.objects.filter(email=own).count() == 0
        assert User.objects.count() == 1
        assert pgbouncer.totals(database) == (before[0] + 5, before[1] + 5)

        connection.set_tenant(first.organisation)
        with connection.cursor() as cursor:
            # The statement's own result, not the SET's: rows, description and rowcount.
            cursor.execute("SELECT email, full_name FROM people_user WHERE email = %s", [own])
            assert [column.name for column in cursor.description] == ["email", "full_name"]
            assert cursor.fetchall() == [(own, "Admin 0")] and cursor.rowcount == 1
            cursor.execute("UPDATE people_user SET full_name = full_name WHERE email = %s", [own])
            assert cursor.rowcount == 1 and cursor.description is None
            # A `%` in the statement with and without parameters.
            cursor.execute("SELECT '100%%' || %s", ["!"])
            assert cursor.fetchone() == ("100%!",)
            cursor.execute("SELECT '100%'")
            assert cursor.fetchone() == ("100%",)
            cursor.executemany("UPDATE people_user SET full_name = %s WHERE email = %s",
                               [("Admin 0", own), ("Admin 0", own), ("Nobody", "nobody@example.org")])
            assert cursor.rowcount == 2
            with pytest.raises(NotSupportedError, match="inside transaction.atomic"):
                with cursor.copy("COPY (SELECT email FROM people_user) TO STDOUT"):
                    pass
        # COPY inside a transaction reads this organisation's table.
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.copy("COPY (SELECT email FROM people_user ORDER BY id) TO STDOUT") as copy:
                assert b"".join(bytes(chunk) for chunk in copy).decode() == own + "\n"
        # A failed statement inside a savepoint: the rollback to it still works, the transaction goes on in the
        # same schema, and the organisation after it gets its own path.
        with transaction.atomic():
            with pytest.raises(IntegrityError), transaction.atomic():
                User.objects.create(email=own, full_name="Twin")
            assert list(User.objects.values_list("email", flat=True)) == [own]
        connection.set_tenant(second.organisation)
        assert list(User.objects.values_list("email", flat=True)) == [_marker(second.subdomain)]
        # The ORM never asks for a server-side cursor: iterator() reads in chunks on an ordinary one.
        assert [u.email for u in User.objects.iterator(chunk_size=1)] == [_marker(second.subdomain)]
        # The worker's spare-pool refill (an advisory transaction lock, the template copied in one DDL batch).
        connection.set_schema_to_public()
        assert spare_pool_refill(size=1) == 1
        spare = Organisation.objects.get(kind=Organisation.Kind.SPARE)
        connection.set_tenant(spare)
        assert User.objects.count() == 0 and Lesson.objects.exists()  # the template's curriculum came along

    _in_pooled_thread(pgbouncer, work)
