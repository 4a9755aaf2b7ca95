"""One beat entry reaches every active organisation, each in its own schema, through a real worker."""

from celery import shared_task
from django.db import connection
from django_tenants.utils import tenant_context

from people.models import User
from tenants.fanout import fan_out
from tests.conftest import worker_drained


@shared_task(name="tests.record_schema_visit")
def _visit() -> None:
    User.objects.create_user(email=f"visit-{connection.schema_name}@example.org")


def test_fan_out_sends_the_task_into_every_active_organisation(celery_worker, alpha, beta):
    beta.status = "suspended"
    beta.save()
    try:
        connection.set_schema_to_public()
        assert fan_out.delay("tests.record_schema_visit").get(timeout=20) >= 1
        worker_drained()  # every task the fan-out queued has run
        with tenant_context(alpha):
            assert User.objects.filter(email=f"visit-{alpha.schema_name}@example.org").exists()
        with tenant_context(beta):
            assert not User.objects.filter(email__startswith="visit-").exists()  # suspended: nothing
    finally:
        beta.status = "active"
        beta.save()


_failures: list[str] = []


@shared_task(name="tests.fail_in_alpha")
def _fail_in_alpha() -> None:
    if connection.schema_name in _failures:
        raise RuntimeError("this organisation's tick broke")
    User.objects.create_user(email=f"visit-{connection.schema_name}@example.org")


def test_fan_out_sends_one_message_per_batch_of_organisations(db, alpha, beta, monkeypatch, settings):
    from tenants import fanout

    sent = []
    monkeypatch.setattr(fanout.run_in_organisations, "apply_async",
                        lambda args, **options: sent.append((args, options)))
    settings.FAN_OUT_BATCH = 1
    connection.set_schema_to_public()
    assert fanout.fan_out("tests.record_schema_visit") == len(fanout.active_schemas()) == len(sent) >= 2
    assert {schema for (_, [schema]), _ in sent} == set(fanout.active_schemas())
    assert all(options["expires"] == 300 for _, options in sent)
    settings.FAN_OUT_BATCH = 25
    sent.clear()
    fanout.fan_out("tests.record_schema_visit")
    assert len(sent) == 1 and set(sent[0][0][1]) == set(fanout.active_schemas())


def test_one_organisation_failing_stops_nothing_and_each_runs_in_its_own_schema(db, alpha, beta, caplog):
    from tenants.fanout import run_in_organisations

    _failures[:] = [alpha.schema_name]
    try:
        connection.set_schema_to_public()
        ran = run_in_organisations("tests.fail_in_alpha", [alpha.schema_name, beta.schema_name, "no_such_schema"])
    finally:
        _failures.clear()
    assert ran == 1
    assert f"organisation {alpha.pk}" in caplog.text and alpha.schema_name not in caplog.text
    with tenant_context(beta):
        assert User.objects.filter(email=f"visit-{beta.schema_name}@example.org").exists()
    with tenant_context(alpha):
        assert not User.objects.filter(email__startswith="visit-").exists()
    assert connection.schema_name == "public"


def test_a_suspended_organisation_in_a_batch_gets_nothing(db, alpha, beta):
    from tenants.fanout import run_in_organisations

    beta.status = "suspended"
    beta.save()
    connection.set_schema_to_public()
    assert run_in_organisations("tests.record_schema_visit", [alpha.schema_name, beta.schema_name]) == 1
    with tenant_context(beta):
        assert not User.objects.filter(email__startswith="visit-").exists()
