"""Action learning sets: starting one, the agreement, leaving and removing; the rota and the report-back flow
across three meetings; swaps; the gentle hint about advice; the calendar file; attendance on the CPD record; a
journal entry about a meeting; a rhythm booking the next meeting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context
from icalendar import Calendar

from courses.cpd import cpd_record_for
from learningsets import selectors, services
from learningsets.emails import calendar_uid, meeting_ics
from learningsets.models import Meeting, MeetingEmail, Question, SetMember
from learningsets.questions import ADVICE_OPENINGS, sounds_like_advice
from reflections.about import about_resolve
from teams.services import member_add, team_create
from tests.conftest import client_for, make_person
from tests.learningsets.sets_world import accept, build_world, place_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alpha, beta):
    return build_world(alpha, beta)


@pytest.fixture
def bare(alpha, beta):
    """The same people and set, with no meetings yet."""
    return build_world(alpha, beta, with_meetings=False)


# --- Starting a set


def test_admins_and_team_leads_start_sets_and_nobody_else(alpha):
    admin = make_person(alpha, ["admin"])
    lead = make_person(alpha, ["leader"])
    leader = make_person(alpha, ["leader"])
    people = [make_person(alpha, ["leader"]) for _ in range(4)]
    with tenant_context(alpha):
        member_add(team=team_create(name="Oak"), user=lead, is_lead=True)
        assert selectors.can_start_a_set(admin) and selectors.can_start_a_set(lead)
        assert not selectors.can_start_a_set(leader)
        with pytest.raises(services.SetError, match="admins and team leads"):
            services.set_create(by=leader, name="Mine", facilitator=leader, members=people)
    assert client_for(alpha, leader).get("/sets/new/").status_code == 404
    assert client_for(alpha, lead).get("/sets/new/").status_code == 200


def test_a_set_has_four_to_eight_members(alpha):
    admin = make_person(alpha, ["admin"])
    people = [make_person(alpha, ["leader"]) for _ in range(9)]
    with tenant_context(alpha):
        for wrong in (people[:3], people[:9]):
            with pytest.raises(services.SetError, match="4 to 8 members"):
                services.set_create(by=admin, name="Too few or many", facilitator=admin, members=wrong)
        learning_set = services.set_create(by=admin, name="Just right", facilitator=people[0], members=people[:4])
        # The facilitator may be a member: one place, both parts.
        places = SetMember.objects.filter(learning_set=learning_set)
        assert places.count() == 4 and places.get(user=people[0]).is_facilitator
    client = client_for(alpha, admin)
    response = client.post("/sets/new/", {"name": "Three", "members": [p.pk for p in people[:3]],
                                          "facilitator": admin.pk, "rhythm": "", "meeting_minutes": "120"})
    assert response.status_code == 200 and "Choose 4 to 8 members: you chose 3." in response.content.decode()


def test_a_team_lead_draws_a_set_from_their_own_team_only(alpha):
    lead = make_person(alpha, ["leader"])
    people = [make_person(alpha, ["leader"]) for _ in range(4)]
    with tenant_context(alpha):
        mine, other = team_create(name="Mine"), team_create(name="Theirs")
        member_add(team=mine, user=lead, is_lead=True)
        with pytest.raises(services.SetError, match="your own teams"):
            services.set_create(by=lead, name="S", facilitator=lead, members=people, team=other)
        assert services.set_create(by=lead, name="S", facilitator=lead, members=people, team=mine).team == mine


def test_nobody_sees_the_set_before_accepting_and_the_acceptance_keeps_the_version(bare, alpha):
    fin = bare.invited
    with tenant_context(alpha):
        assert not selectors.is_accepted_member(fin, bare.learning_set)
        accept(fin, bare.learning_set)
        place = place_of(fin, bare.learning_set)
        assert place.accepted_at is not None and place.agreement_version
    assert client_for(alpha, fin).get(f"/sets/{bare.learning_set.pk}/").status_code == 200


def test_the_facilitator_cannot_remove_themselves_and_a_member_cannot_remove_anyone(world, alpha):
    with tenant_context(alpha):
        with pytest.raises(services.SetError, match="leave the set instead"):
            services.place_remove(place=place_of(world.facilitator, world.learning_set), by=world.facilitator)
        with pytest.raises(services.SetError, match="facilitator"):
            services.place_remove(place=place_of(world.ellis, world.learning_set), by=world.sam)


def test_leaving_hands_a_turn_to_present_back_to_the_rota_and_takes_the_brief_with_it(world, alpha):
    with tenant_context(alpha):
        services.brief_post(meeting=world.upcoming, by=world.ellis, text="My problem")
        services.place_leave(place=place_of(world.ellis, world.learning_set), user=world.ellis)
        upcoming = Meeting.objects.get(pk=world.upcoming.pk)
        assert upcoming.presenter_id is None and upcoming.brief == "" and upcoming.brief_posted_at is None


def test_a_ninth_member_cannot_be_invited(bare, alpha):
    with tenant_context(alpha):
        extra = [make_person(alpha, ["leader"]) for _ in range(4)]
    with tenant_context(alpha):
        # Five open member places now (Sam, Ellis, Cass, Dev, Fin invited; Gus left; Priya only facilitates):
        # three more fit.
        for person in extra[:3]:
            services.member_invite(learning_set=bare.learning_set, user=person, by=bare.facilitator)
        with pytest.raises(services.SetError, match="at most 8"):
            services.member_invite(learning_set=bare.learning_set, user=extra[3], by=bare.facilitator)


# --- The rota and the report back, across three meetings


def _hold(meeting: Meeting, *, days_ago: float) -> Meeting:
    """Move a meeting into the past (the services book only meetings still to come)."""
    starts = timezone.now() - timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts)
    meeting.refresh_from_db()
    return meeting


def test_the_rota_and_the_report_back_across_three_meetings(bare, alpha):
    sam, ellis, cass, dev = bare.members
    facilitator = bare.facilitator
    with tenant_context(alpha):
        s = bare.learning_set
        # Nobody has presented: the rota goes by name (Cass, Dev, Ellis, Sam), and booking takes its suggestion.
        assert [line.place.user for line in selectors.rota(s)] == [cass, dev, ellis, sam]
        first = services.meeting_book(learning_set=s, by=facilitator, starts_at=timezone.now() + timedelta(days=1))
        assert first.presenter == cass
        # Booked ahead counts as a turn: the next suggestion is Dev; Sam swaps in for the first meeting.
        assert selectors.rota_suggestion(s) == dev
        services.presenter_change(meeting=first, by=cass, presenter=sam)
        assert Meeting.objects.get(pk=first.pk).presenter == sam
        first = _hold(Meeting.objects.get(pk=first.pk), days_ago=0.1)  # in the meeting now
        services.question_add(meeting=first, by=ellis, text="What would a good handover look like?")
        services.action_record(meeting=first, by=sam, text="Ask the night team what they need from us")
        first = _hold(first, days_ago=56)

        # Meeting two: Sam has presented once, so the rota suggests one of the others (Cass, by name).
        second = services.meeting_book(learning_set=s, by=facilitator, starts_at=timezone.now() + timedelta(days=1))
        assert second.presenter == cass
        assert selectors.previous_meeting(second) == first
        # Sam reports back first thing at meeting two.
        second = _hold(second, days_ago=0.1)
        services.report_record(meeting=first, by=sam, text="They asked for ten quiet minutes; it helped")
        services.action_record(meeting=second, by=cass, text="Try a handover sheet for a week")
        second = _hold(second, days_ago=28)

        # Meeting three: Sam and Cass presented once each, Dev and Ellis never: Dev is next (by name), then Ellis.
        lines = selectors.rota(s)
        assert [line.place.user for line in lines][:2] == [dev, ellis]
        assert {line.place.user: line.presented for line in lines}[sam] == 1
        third = services.meeting_book(learning_set=s, by=facilitator, starts_at=timezone.now() + timedelta(days=1))
        assert third.presenter == dev and selectors.previous_meeting(third) == second
    # On meeting three's page, Cass sees their action first, with a form to say how it went; Sam's report stands on
    # meeting one's page.
    page = client_for(alpha, cass).get(f"/sets/{s.pk}/meetings/{third.pk}/").content.decode()
    assert page.index("First: how did it go?") < page.index("Who presents")
    assert "Try a handover sheet for a week" in page and 'name="report-report"' in page
    others = client_for(alpha, sam).get(f"/sets/{s.pk}/meetings/{third.pk}/").content.decode()
    assert "Try a handover sheet for a week" in others and 'name="report-report"' not in others
    first_page = client_for(alpha, dev).get(f"/sets/{s.pk}/meetings/{first.pk}/").content.decode()
    assert "They asked for ten quiet minutes; it helped" in first_page
    # Cass reports back through the page.
    response = client_for(alpha, cass).post(f"/sets/{s.pk}/meetings/{second.pk}/report/",
                                            {"report-report": "The sheet stuck on the second day"})
    assert response.status_code == 302 and response["Location"].startswith(f"/sets/{s.pk}/meetings/{third.pk}/")
    with tenant_context(alpha):
        assert Meeting.objects.get(pk=second.pk).report == "The sheet stuck on the second day"


def test_the_older_meeting_swaps_with_a_later_turn(bare, alpha):
    sam, ellis, cass, dev = bare.members
    with tenant_context(alpha):
        s = bare.learning_set
        one = services.meeting_book(learning_set=s, by=bare.facilitator, starts_at=timezone.now() + timedelta(days=3))
        two = services.meeting_book(learning_set=s, by=bare.facilitator, starts_at=timezone.now() + timedelta(days=40))
        assert (one.presenter, two.presenter) == (cass, dev)
        services.presenter_change(meeting=one, by=cass, presenter=dev)
        assert Meeting.objects.get(pk=one.pk).presenter == dev and Meeting.objects.get(pk=two.pk).presenter == cass
        with pytest.raises(services.SetError, match="presenter or the facilitator"):
            services.presenter_change(meeting=one, by=ellis, presenter=ellis)
        services.brief_post(meeting=Meeting.objects.get(pk=one.pk), by=dev, text="Night shifts")
        with pytest.raises(services.SetError, match="posted a brief"):
            services.presenter_change(meeting=Meeting.objects.get(pk=one.pk), by=dev, presenter=sam)


# --- Questions, briefs, actions


@pytest.mark.parametrize("question", [
    "Have you tried a rota swap?", "Why don't you ask the manager?", "You should talk to HR", "Could you not say no?",
    "  why DON’T you write it down?", "“Have you thought about leaving?”",
])
def test_questions_that_start_like_advice_are_noticed(question):
    assert sounds_like_advice(question)


@pytest.mark.parametrize("question", [
    "What have you tried so far?", "How does that feel?", "Who else is affected?", "Why does it matter to you?",
    "Youth services, what do they offer?",
])
def test_open_questions_are_not(question):
    assert not sounds_like_advice(question)


def test_the_patterns_live_in_one_place():
    assert {"have you tried", "why don't you", "you should", "could you not"} <= set(ADVICE_OPENINGS)


def test_the_hint_is_gentle_and_the_question_can_be_asked_as_it_is(world, alpha):
    client = client_for(alpha, world.ellis)
    url = f"/sets/{world.learning_set.pk}/meetings/{world.held.pk}/questions/"
    response = client.post(url, {"question-question": "Have you tried talking to them?"})
    page = response.content.decode()
    assert response.status_code == 200 and "That sounds a little like advice" in page
    assert "What have you tried so far?" in page
    with tenant_context(alpha):
        assert not Question.objects.filter(text__startswith="Have you tried").exists()
    response = client.post(url, {"question-question": "Have you tried talking to them?", "question-ask_anyway": "True"})
    assert response.status_code == 302
    response = client.post(url, {"question-question": "What would help you most?"})
    assert response.status_code == 302
    with tenant_context(alpha):
        assert Question.objects.filter(meeting=world.held).count() == 3


def test_the_presenter_does_not_question_themselves_and_questions_wait_for_the_meeting(world, alpha):
    with tenant_context(alpha):
        with pytest.raises(services.SetError, match="others ask them"):
            services.question_add(meeting=world.held, by=world.sam, text="What now?")
        with pytest.raises(services.SetError, match="during the meeting"):
            services.question_add(meeting=world.upcoming, by=world.sam, text="What now?")


def test_a_brief_can_use_the_five_whys(world, alpha):
    client = client_for(alpha, world.ellis)
    url = f"/sets/{world.learning_set.pk}/meetings/{world.upcoming.pk}/brief/"
    page = client.get(url + "?shape=five-whys").content.decode()
    assert "Five whys" in page and 'name="brief-part_why1"' in page
    response = client.post(url, {"shape": "five-whys", "brief-part_problem": "Handovers run late",
                                 "brief-part_why1": "Nobody owns the list", "brief-brief": ""})
    assert response.status_code == 302
    page = client_for(alpha, world.sam).get(f"/sets/{world.learning_set.pk}/meetings/{world.upcoming.pk}/")
    text = page.content.decode()
    assert "Handovers run late" in text and "Nobody owns the list" in text and "Why does it happen?" in text


def test_only_the_presenter_records_the_action(world, alpha):
    with tenant_context(alpha):
        with pytest.raises(services.SetError, match="Only the presenter"):
            services.action_record(meeting=world.held, by=world.ellis, text="Mine")
        with pytest.raises(services.SetError, match="during the meeting"):
            services.action_record(meeting=world.upcoming, by=world.ellis, text="Too soon")


# --- Calendar, attendance and CPD, the journal, the rhythm


def test_the_calendar_file_keeps_its_uid_and_counts_changes(world, alpha):
    with tenant_context(alpha):
        meeting = world.upcoming
        first = Calendar.from_ical(meeting_ics(meeting))
        moved = services.meeting_change(meeting=meeting, by=world.facilitator,
                                        starts_at=meeting.starts_at + timedelta(days=1), minutes=90, place="Room 2")
        second = Calendar.from_ical(meeting_ics(moved))
        cancelled = services.meeting_cancel(meeting=moved, by=world.facilitator)
        third = Calendar.from_ical(meeting_ics(cancelled, cancel=True))
        kinds = sorted(MeetingEmail.objects.filter(meeting=meeting, user=world.sam).values_list("kind", "sequence"))
    events = [next(iter(cal.walk("VEVENT"))) for cal in (first, second, third)]
    assert len({str(event["UID"]) for event in events}) == 1
    assert str(events[0]["UID"]) == calendar_uid(meeting)
    assert [int(event["SEQUENCE"]) for event in events] == [0, 1, 2]
    assert str(third["METHOD"]) == "CANCEL" and str(events[2]["STATUS"]) == "CANCELLED"
    assert "Larch House set" in str(events[0]["SUMMARY"]) and world.marker not in first.to_ical().decode()
    assert kinds == [("cancel", 2), ("invite", 0), ("update", 1)]
    response = client_for(alpha, world.sam).get(f"/sets/{world.learning_set.pk}/meetings/{meeting.pk}/meeting.ics")
    assert response["Content-Type"].startswith("text/calendar")


def test_attended_meetings_count_on_the_cpd_record_even_after_leaving(world, alpha):
    with tenant_context(alpha):
        sam_record = cpd_record_for(world.sam)
        [row] = [row for row in sam_record.rows if row.kind_label == "Action learning set meeting"]
        assert (row.title, row.minutes) == ("Larch House set", 120)
        assert not [row for row in cpd_record_for(world.members[2]).rows if not row.is_module]  # Cass was away
        services.place_leave(place=place_of(world.sam, world.learning_set), user=world.sam)
        assert cpd_record_for(world.sam).total_minutes == sam_record.total_minutes
    page = client_for(alpha, world.sam).get("/learn/cpd/").content.decode()
    assert "Larch House set" in page and "Action learning set meeting" in page


def test_the_facilitator_records_attendance_once_the_meeting_has_started(world, alpha):
    with tenant_context(alpha):
        with pytest.raises(services.SetError, match="once the meeting has started"):
            services.attendance_record(meeting=world.upcoming, by=world.facilitator, present=[world.sam.pk])
        with pytest.raises(services.SetError, match="facilitator"):
            services.attendance_record(meeting=world.held, by=world.sam, present=[world.sam.pk])
        with pytest.raises(services.SetError, match="set's list"):
            services.attendance_record(meeting=world.held, by=world.facilitator, present=[world.mentor.pk])


def test_reflect_on_a_meeting_opens_a_private_entry_about_it(world, alpha):
    page = client_for(alpha, world.ellis).get(f"/sets/{world.learning_set.pk}/meetings/{world.held.pk}/")
    assert "/journal/new/?about=learningsets.meeting%3A" in page.content.decode()
    with tenant_context(alpha):
        link = about_resolve(world.ellis, "learningsets.meeting", world.held.pk)
        assert link is not None and link.label.startswith("Larch House set, meeting of")
        assert about_resolve(world.former, "learningsets.meeting", world.held.pk) is None
        assert about_resolve(world.admin, "learningsets.meeting", world.held.pk) is None
    upcoming = client_for(alpha, world.ellis).get(f"/sets/{world.learning_set.pk}/meetings/{world.upcoming.pk}/")
    assert "Reflect on this meeting" not in upcoming.content.decode()


def test_a_rhythm_books_the_next_meeting_at_the_same_local_time(bare, alpha):
    with tenant_context(alpha):
        s = bare.learning_set
        services.rhythm_set(learning_set=s, by=bare.facilitator, rhythm_weeks=4)
        assert services.rhythm_keep() == 0  # the first meeting is the facilitator's to book
        meeting = services.meeting_book(learning_set=s, by=bare.facilitator,
                                        starts_at=timezone.now() + timedelta(days=1))
        assert services.rhythm_keep() == 0  # one is booked ahead
        _hold(meeting, days_ago=20)
        assert services.rhythm_keep() == 1 and services.rhythm_keep() == 0
        booked = selectors.next_meeting(s)
        held = Meeting.objects.get(pk=meeting.pk)
        from learningsets.clock import organisation_zone

        zone = organisation_zone()
        assert (timezone.localtime(booked.starts_at, zone).date() - timezone.localtime(held.starts_at, zone).date()
                ).days == 28
        assert timezone.localtime(booked.starts_at, zone).time() == timezone.localtime(held.starts_at, zone).time()
        assert booked.presenter is not None


def test_accepting_later_sends_invitations_for_meetings_already_booked(world, alpha):
    with tenant_context(alpha):
        accept(world.invited, world.learning_set)
        assert MeetingEmail.objects.filter(user=world.invited, meeting=world.upcoming, kind="invite").count() == 1
        assert not MeetingEmail.objects.filter(user=world.invited, meeting=world.held).exists()
