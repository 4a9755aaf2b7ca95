"""A sign-up cut off by a database restart is never left half made: the server ends the connection in the middle
of organisation_sign_up's one transaction (after the claim or the clone, before the first admin), and afterwards
there is no organisation, no domain, no new schema and the spare is still a spare. Signing up again then works."""

from __future__ import annotations

import pytest
from django.db import Error, connection

from people.models import User
from tenants import services
from tenants.models import Domain, Organisation
from tests.config.test_database_restart import drop_client_connections
from tests.conftest import host
from tests.tenants.conftest import org_schemas

SIGN_UP = dict(
    name="Hazel Court", subdomain="hazel-court", full_name="Hal Mensah", email="hal@hazel.example",
    password="kind-hearted-lantern-73", time_zone="Europe/London",
)


def _state() -> tuple[set[str], set[str], set[str]]:
    connection.set_schema_to_public()
    return (
        set(Organisation.objects.values_list("schema_name", flat=True)),
        set(Domain.objects.values_list("domain", flat=True)),
        org_schemas(),
    )


@pytest.mark.parametrize("pool", [0, 1], ids=["cloning", "claiming a spare"])
def test_a_sign_up_cut_off_by_a_database_restart_leaves_nothing_and_the_next_one_works(
    live_db, no_spares, monkeypatch, pool
):
    monkeypatch.setattr(services, "spare_pool_refill_soon", lambda: None)
    if pool:
        services.spare_pool_refill(size=pool)
    spares = set(Organisation.objects.filter(kind="spare").values_list("schema_name", flat=True))
    before = _state()
    real_user_create = services.user_create

    def restart_first(**kwargs: object) -> User:
        drop_client_connections()  # the server ends this connection mid-transaction, as a restart does
        return real_user_create(**kwargs)

    monkeypatch.setattr(services, "user_create", restart_first)
    with pytest.raises(Error):
        services.organisation_sign_up(**SIGN_UP)
    connection.close()

    assert _state() == before
    assert set(Organisation.objects.filter(kind="spare").values_list("schema_name", flat=True)) == spares
    assert not Organisation.objects.filter(name="Hazel Court").exists()

    monkeypatch.setattr(services, "user_create", real_user_create)
    made = services.organisation_sign_up(**SIGN_UP)
    connection.set_schema_to_public()
    assert Domain.objects.get(domain=host("hazel-court")).tenant_id == made.organisation.pk
    assert made.admin.email == "hal@hazel.example"
