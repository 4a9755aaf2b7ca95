"""Mentor pairings: made and ended by admins, with clear messages; leaders and mentors see who they are paired with."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from people.models import MentorPairing
from people.selectors import current_mentors_of
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db


def pair(client, leader, mentor, **extra):
    data = {"leader": leader.pk, "mentor": mentor.pk, "starts_on": timezone.localdate().isoformat(), **extra}
    return client.post("/manage/pairings/", data)


def test_admin_pairs_a_leader_with_two_mentors_and_both_sides_see_it(alpha, alpha_people):
    second_mentor = make_person(alpha, ["mentor"], name="Nia Mentor")
    admin = client_for(alpha, alpha_people.admin)
    assert pair(admin, alpha_people.leader, alpha_people.mentor).status_code == 302
    assert pair(admin, alpha_people.leader, second_mentor).status_code == 302
    listed = admin.get("/manage/pairings/").content.decode()
    assert "Lee Leader" in listed and "Mo Mentor" in listed and "Nia Mentor" in listed

    leader_home = client_for(alpha, alpha_people.leader).get("/").content.decode()
    assert "Your mentors:" in leader_home
    assert "Mo Mentor" in leader_home and "Nia Mentor" in leader_home
    mentor_home = client_for(alpha, alpha_people.mentor).get("/").content.decode()
    assert "You mentor:" in mentor_home and "Lee Leader" in mentor_home
    # Someone who is not paired sees neither.
    other = make_person(alpha, ["leader"], name="Una Paired")
    other_home = client_for(alpha, other).get("/").content.decode()
    assert "You don't have a mentor yet" in other_home
    assert "Mo Mentor" not in other_home


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("same", "nobody can mentor themselves"),
        ("not_mentor", "Only people with the mentor role are listed"),
        ("not_leader", "Only people with the leader role are listed"),
        ("ends_before", "The end date must be after the start date."),
        ("duplicate", "is already paired with"),
    ],
)
def test_pairing_form_explains_what_is_wrong(alpha, alpha_people, case, message):
    admin = client_for(alpha, alpha_people.admin)
    leader, mentor = alpha_people.leader, alpha_people.mentor
    extra = {}
    if case == "same":
        both = make_person(alpha, ["leader", "mentor"])
        leader = mentor = both
    elif case == "not_mentor":
        mentor = make_person(alpha, ["leader"])
    elif case == "not_leader":
        leader = make_person(alpha, ["mentor"])
    elif case == "ends_before":
        extra = {"ends_on": (timezone.localdate() - timedelta(days=1)).isoformat()}
    elif case == "duplicate":
        pair(admin, leader, mentor)
    with tenant_context(alpha):
        before = MentorPairing.objects.count()
    response = pair(admin, leader, mentor, **extra)
    assert response.status_code == 200
    assert message in response.content.decode()
    with tenant_context(alpha):
        assert MentorPairing.objects.count() == before


def test_the_form_offers_leaders_on_one_side_and_mentors_with_their_leader_counts_on_the_other(
    alpha, alpha_people, django_assert_max_num_queries
):
    from people.services import pairing_create

    admin = client_for(alpha, alpha_people.admin)
    morgan = make_person(alpha, ["mentor"], name="Morgan Mentor")
    both = make_person(alpha, ["leader", "mentor"], name="Bea Both")
    leaders = [make_person(alpha, ["leader"], name=f"Leader {n}") for n in range(3)]
    with tenant_context(alpha):
        pairing_create(leader=leaders[0], mentor=morgan)
        pairing_create(leader=leaders[1], mentor=morgan)
        pairing_create(leader=leaders[2], mentor=both)
        # An ended pairing is history, not a leader the mentor has.
        ended = pairing_create(
            leader=alpha_people.leader, mentor=both, starts_on=timezone.localdate() - timedelta(days=30)
        )
        MentorPairing.objects.filter(pk=ended.pk).update(ends_on=timezone.localdate())
    admin.get("/manage/pairings/")
    with django_assert_max_num_queries(12) as captured:
        admin.get("/manage/pairings/")
    before = len(captured.captured_queries)
    page = admin.get("/manage/pairings/").content.decode()
    leader_select = page.split('name="leader"')[1].split("</select>")[0]
    mentor_select = page.split('name="mentor"')[1].split("</select>")[0]
    assert "Lee Leader" in leader_select and "Bea Both" in leader_select
    assert "Mo Mentor" not in leader_select and "Morgan Mentor" not in leader_select
    assert "Ada Admin" in leader_select and "Ada Admin" not in mentor_select  # an admin who is also a leader
    assert "Morgan Mentor (2 leaders)" in mentor_select
    assert "Bea Both (1 leader)" in mentor_select
    assert "Mo Mentor (no leaders yet)" in mentor_select
    assert "Lee Leader" not in mentor_select and "Leader 0" not in mentor_select

    # The counts come with the list: more mentors and pairings cost no more queries.
    with tenant_context(alpha):
        for _ in range(6):
            pairing_create(leader=make_person(alpha, ["leader"]), mentor=make_person(alpha, ["mentor"]))
    with django_assert_max_num_queries(before):
        assert admin.get("/manage/pairings/").status_code == 200


def test_ending_a_pairing_sets_today_and_the_pair_no_longer_see_each_other(alpha, alpha_people):
    admin = client_for(alpha, alpha_people.admin)
    start = timezone.localdate() - timedelta(days=30)
    pair(admin, alpha_people.leader, alpha_people.mentor, starts_on=start.isoformat())
    with tenant_context(alpha):
        pairing = MentorPairing.objects.get()
    response = admin.post(f"/manage/pairings/{pairing.pk}/end/", follow=True)
    assert "has ended" in response.content.decode()
    with tenant_context(alpha):
        pairing.refresh_from_db()
        assert pairing.ends_on == timezone.localdate()
        assert list(current_mentors_of(alpha_people.leader)) == []
    assert "Mo Mentor" not in client_for(alpha, alpha_people.leader).get("/").content.decode()
    # Ended pairings are kept, and shown on request.
    assert "Mo Mentor" not in admin.get("/manage/pairings/").content.decode().split("Current and upcoming")[1]
    assert "Ended" in admin.get("/manage/pairings/?show=all").content.decode()
    # Ending twice is refused politely.
    assert "already ended" in admin.post(f"/manage/pairings/{pairing.pk}/end/", follow=True).content.decode()
    # The same two can be paired again.
    assert pair(admin, alpha_people.leader, alpha_people.mentor).status_code == 302


def test_a_future_pairing_is_not_current_yet(alpha, alpha_people):
    admin = client_for(alpha, alpha_people.admin)
    next_week = timezone.localdate() + timedelta(days=7)
    pair(admin, alpha_people.leader, alpha_people.mentor, starts_on=next_week.isoformat())
    with tenant_context(alpha):
        assert list(current_mentors_of(alpha_people.leader)) == []
    assert "Upcoming" in admin.get("/manage/pairings/").content.decode()


def test_pairings_and_invitations_pages_cost_the_same_queries_however_many_rows(
    alpha, alpha_people, django_assert_max_num_queries
):
    from people.services import invitation_create, pairing_create

    admin = client_for(alpha, alpha_people.admin)
    admin.get("/")
    counts = {}
    for url in ("/manage/pairings/", "/manage/invitations/"):
        with django_assert_max_num_queries(12) as captured:
            admin.get(url)
        counts[url] = len(captured.captured_queries)
    with tenant_context(alpha):
        for index in range(15):
            leader = make_person(alpha, ["leader"])
            mentor = make_person(alpha, ["mentor"])
            pairing_create(leader=leader, mentor=mentor)
            invitation_create(
                email=f"guest{index}@example.org", full_name="", roles=["leader"], invited_by=alpha_people.admin
            )
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            response = admin.get(url)
        assert response.status_code == 200
