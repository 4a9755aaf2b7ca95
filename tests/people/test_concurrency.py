"""Two admins demoting each other at the same moment still leave one admin (committed data, real transactions)."""

from __future__ import annotations

import threading

from django.db import connection
from django_tenants.utils import tenant_context

from people.models import User
from people.services import PeopleError, member_deactivate, member_set_roles
from tests.conftest import make_person


def _race(alpha, actions) -> list[str]:
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action) -> None:
        try:
            with tenant_context(alpha):
                barrier.wait(timeout=10)
                action()
            outcomes.append("done")
        except PeopleError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return sorted(outcomes)


def test_two_admins_removing_each_other_leave_one_admin(live_db, alpha):
    ada = make_person(alpha, ["admin", "leader"], name="Ada")
    bo = make_person(alpha, ["admin", "leader"], name="Bo")
    outcomes = _race(alpha, [
        lambda: member_set_roles(member=bo, roles=["leader"], by=ada),
        lambda: member_set_roles(member=ada, roles=["leader"], by=bo),
    ])
    assert outcomes == ["done", "refused"]
    with tenant_context(alpha):
        assert User.objects.filter(roles__contains=["admin"], is_active=True).count() == 1


def test_two_admins_deactivating_each_other_leave_one_admin(live_db, alpha):
    ada = make_person(alpha, ["admin"], name="Ada")
    bo = make_person(alpha, ["admin"], name="Bo")
    outcomes = _race(alpha, [
        lambda: member_deactivate(member=bo, by=ada),
        lambda: member_deactivate(member=ada, by=bo),
    ])
    assert outcomes == ["done", "refused"]
    with tenant_context(alpha):
        assert User.objects.filter(roles__contains=["admin"], is_active=True).count() == 1


def _only_two_admins(alpha):
    """Ada and Bo, the organisation's only active admins, so exactly one of them may step down."""
    ada = make_person(alpha, ["admin", "leader"], name="Ada")
    bo = make_person(alpha, ["admin", "leader"], name="Bo")
    with tenant_context(alpha):
        User.objects.filter(roles__contains=["admin"]).exclude(pk__in=[ada.pk, bo.pk]).update(is_active=False)
    return ada, bo


def _admins_left(alpha) -> int:
    with tenant_context(alpha):
        return User.objects.filter(roles__contains=["admin"], is_active=True).count()


def test_two_admins_deleting_their_own_accounts_leave_one_admin(live_db, alpha):
    from reflections.services.record import account_delete

    ada, bo = _only_two_admins(alpha)
    outcomes = _race(alpha, [lambda: account_delete(user=ada), lambda: account_delete(user=bo)])
    assert outcomes == ["done", "refused"]
    assert _admins_left(alpha) == 1


def test_an_admin_deleting_their_account_while_the_other_steps_down_leaves_one_admin(live_db, alpha):
    from reflections.services.record import account_delete

    ada, bo = _only_two_admins(alpha)
    outcomes = _race(alpha, [
        lambda: account_delete(user=ada),
        lambda: member_set_roles(member=bo, roles=["leader"], by=bo),
    ])
    assert outcomes == ["done", "refused"]
    assert _admins_left(alpha) == 1
