"""The race of two saves of a supervision record based on the same version, for real: two connections at once.

Committed data (`live_db`), in a module of its own: a module-wide `django_db` mark would wrap it in one transaction
the two threads cannot see, and `transaction=True` would flush every table afterwards, the test organisations'
domains included."""

from __future__ import annotations

import threading

from django.db import connection
from django_tenants.utils import tenant_context

from supervision.models import Session
from supervision.services import sessions as services
from tests.conftest import make_person
from tests.supervision.sessions_world import book


def test_two_saves_at_the_same_moment_never_lose_one(live_db, alpha):
    """For real: two connections save on version 1 at once; one wins, the other is told, nothing is lost."""
    sue = make_person(alpha, ["leader"])
    sid = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        relationship = services.relationship_create(supervisor=sid, supervisee=sue)
        session = book(relationship, sid, -0.01)
        services.record_save(session=session, by=sid, text="Start.", based_on=0)
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def save(person, words: str) -> None:
        try:
            with tenant_context(alpha):
                barrier.wait()
                services.record_save(session=Session.objects.get(pk=session.pk), by=person, text=words, based_on=1)
                outcome[words] = "saved"
        except services.RecordChanged as changed:
            outcome[words] = f"changed:{changed.latest.number}"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(person, words)) for person, words in ((sue, "A"), (sid, "B"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(outcome.values()) == ["changed:2", "saved"]
    with tenant_context(alpha):
        versions = list(session.record_versions.order_by("number").values_list("number", "text"))
    winner = next(words for words, result in outcome.items() if result == "saved")
    assert versions == [(1, "Start."), (2, winner)]
