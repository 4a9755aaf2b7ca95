"""Supervision's sessions: who supervises whom, the record written together (versions, agreement, and the race of
two saves based on the same version), actions carried across sessions, the calendar file, the pages' query
counts as sessions grow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context
from icalendar import Calendar

from supervision.calendar import session_ics
from supervision.models import Action, Relationship, Session
from supervision.services import sessions as services
from tests.conftest import client_for, make_person
from tests.supervision.sessions_world import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(alpha):
    sue = make_person(alpha, ["leader"], name="Sue Supervisee")
    sid = make_person(alpha, ["leader"], name="Sid Supervisor")
    with tenant_context(alpha):
        relationship = services.relationship_create(supervisor=sid, supervisee=sue,
                                                    starts_on=timezone.localdate() - timedelta(days=60))
    return sue, sid, relationship


def test_a_supervisee_has_one_current_supervisor_unless_the_admin_ends_it(alpha, pair):
    sue, sid, relationship = pair
    fay = make_person(alpha, ["leader"], name="Fay")
    with tenant_context(alpha):
        with pytest.raises(services.SupervisionError, match="supervised by Sid Supervisor now"):
            services.relationship_create(supervisor=fay, supervisee=sue)
        with pytest.raises(services.SupervisionError, match="themselves"):
            services.relationship_create(supervisor=sue, supervisee=sue)
        with pytest.raises(services.SupervisionError, match="already supervises"):
            services.relationship_create(supervisor=sid, supervisee=sue, end_current=True)
        later = book(relationship, sid, 10)
        new = services.relationship_create(supervisor=fay, supervisee=sue, end_current=True)
        relationship.refresh_from_db()
        assert relationship.ends_on == timezone.localdate() and not relationship.is_current()
        assert new.is_current()
        # History kept; the session booked with Sid after the end is cancelled, and both hear.
        assert Relationship.objects.filter(supervisee=sue).count() == 2
        later.refresh_from_db()
        assert later.is_cancelled and later.sequence == 1
        assert set(later.emails.filter(kind="cancel").values_list("person_id", flat=True)) == {sue.pk, sid.pk}


def test_versions_and_agreement(alpha, pair):
    sue, sid, relationship = pair
    with tenant_context(alpha):
        session = book(relationship, sid, -1)
        with pytest.raises(services.SupervisionError, match="no record"):
            services.record_agree(session=session, by=sue, version=1)
        first = services.record_save(session=session, by=sid, text="We talked about nights.", based_on=0)
        assert first.number == 1
        assert services.record_agree(session=session, by=sid, version=1) is False
        assert services.record_agree(session=session, by=sue, version=1) is True
        session.refresh_from_db()
        assert session.agreed_at is not None and session.version == 1
        # A change after agreement: a new version, by Sue, and both agree again.
        second = services.record_save(session=session, by=sue, text="We talked about nights.\nAnd rotas.",
                                      based_on=1)
        session.refresh_from_db()
        assert second.number == 2 and second.author == sue and session.agreed_at is None
        assert first.agreements.count() == 2 and second.agreements.count() == 0
        with pytest.raises(services.RecordChanged):
            services.record_agree(session=session, by=sid, version=1)  # agreeing what he read, now old
        services.record_agree(session=session, by=sid, version=2)
        assert services.record_agree(session=session, by=sue, version=2) is True
        # Saving the same words again changes nothing.
        assert services.record_save(session=session, by=sid, text=second.text, based_on=2).number == 2
        with pytest.raises(services.SupervisionError):
            services.record_save(session=session, by=make_person(alpha), text="x", based_on=2)
    # The versions page shows who changed what, as a readable diff.
    page = client_for(alpha, sue).get(f"/supervision/sessions/{session.pk}/record/versions/").content.decode()
    assert "Version 2" in page and "Version 1" in page
    assert "<ins><span class=\"visually-hidden\">Added: </span>And rotas.</ins>" in page
    assert ("agreed by Sid Supervisor and Sue Supervisee" in page
            or "agreed by Sue Supervisee and Sid Supervisor" in page)


def test_the_second_of_two_saves_based_on_the_same_version_is_told_and_sees_both(alpha, pair):
    sue, sid, relationship = pair
    with tenant_context(alpha):
        session = book(relationship, sid, -1)
        services.record_save(session=session, by=sid, text="Start.", based_on=0)
    sue_client, sid_client = client_for(alpha, sue), client_for(alpha, sid)
    url = f"/supervision/sessions/{session.pk}/record/"
    assert sid_client.post(url, {"record-text": "Start. Sid's words.", "record-based_on": "1"}).status_code == 302
    response = sue_client.post(url, {"record-text": "Start. Sue's words.", "record-based_on": "1"})
    content = response.content.decode()
    assert response.status_code == 409
    assert "saved the record while you were writing" in content
    assert "Start. Sid&#x27;s words." in content  # the newer one
    assert "Sue&#x27;s words." in content  # hers, kept in the box, now based on version 2
    assert 'name="record-based_on" value="2"' in content
    with tenant_context(alpha):
        assert Session.objects.get(pk=session.pk).version == 2
    # Her merge, saved on the newer version, goes in.
    merged = {"record-text": "Start. Sid's words. Sue's words.", "record-based_on": "2"}
    assert sue_client.post(url, merged).status_code == 302
    with tenant_context(alpha):
        assert Session.objects.get(pk=session.pk).version == 3


def test_actions_carry_across_three_sessions(alpha, pair):
    sue, sid, relationship = pair
    with tenant_context(alpha):
        first, second, third = (book(relationship, sid, days) for days in (-30, -2, 5))
        walk = services.action_add(session=first, by=sid, text="Walk the garden with Mrs P", owner="supervisee")
        rota = services.action_add(session=first, by=sue, text="Ask about the rota", owner="supervisor")
        course = services.action_add(session=first, by=sue, text="Book the course", owner="supervisee")
        # The second session opens with all three; one is done, one carried on, one let go.
        services.action_review(session=second, by=sue, action_id=rota.pk, status="done")
        services.action_review(session=second, by=sue, action_id=walk.pk, status="carried")
        services.action_review(session=second, by=sid, action_id=course.pk, status="let_go")
        with pytest.raises(services.SupervisionError):
            services.action_review(session=second, by=sid, action_id=course.pk, status="done")
        with pytest.raises(services.SupervisionError):  # a later session's action cannot be reviewed earlier
            services.action_review(session=first, by=sid, action_id=walk.carried_to.pk, status="done")
        walk_again = Action.objects.get(carried_from=walk)
        assert walk_again.session == second and walk_again.owner == sue
        # The third opens with only the carried one; carried again, then done there.
        services.action_review(session=third, by=sue, action_id=walk_again.pk, status="carried")
        walk_third = Action.objects.get(carried_from=walk_again)
        services.action_done(session=third, by=sue, action_id=walk_third.pk)
        assert dict(Action.objects.filter(session=first).values_list("text", "status")) == {
            "Walk the garden with Mrs P": "carried", "Ask about the rota": "done", "Book the course": "let_go",
        }
    page = client_for(alpha, sue).get(f"/supervision/sessions/{third.pk}/").content.decode()
    assert "Last time we agreed" in page and "Carried on" in page and "Ask about the rota" not in page


def test_the_calendar_file_keeps_its_uid_and_moves_and_cancels(alpha, pair):
    sue, sid, relationship = pair
    with tenant_context(alpha):
        session = services.session_schedule(
            relationship=relationship, by=sue, starts_at=timezone.now() + timedelta(days=3), place="Room 2",
        )
        first = Calendar.from_ical(session_ics(session))
        services.session_reschedule(session=session, by=sid, starts_at=session.starts_at + timedelta(days=1),
                                    duration_minutes=45, place="Room 3")
        session.refresh_from_db()
        moved = Calendar.from_ical(session_ics(session))
        services.session_cancel(session=session, by=sue)
        session.refresh_from_db()
        cancelled = Calendar.from_ical(session_ics(session, cancel=True))
        kinds = sorted(session.emails.values_list("kind", "sequence").distinct())
    (one,), (two,), (three,) = (c.walk("VEVENT") for c in (first, moved, cancelled))
    assert str(first["METHOD"]) == "REQUEST" and str(cancelled["METHOD"]) == "CANCEL"
    assert str(one["UID"]) == str(two["UID"]) == str(three["UID"]) == f"{session.uid}@heartwood"
    assert (int(one["SEQUENCE"]), int(two["SEQUENCE"]), int(three["SEQUENCE"])) == (0, 1, 2)
    assert str(two["LOCATION"]) == "Room 3" and str(three["STATUS"]) == "CANCELLED"
    assert two.decoded("DTEND") - two.decoded("DTSTART") == timedelta(minutes=45)
    assert {str(a) for a in one.get("ATTENDEE")} == {f"mailto:{sue.email}", f"mailto:{sid.email}"}
    assert f"/supervision/sessions/{session.pk}/" in str(one["DESCRIPTION"])
    assert kinds == [("cancel", 2), ("invite", 0), ("update", 1)]


def test_booking_in_the_organisations_time_zone(alpha, pair):
    sue, sid, relationship = pair
    response = client_for(alpha, sue).post(f"/supervision/with/{relationship.pk}/", {
        "on": "2027-07-06", "at": "10:00", "duration_minutes": "60", "place": "The garden room",
    })
    assert response.status_code == 302
    with tenant_context(alpha):
        session = Session.objects.get(relationship=relationship)
    # Europe/London in July is UTC+1.
    assert session.starts_at == datetime(2027, 7, 6, 9, 0, tzinfo=UTC)
    page = client_for(alpha, sid).get(f"/supervision/sessions/{session.pk}/").content.decode()
    assert "Tuesday 6 July 2027, 10:00" in page


def test_the_agenda_puts_the_supervisees_first(alpha, pair):
    sue, sid, relationship = pair
    with tenant_context(alpha):
        session = book(relationship, sid, 3)
        services.agenda_add(session=session, by=sid, text="Sid's point")
        services.agenda_add(session=session, by=sue, text="Sue's point")
        with pytest.raises(services.SupervisionError):
            services.agenda_remove(session=session, by=sue, item_id=session.agenda_items.get(author=sid).pk)
    page = client_for(alpha, sid).get(f"/supervision/sessions/{session.pk}/").content.decode()
    assert page.index("Sue&#x27;s point") < page.index("Sid&#x27;s point")


def test_the_home_page_nudges_before_a_session(alpha, pair):
    sue, sid, relationship = pair
    with tenant_context(alpha):
        book(relationship, sid, 2)
    page = client_for(alpha, sue).get("/").content.decode()
    assert "Supervision with Sid Supervisor" in page and "Add what you want to talk about" in page


def _grow(alpha, relationship, sue, sid, count: int) -> None:
    with tenant_context(alpha):
        for n in range(count):
            session = book(relationship, sid, -3 - n * 7)
            services.agenda_add(session=session, by=sue, text=f"Item {n}")
            services.record_save(session=session, by=sid, text=f"Record {n}", based_on=0)
            services.record_agree(session=session, by=sue, version=1)
            services.action_add(session=session, by=sue, text=f"Action {n}", owner="supervisee")
        book(relationship, sue, 4)


SUPERVISION_QUERIES = 14
SESSION_QUERIES = 20
MANAGE_QUERIES = 16


def test_pages_do_not_grow_with_sessions(alpha, pair, django_assert_max_num_queries):
    sue, sid, relationship = pair
    admin = make_person(alpha, ["admin"])
    for count in (1, 8):
        _grow(alpha, relationship, sue, sid, count)
        with tenant_context(alpha):
            latest = relationship.sessions.filter(starts_at__lt=timezone.now()).order_by("-starts_at").first()
        for who, url, limit in (
            (sue, "/supervision/", SUPERVISION_QUERIES), (sid, "/supervision/", SUPERVISION_QUERIES),
            (sue, f"/supervision/sessions/{latest.pk}/", SESSION_QUERIES),
            (sid, f"/supervision/with/{relationship.pk}/", SUPERVISION_QUERIES),
            (admin, "/manage/supervision/", MANAGE_QUERIES),
        ):
            client = client_for(alpha, who)
            client.get(url)
            with django_assert_max_num_queries(limit):
                assert client.get(url).status_code == 200
