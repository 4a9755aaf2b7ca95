"""Reflection prompts: who is due (SQL agrees with the rhythm rules), which prompt, exactly once, delivery
through a real worker, the stop link, suspended organisations and deactivated people, Redis down."""

from __future__ import annotations

import random
import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from courses.models import Lesson, LessonProgress, Module
from reflections import prompt_delivery
from reflections.models import (
    Prompt,
    PromptChannel,
    PromptDefaults,
    PromptDelivery,
    PromptFrequency,
    PromptSchedule,
)
from reflections.prompt_tasks import prompt_emails_send, prompts_dispatch
from reflections.rhythm import Rhythm, due_slot
from tenants.fanout import active_schemas
from tests.conftest import broker_unreachable, client_for, make_person, worker_drained

THURSDAY_17_LONDON = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)  # GMT in November


def schedule(user, **kw) -> PromptSchedule:
    values = dict(frequency="weekly", weekday=3, local_time=time(17, 0), time_zone="Europe/London",
                  channel=PromptChannel.BOTH, anchor=date(2026, 11, 2))
    values.update(kw)
    return PromptSchedule.objects.create(user=user, **values)


@pytest.mark.django_db
def test_the_dispatcher_sql_agrees_with_the_rhythm_rules(alpha):
    rng = random.Random(2026)
    zones = ["Europe/London", "UTC", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
    leaders = [make_person(alpha, ["leader"]) for _ in range(60)]
    with tenant_context(alpha):
        rhythms = {}
        for leader in leaders:
            s = schedule(
                leader, frequency=rng.choice(["weekly", "fortnightly", "off"]), weekday=rng.randrange(7),
                local_time=time(rng.randrange(24), rng.choice([0, 15, 30, 45])), time_zone=rng.choice(zones),
                anchor=date(2026, 1, 5) + timedelta(days=rng.randrange(60)),
                paused_until=rng.choice([None, None, date(2026, 3, 20), date(2026, 10, 30)]),
            )
            rhythms[leader.pk] = Rhythm(s.frequency, s.weekday, s.local_time, s.time_zone, s.anchor, s.paused_until)
        # Moments across both clock changes, in London, New York and Sydney.
        moments = [datetime(2026, 3, 29, 0, 0, tzinfo=UTC) + timedelta(hours=7 * i) for i in range(30)]
        moments += [datetime(2026, 10, 24, 0, 0, tzinfo=UTC) + timedelta(hours=5 * i) for i in range(40)]
        moments += [THURSDAY_17_LONDON + timedelta(minutes=m) for m in (-1, 0, 1, 400)]
        # Just after midnight, in the catch-up window of late-evening slots (rhythm.CATCH_UP).
        moments += [datetime(2026, 11, 26, 23, 0, tzinfo=UTC) + timedelta(minutes=23 * i) for i in range(14)]
        for now in moments:
            sid = transaction.savepoint()
            recorded = dict(
                PromptDelivery.objects.filter(pk__in=[pk for pk, _ in prompt_delivery.deliveries_record(now=now)])
                .values_list("user_id", "slot")
            )
            transaction.savepoint_rollback(sid)
            expected = {pk: due_slot(r, now) for pk, r in rhythms.items() if due_slot(r, now) is not None}
            assert recorded == expected, now


@pytest.mark.django_db
def test_defaults_apply_to_people_without_their_own_rhythm_in_the_organisation_time_zone(alpha):
    leader = make_person(alpha, ["leader"])
    mentor_only = make_person(alpha, ["mentor"])
    with tenant_context(alpha):
        PromptDefaults.objects.create(frequency="weekly", weekday=3, local_time=time(17, 0), channel="app")
        assert prompt_delivery.deliveries_record(now=THURSDAY_17_LONDON - timedelta(minutes=1)) == []
        new = prompt_delivery.deliveries_record(now=THURSDAY_17_LONDON)
        assert [user for _, user in new] == [leader.pk]
        assert mentor_only.pk not in [user for _, user in new]
        assert PromptDelivery.objects.get().email_status == PromptDelivery.EmailStatus.NONE  # in the app only


@pytest.mark.django_db
def test_same_slot_dispatched_twice_is_recorded_once(alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        schedule(leader)
        first = prompt_delivery.deliveries_record(now=THURSDAY_17_LONDON)
        again = prompt_delivery.deliveries_record(now=THURSDAY_17_LONDON + timedelta(minutes=5))
        assert len(first) == 1 and again == []
        assert PromptDelivery.objects.filter(user=leader).count() == 1


@pytest.mark.django_db
def test_deactivated_people_and_paused_rhythms_get_nothing(alpha):
    gone = make_person(alpha, ["leader"])
    paused = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        schedule(gone)
        schedule(paused, paused_until=date(2026, 12, 1))
        gone.is_active = False
        gone.save()
        assert prompt_delivery.deliveries_record(now=THURSDAY_17_LONDON) == []


@pytest.mark.django_db
def test_suspended_organisations_get_nothing(alpha, beta):
    assert alpha.schema_name in active_schemas()
    beta.status = "suspended"
    beta.save()
    try:
        assert beta.schema_name not in active_schemas()
    finally:
        beta.status = "active"
        beta.save()


@pytest.mark.django_db
def test_prompt_follows_the_current_behaviour_and_skips_the_last_ten(alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        empathising = Module.objects.get(slug="empathising")
        lesson = Lesson.objects.filter(module=empathising).first()
        LessonProgress.objects.create(user=leader, lesson=lesson, module=empathising)
        theme_prompts = list(Prompt.objects.filter(theme="empathising").order_by("id"))
        recent = theme_prompts[:10]
        for i, prompt in enumerate(recent):
            PromptDelivery.objects.create(user=leader, slot=THURSDAY_17_LONDON - timedelta(days=7 * (i + 1)),
                                          prompt=prompt, channel="app")
        new = prompt_delivery.deliveries_record(now=THURSDAY_17_LONDON) if schedule(leader) else []
        prompt_delivery.prompts_choose(new)
        chosen = PromptDelivery.objects.get(pk=new[0][0]).prompt
        assert chosen.theme == "empathising"
        assert chosen not in recent


@pytest.mark.django_db
def test_lesson_questions_join_the_library_and_modules_without_a_behaviour_have_their_own_theme(alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        from reflections.services.prompts import prompts_load

        prompts_load()
        safety = Module.objects.get(slug="psychological-safety")
        lesson = Lesson.objects.filter(module=safety).first()
        assert Prompt.objects.filter(slug=f"lesson-psychological-safety-{lesson.slug}",
                                     text=lesson.reflection_question.strip()).exists()
        LessonProgress.objects.create(user=leader, lesson=lesson, module=safety)
        assert prompt_delivery.current_themes_for([leader.pk]) == {leader.pk: "psychological-safety"}


@pytest.mark.django_db
def test_prompt_email_is_sent_once_and_carries_no_journal_content(alpha):
    leader = make_person(alpha, ["leader"], email="lee@example.org")
    with tenant_context(alpha):
        schedule(leader)
        new = prompt_delivery.deliveries_record(now=THURSDAY_17_LONDON)
        prompt_delivery.prompts_choose(new)
        ids = [pk for pk, _ in new]
        mail.outbox.clear()
        assert prompt_delivery.prompt_emails_send(delivery_ids=ids, base_url="http://alpha.localhost") == (1, 0)
        # The same task again (a retry, a redelivered message): nothing more goes out.
        assert prompt_delivery.prompt_emails_send(delivery_ids=ids, base_url="http://alpha.localhost") == (0, 0)
        delivery = PromptDelivery.objects.select_related("prompt").get(pk=ids[0])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lee@example.org"]
    assert delivery.prompt.text in message.body
    assert f"/journal/prompts/cards/{delivery.pk}/write/" in message.body
    assert "/journal/prompts/stop/" in message.body and "List-Unsubscribe" in message.extra_headers
    assert delivery.email_status == PromptDelivery.EmailStatus.SENT


@pytest.mark.django_db
def test_a_failing_mail_server_puts_the_email_back_to_pending(alpha, monkeypatch):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        schedule(leader)
        ids = [pk for pk, _ in prompt_delivery.deliveries_record(now=THURSDAY_17_LONDON)]

        def refuse(self, messages):
            raise OSError("mail server said no")

        monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        assert prompt_delivery.prompt_emails_send(delivery_ids=ids, base_url="http://x") == (0, 1)
        assert PromptDelivery.objects.get(pk=ids[0]).email_status == PromptDelivery.EmailStatus.PENDING


@pytest.mark.django_db
def test_stop_link_works_without_signing_in_and_only_for_its_owner(alpha, beta):
    leader = make_person(alpha, ["leader"])
    other = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        delivery = PromptDelivery.objects.create(user=leader, slot=timezone.now(), channel="email")
        token = prompt_delivery.stop_token_save(delivery)
    client = client_for(alpha)
    page = client.get(f"/journal/prompts/stop/{token}/")
    assert page.status_code == 200 and leader.email.encode() in page.content
    with tenant_context(alpha):
        assert not PromptSchedule.objects.filter(user=leader).exists()  # a GET only asks
    assert client.post(f"/journal/prompts/stop/{token}/").status_code == 200
    with tenant_context(alpha):
        assert PromptSchedule.objects.get(user=leader).frequency == PromptFrequency.OFF
        assert not PromptSchedule.objects.filter(user=other).exists()
    assert client.get(f"/journal/prompts/stop/{token}x/").status_code == 404
    # A genuine token of alpha means nothing at beta.
    assert client_for(beta).post(f"/journal/prompts/stop/{token}/").status_code == 404


@pytest.mark.django_db
def test_leader_chooses_their_rhythm(alpha):
    leader = make_person(alpha, ["leader"])
    client = client_for(alpha, leader)
    page = client.get("/journal/prompts/")
    assert page.status_code == 200 and b"When prompts come" in page.content
    response = client.post("/journal/prompts/", {
        "frequency": "fortnightly", "weekday": "4", "local_time": "18:30", "time_zone": "Europe/Dublin",
        "channel": "email", "paused_until": "",
    })
    assert response.status_code == 302
    with tenant_context(alpha):
        saved = PromptSchedule.objects.get(user=leader)
    assert (saved.frequency, saved.weekday, saved.local_time, saved.time_zone, saved.channel) == (
        "fortnightly", 4, time(18, 30), "Europe/Dublin", "email")
    bad = client.post("/journal/prompts/", {"frequency": "hourly", "weekday": "9", "local_time": "25:00",
                                            "channel": "both", "paused_until": "2001-01-01"})
    assert bad.status_code == 200
    for field in ("frequency", "weekday", "local_time", "paused_until"):
        assert f'id="id_{field}_error"'.encode() in bad.content or field == "frequency"
    with tenant_context(alpha):
        assert PromptSchedule.objects.get(user=leader).frequency == "fortnightly"  # unchanged


@pytest.mark.django_db
def test_only_admins_set_the_organisation_default(alpha, alpha_people):
    assert client_for(alpha, alpha_people.leader).get("/manage/prompts/").status_code == 404
    admin = client_for(alpha, alpha_people.admin)
    assert admin.get("/manage/prompts/").status_code == 200
    admin.post("/manage/prompts/", {"frequency": "fortnightly", "weekday": "0", "local_time": "09:00",
                                    "channel": "app"})
    with tenant_context(alpha):
        defaults = PromptDefaults.objects.get()
    assert (defaults.frequency, defaults.weekday, defaults.channel) == ("fortnightly", 0, "app")


@pytest.mark.django_db
def test_in_app_card_opens_a_new_entry_with_the_prompt_and_goes(alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        prompt = Prompt.objects.first()
        delivery = PromptDelivery.objects.create(user=leader, slot=timezone.now(), prompt=prompt, channel="both")
    client = client_for(alpha, leader)
    assert prompt.text.encode() in client.get("/journal/").content
    response = client.get(f"/journal/prompts/cards/{delivery.pk}/write/")
    assert response.status_code == 302 and response["Location"].endswith(f"?prompt={prompt.pk}")
    # Opening the form writes nothing: the card stays until an entry is saved from it.
    assert prompt.text.encode() in client.get("/journal/").content
    saved = client.post(f"/journal/new/?prompt={prompt.pk}", {
        "title": "After the late shift", "template": "free", "body": "What I noticed.", "prompt": prompt.pk,
    })
    assert saved.status_code == 302
    assert prompt.text.encode() not in client.get("/journal/").content
    other = make_person(alpha, ["leader"])
    assert client_for(alpha, other).get(f"/journal/prompts/cards/{delivery.pk}/write/").status_code == 404


def test_two_dispatchers_racing_record_one_delivery(live_db, alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        schedule(leader)
    results: list[int] = []
    barrier = threading.Barrier(2)

    def dispatch() -> None:
        try:
            with tenant_context(alpha):
                barrier.wait(5)
                with transaction.atomic():
                    results.append(len(prompt_delivery.deliveries_record(now=THURSDAY_17_LONDON)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=dispatch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(results) == [0, 1]
    with tenant_context(alpha):
        assert PromptDelivery.objects.filter(user=leader).count() == 1


def _wait_for(condition) -> bool:
    """Once the worker has run every task queued so far (nothing more can arrive)."""
    worker_drained()
    return condition()


def test_full_delivery_through_a_real_worker_into_the_outbox(celery_worker, alpha, monkeypatch):
    leader = make_person(alpha, ["leader"], email="rowan@example.org")
    with tenant_context(alpha):
        schedule(leader, weekday=timezone.now().astimezone(UTC).weekday(), time_zone="UTC",
                 local_time=time(0, 0))
    mail.outbox.clear()
    with tenant_context(alpha):
        assert prompts_dispatch.delay().get(timeout=20) == 1
    assert _wait_for(lambda: len(mail.outbox) == 1), "the prompt email did not arrive"
    with tenant_context(alpha):
        assert prompts_dispatch.delay().get(timeout=20) == 0  # beat again a minute later: nothing new
        delivery = PromptDelivery.objects.select_related("prompt").get(user=leader)
    worker_drained()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rowan@example.org"]
    assert delivery.email_status == PromptDelivery.EmailStatus.SENT
    assert delivery.prompt.text in mail.outbox[0].body


def test_redis_down_a_comment_still_succeeds_and_its_email_goes_once_redis_is_back(celery_worker, alpha):
    """The broker is unreachable while a mentor replies; the request succeeds at once, the notification row is
    the record, and the relay sends the email when Redis answers again."""
    from people.models import MentorPairing
    from reflections.models import Notification
    from reflections.services.journal import entry_create
    from reflections.services.sharing import entry_share

    leader = make_person(alpha, ["leader"], email="author@example.org")
    mentor = make_person(alpha, ["mentor"])
    with tenant_context(alpha):
        MentorPairing.objects.create(leader=leader, mentor=mentor, starts_on=date(2026, 1, 1))
        entry = entry_create(author=leader, title="A hard handover", template="free",
                                      fields={"body": "Notes"})
        entry_share(entry=entry, author=leader, mentor=mentor)

    mail.outbox.clear()
    with broker_unreachable():
        response = client_for(alpha, mentor).post(f"/journal/{entry.pk}/comments/", {"body": "Thank you"})
        assert response.status_code == 302
    with tenant_context(alpha):
        notification = Notification.objects.get(recipient=leader, kind="comment")
        assert notification.email_due and notification.emailed_at is None
        # Redis is back: the next dispatch relays what could not be queued.
        Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(minutes=5))
        prompts_dispatch.delay().get(timeout=20)
    assert _wait_for(lambda: any(m.to == ["author@example.org"] for m in mail.outbox))
    with tenant_context(alpha):
        prompts_dispatch.delay().get(timeout=20)
    worker_drained()
    assert sum(m.to == ["author@example.org"] for m in mail.outbox) == 1
    assert "Thank you" not in mail.outbox[0].body


def test_prompt_emails_task_retries_on_the_worker_and_never_duplicates(celery_worker, alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        schedule(leader)
        ids = [pk for pk, _ in prompt_delivery.deliveries_record(now=THURSDAY_17_LONDON)]
    mail.outbox.clear()
    with tenant_context(alpha):
        first = prompt_emails_send.delay(ids)
        second = prompt_emails_send.delay(ids)  # a redelivered message
    assert sorted([first.get(timeout=20), second.get(timeout=20)]) == [0, 1]
    assert len(mail.outbox) == 1
    assert connection.schema_name == "public"
