"""Bad input never reaches a 500, and input that is refused writes nothing.

Every URL that accepts a POST (found by walking both URL maps, so a new form is noticed) is posted hostile values
in every field of its form, as the role that can use it: NUL bytes, strings far longer than any column, numbers
no column holds, several values for one field, and a lone UTF-16 surrogate sent as UTF-8 bytes (`%ED%A0%80`)
followed by markup and control characters.
Fields come from the case's valid payload and from the form on the page itself, so a field added later is posted
too. Uploaded and imported files get hostile files. Each answer must be below 500; where the input was refused
(the form is shown again, or 4xx), no row of the organisation's (or the public) schema may have changed. The world
the cases act in is made once for the module, in a transaction each test rolls back to.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from fnmatch import fnmatch
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote_plus, urlencode, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from feedback.pulse.services import pulse_open
from people.join_codes import person_add_without_email
from people.models import Invitation, MentorPairing, User
from people.services import user_create
from people.tokens import token_new
from teams.services import member_add, team_archive, team_create
from tenants.models import Domain
from tests.conftest import PASSWORD, client_for, host, make_person

pytestmark = pytest.mark.django_db

HOSTILE: dict[str, Any] = {
    "nul": "before\x00after",
    "long": "x" * 20_000,
    "huge number": "9" * 30,
    "several values": ["first", "sec\x00ond", "-1"],
}
# A lone surrogate cannot be a Python str sent by the test client: it goes as raw bytes in the body, followed by
# markup and control characters (right-to-left override, a script, a byte order mark, a bell). Both are text a
# form accepts (Django reads the surrogate as U+FFFD), so one post carries them to the save path together.
SURROGATE = "%ED%A0%80"
MARKUP_AND_CONTROLS = "\u202e<script>alert(1)</script>\ufeff\x07"

HOSTILE_CSV = {
    "nul after 4 KB": (
        "name,email,roles\n" + "P,p@example.org,leader\n" * 300 + "N\x00,n@example.org,leader\n"
    ).encode(),
    "utf-16": "name,email,roles\nPriya,priya@example.org,leader\n".encode("utf-16"),
    "latin-1": "name,email,roles\nJosé,jose@example.org,leader\n".encode("latin-1"),
    "undecodable": b"name,email,roles\nP\x81\x8d,p@example.org,leader\n",
    "very long field": ("name,email,roles\n" + "A" * 200_000 + ",a@example.org,leader\n").encode(),
    "long email": ("name,email,roles\nL," + "a" * 300 + "@example.org,leader\n").encode(),
    "binary": b"PK\x03\x04\x00\x00\x00\x00" + bytes(range(256)),
    "team column": (
        "name,email,roles,team\nT,t@example.org,leader," + "t" * 900 + "\nU,u@example.org,leader,-1\n"
    ).encode(),
}
_ENTRY = {"title": "T", "template": "free", "body": "B", "behaviours": [], "created_at": "2026-01-01T00:00:00Z"}
HOSTILE_JOURNAL = {
    "nul in body": {**_ENTRY, "body": "a\x00b"},
    "nul in conversation": {**_ENTRY, "conversation": [{"author": "M", "body": "x\x00"}]},
    "behaviours a number": {**_ENTRY, "behaviours": 5},
    "conversation a number": {**_ENTRY, "conversation": 7},
    "entry a string": "entry",
    "surrogate": {**_ENTRY, "title": "\ud800"},
    "long title": {**_ENTRY, "title": "t" * 100_000},
    "lesson a list": {**_ENTRY, "lesson": ["slug"]},
    "nul in a five whys step": {**_ENTRY, "template": "five-whys", "sections": {"fw_root": "a\x00b"}},
}


def journal_file(entry: Any) -> bytes:
    return json.dumps({"format": "heartwood-journal", "version": 1, "entries": [{**_ENTRY}, entry]}).encode()


HOSTILE_FILES: dict[str, dict[str, bytes]] = {
    "csv": HOSTILE_CSV,
    "journal": {
        **{name: journal_file(entry) for name, entry in HOSTILE_JOURNAL.items()},
        "nested deep": b"[" * 50_000 + b"]" * 50_000,
        "utf-16 json": json.dumps({"format": "heartwood-journal"}).encode("utf-16"),
        "nul bytes": b"\x00" * 5000,
    },
}


# --- The cases: every POST-accepting URL, as the role that can use it ------------------------------------


@dataclass
class Case:
    role: str  # admin, leader, mentor, anonymous (inside alpha); operator, public (the public site)
    path: str  # formatted with World.ids
    payload: dict[str, Any] = field(default_factory=dict)  # a valid post; each field is made hostile in turn
    files: str = ""  # a HOSTILE_FILES kind, posted in the field "file"
    refused: Callable[[Any], bool] = lambda response: response.status_code != 302

    @property
    def public(self) -> bool:
        return self.role in ("operator", "public")


def _form_shown_again(response: Any) -> bool:
    """For forms that answer 200 when they worked (an upload report, a goodbye page)."""
    return response.status_code != 302 and b"_error" in response.content


def _failed(response: Any) -> bool:
    """For endpoints that answer 200 or 204 when they worked (autosave, "seen", the stop link)."""
    return response.status_code >= 400


ENTRY = {"title": "A title", "template": "free", "body": "Some text", "behaviours": "attending"}
# The Five whys (reflections.five_whys): every step posted, so each is made hostile in turn.
FIVE_WHYS_ENTRY = {"title": "A title", "template": "five-whys", "behaviours": "understanding",
                   **{f"fw_{key}": f"Step {key}" for key in ("problem", "why1", "why2", "why3", "why4", "why5",
                                                            "root", "action")}}
NEW_PASSWORD = {"password1": "a-fresh-long-password-9", "password2": "a-fresh-long-password-9"}

PROBLEM = {"title": "Late meds", "status": "trying", "owner": "{leader}", "look_again_on": "{supervision_on}",
           **{key: f"Step {key}" for key in ("problem", "why1", "why2", "why3", "why4", "why5", "root", "action")}}
THREE_SIXTY_ANSWER = {**{f"s{n}": "4" for n in range(1, 33)}, "comment": "Kind and steady", "checked_comment": ""}

CASES: dict[str, Case] = {
    # Inside an organisation: people
    "home": Case("leader", "/"),
    "welcome": Case("admin", "/welcome/"),
    "people:manage": Case("admin", "/manage/"),
    "people:members": Case("admin", "/manage/people/", {"q": "lee", "role": "leader", "status": "active"}),
    "people:member": Case("admin", "/manage/people/{leader}/", {"roles": "leader"}),
    "people:member_deactivate": Case("admin", "/manage/people/{spare}/deactivate/"),
    "people:member_reactivate": Case("admin", "/manage/people/{spare}/reactivate/"),
    "people:invitations": Case("admin", "/manage/invitations/",
                               {"full_name": "Nia", "email": "nia@example.org", "roles": "leader"}),
    "people:invitations_upload": Case("admin", "/manage/invitations/upload/", files="csv",
                                      refused=_form_shown_again),
    "people:invitation_resend": Case("admin", "/manage/invitations/{invitation}/resend/"),
    "people:invitation_revoke": Case("admin", "/manage/invitations/{invitation}/revoke/"),
    "people:pairings": Case("admin", "/manage/pairings/",
                            {"leader": "{leader}", "mentor": "{mentor2}", "starts_on": "2026-01-01", "ends_on": ""}),
    "people:pairing_end": Case("admin", "/manage/pairings/{pairing}/end/"),
    "people:settings": Case("admin", "/manage/settings/", {"require_mfa_for_admins": ""}),
    "people:invitation_accept": Case("anonymous", "/invitations/{invitation_token}/",
                                     {"full_name": "Nia New", **NEW_PASSWORD}),
    # Someone without an email address: added (the slip answers 200), a new code (200), joining with a code.
    "people:person_add": Case("admin", "/manage/people/add/", {"noemail-full_name": "Jo", "noemail-roles": "leader"},
                              refused=_form_shown_again),
    "people:join_code_new": Case("admin", "/manage/people/{no_email}/join-code/",
                                 refused=lambda response: response.status_code != 200),
    "people:join": Case("anonymous", "/join/", {"code": "{join_code}", "username": "jo.night", **NEW_PASSWORD}),
    # Teams
    "teams:manage": Case("admin", "/manage/teams/", {"team-name": "Rowan Court", "team-description": "Supported"}),
    "teams:manage_team": Case("admin", "/manage/teams/{team}/", {"team-name": "Larch", "team-description": ""}),
    "teams:manage_archive": Case("admin", "/manage/teams/{team}/archive/"),
    "teams:manage_restore": Case("admin", "/manage/teams/{archived_team}/restore/"),
    "teams:manage_member_add": Case("admin", "/manage/teams/{team}/members/",
                                    {"add-person": "{spare}", "add-is_lead": "on"}),
    "teams:manage_lead": Case("admin", "/manage/teams/{team}/members/{team_membership}/lead/", {"is_lead": "1"}),
    "teams:manage_member_end": Case("admin", "/manage/teams/{team}/members/{team_membership}/end/"),
    # A team's recurring problems (the leader is in {team})
    "learningsets:problem_new": Case("leader", "/teams/{team}/problems/new/", PROBLEM),
    "learningsets:problem_edit": Case("leader", "/teams/{team}/problems/{recurring_problem}/edit/",
                                      {**PROBLEM, "version": "1"}),
    # The team pulse
    "feedback:pulse_answer": Case("leader", "/feedback/pulse/{pulse_round}/", {
        **{f"s_{key}": "4" for key in ("mistakes", "problems", "difference", "risk", "help", "undermining",
                                       "skills")}, "comment": "Calmer handovers", "send_anyway": "",
    }),
    "feedback:pulse_open": Case("admin", "/feedback/pulse/team/{pulse_quiet_team}/open/", {"days_open": "7"}),
    "feedback:pulse_close": Case("admin", "/feedback/pulse/team/{pulse_team}/close/"),
    "feedback:pulse_rhythm": Case("admin", "/feedback/pulse/team/{pulse_team}/rhythm/",
                                  {"rhythm": "monthly", "days_open": "7", "next_opens_on": ""}),
    "feedback_manage:index": Case("admin", "/manage/feedback/", {"pulse_k": "6", "three_sixty_k": "4"}),
    # The four-behaviour 360 (more statement fields than a 360 asks: a form ignores the ones it has not got)
    "feedback:threesixty:new": Case("admin", "/feedback/360/new/", {
        "colleagues": "{leader}", "emails": "fern@example.org\ngp@example.org", "days_open": "14",
    }),
    "feedback:threesixty:close": Case("leader", "/feedback/360/{three_sixty}/close/"),
    "feedback:threesixty:share": Case("leader", "/feedback/360/{closed_three_sixty}/share/", {"mentors": "{mentor}"}),
    "feedback:threesixty:unshare": Case("leader", "/feedback/360/{closed_three_sixty}/unshare/{mentor}/"),
    "feedback:threesixty:answer": Case("admin", "/feedback/360/{three_sixty}/answer/", THREE_SIXTY_ANSWER),
    "feedback:threesixty:answer_link": Case("anonymous", "/feedback/360/r/{three_sixty_token}/", THREE_SIXTY_ANSWER),
    # Supervision: the leader is supervised by the admin (a session to come, one last week with an open action)
    "supervision:relationship": Case("leader", "/supervision/with/{supervision}/", {
        "on": "{supervision_on}", "at": "10:00", "duration_minutes": "60", "place": "Room 2",
    }),
    "supervision:checkin": Case("leader", "/supervision/sessions/{supervision_session}/check-in/",
                                {"checkin-text": "Tired but fine", "checkin-shared": "on"}),
    "supervision:agenda_add": Case("leader", "/supervision/sessions/{supervision_session}/agenda/",
                                   {"agenda-text": "Night shifts"}),
    "supervision:agenda_remove": Case("leader",
                                      "/supervision/sessions/{supervision_session}/agenda/{agenda_item}/remove/"),
    "supervision:record_save": Case("leader", "/supervision/sessions/{supervision_session}/record/",
                                    {"record-text": "We talked", "record-based_on": "1"}),
    "supervision:record_agree": Case("leader", "/supervision/sessions/{supervision_session}/record/agree/",
                                     {"version": "1"}),
    "supervision:action_add": Case("leader", "/supervision/sessions/{supervision_session}/actions/",
                                   {"action-text": "Ring the GP", "action-owner": "supervisee", "action-due_on": ""}),
    "supervision:action_review": Case(
        "leader", "/supervision/sessions/{supervision_session}/actions/{supervision_action}/review/",
        {"status": "done"},
    ),
    "supervision:action_done": Case(
        "leader", "/supervision/sessions/{supervision_past}/actions/{supervision_action}/done/",
    ),
    "supervision:reschedule": Case("leader", "/supervision/sessions/{supervision_session}/change/", {
        "on": "{supervision_on}", "at": "11:00", "duration_minutes": "45", "place": "Room 3",
    }),
    "supervision:cancel": Case("leader", "/supervision/sessions/{supervision_session}/cancel/"),
    "supervision:manage": Case("admin", "/manage/supervision/", {
        "pair-supervisee": "{spare}", "pair-supervisor": "{mentor}", "pair-starts_on": "", "pair-end_current": "on",
    }),
    "supervision:manage_frequency": Case("admin", "/manage/supervision/frequency/", {"frequency_weeks": "6"}),
    "supervision:manage_end": Case("admin", "/manage/supervision/{supervision}/end/"),
    # Strengths and growth: the admin supervises the mentor (a suggestion and a stretch waiting, one accepted)
    "teams:strengths": Case("leader", "/teams/strengths/",
                            {"picks": "ideas", "own_words": "Calm", "shown_to_team": "1"}),
    "supervision:growth:feeling": Case("leader", "/growing/feeling/",
                                       {"feeling": "curious", "shown_to_supervisor": "on"}),
    "supervision:growth:profile_edit": Case("leader", "/growing/profile/edit/",
                                            {"hopes": "Lead", "growth_edges": "No"}),
    "supervision:growth:suggest": Case("admin", "/growing/people/{mentor}/suggest/",
                                       {"area": "strength", "strength": "ideas", "text": "Steady"}),
    "supervision:growth:suggestion_answer": Case("mentor", "/growing/suggestions/{growth_suggestion}/answer/",
                                                 {"answer": "accept"}),
    "supervision:growth:offer": Case("admin", "/growing/offer/", {"person": "{mentor}", "kind": "own", "words": "Go"}),
    "supervision:growth:opportunity_answer": Case("mentor", "/growing/opportunities/{stretch}/answer/",
                                                  {"answer": "accept"}),
    "supervision:growth:opportunity_done": Case("mentor", "/growing/opportunities/{stretch_accepted}/done/"),
    # Action learning sets: the leader facilitates the Birch set and is in it; the admin is invited to it
    "learningsets:new": Case("admin", "/sets/new/", {
        "name": "Oak set", "members": "{spare}", "facilitator": "{leader}", "rhythm": "5", "meeting_minutes": "120",
        "place": "Room 1",
    }),
    "learningsets:accept": Case("admin", "/sets/{set}/accept/"),
    "learningsets:decline": Case("admin", "/sets/{set}/decline/"),
    "learningsets:leave": Case("mentor", "/sets/{set}/leave/"),  # the leader facilitates: they hand over first
    "learningsets:member_invite": Case("leader", "/sets/{set}/members/", {"invite-person": "{no_email}"}),
    "learningsets:member_remove": Case("leader", "/sets/{set}/members/{set_place}/remove/"),
    "learningsets:facilitator_hand_over": Case("leader", "/sets/{set}/facilitator/",
                                               {"handover-person": "{spare}", "handover-leave": ""}),
    "learningsets:manage_set_facilitator": Case("admin", "/manage/sets/{set}/facilitator/",
                                                {"appoint-person": "{spare}"}),
    "learningsets:rhythm": Case("leader", "/sets/{set}/rhythm/", {"rhythm-rhythm": "5"}),
    "learningsets:meeting_new": Case("leader", "/sets/{set}/meetings/new/", {
        "meeting-day": "2031-03-04", "meeting-time": "14:00", "meeting-minutes": "120", "meeting-place": "Room 1",
        "meeting-presenter": "{spare}",
    }),
    "learningsets:meeting_edit": Case("leader", "/sets/{set}/meetings/{set_upcoming}/edit/", {
        "meeting-day": "2031-03-05", "meeting-time": "10:00", "meeting-minutes": "90", "meeting-place": "Room 2",
    }),
    "learningsets:meeting_cancel": Case("leader", "/sets/{set}/meetings/{set_upcoming}/cancel/"),
    "learningsets:meeting_presenter": Case("leader", "/sets/{set}/meetings/{set_upcoming}/presenter/",
                                           {"presenter-presenter": "{spare}"}),
    "learningsets:meeting_brief": Case("leader", "/sets/{set}/meetings/{set_upcoming}/brief/", {
        "shape": "five-whys", "brief-part_problem": "Late handovers", "brief-part_why1": "Tired", "brief-brief": "",
    }),
    "learningsets:question_add": Case("leader", "/sets/{set}/meetings/{set_held}/questions/",
                                      {"question-question": "What would help?", "question-ask_anyway": ""}),
    "learningsets:action": Case("leader", "/sets/{set}/meetings/{set_own}/action/", {"action-action": "Ask"}),
    "learningsets:report": Case("leader", "/sets/{set}/meetings/{set_own}/report/", {"report-report": "Went well"}),
    "learningsets:attendance": Case("leader", "/sets/{set}/meetings/{set_held}/attendance/",
                                    {"attendance-present": "{spare}"}),
    # Learning
    "courses_manage:report": Case("admin", "/manage/learning/"),
    "courses:home": Case("leader", "/learn/"),
    "courses:cpd": Case("leader", "/learn/cpd/"),
    "courses:cpd_csv": Case("leader", "/learn/cpd/record.csv"),
    "courses:certificate": Case("leader", "/learn/cpd/{module_slug}/certificate/"),
    "courses:certificate_pdf": Case("leader", "/learn/cpd/{module_slug}/certificate.pdf"),
    "courses:manage": Case("admin", "/learn/manage/"),
    "courses:manage_module_new": Case("admin", "/learn/manage/modules/new/",
                                      {"title": "Our way", "summary": "How", "behaviour": ""}),
    "courses:manage_module_edit": Case("admin", "/learn/manage/modules/{module}/",
                                       {"title": "Our way", "summary": "How", "behaviour": ""}),
    "courses:manage_module_move": Case("admin", "/learn/manage/modules/{module}/move/", {"direction": "up"}),
    "courses:manage_module_settings": Case("admin", "/learn/manage/modules/{module}/settings/",
                                           {"hidden": "0", "required": "0"}),
    "courses:manage_lesson_new": Case("admin", "/learn/manage/modules/{module}/lessons/new/",
                                      {"title": "A lesson", "body": "Text", "minutes": "10"}),
    "courses:manage_lesson_edit": Case("admin", "/learn/manage/lessons/{lesson}/",
                                       {"title": "A lesson", "body": "Text", "minutes": "10"}),
    "courses:manage_lesson_move": Case("admin", "/learn/manage/lessons/{lesson}/move/", {"direction": "up"}),
    "courses:module": Case("leader", "/learn/{module_slug}/"),
    "courses:self_check": Case("leader", "/learn/{module_slug}/self-check/"),
    "courses:self_check_result": Case("leader", "/learn/{module_slug}/self-check/result/"),
    "courses:lesson": Case("leader", "/learn/{module_slug}/{lesson_slug}/"),
    "courses:lesson_done": Case("leader", "/learn/{module_slug}/{lesson_slug}/done/", {"undo": ""}),
    "courses:lesson_seen": Case("leader", "/learn/{module_slug}/{lesson_slug}/seen/", refused=_failed),
    "courses:practice_tried": Case("leader", "/learn/{module_slug}/{lesson_slug}/tried/"),
    # Journal, sharing, conversations, prompts, your record
    "reflections:journal": Case("leader", "/journal/", {"q": "text", "behaviour": "", "template": ""}),
    "reflections:entry_new": Case("leader", "/journal/new/", {**ENTRY, "about": "feedback.360:1"}),
    "reflections:entry_autosave": Case("leader", "/journal/autosave/",
                                       {**ENTRY, "draft_id": "", "about": "feedback.360:1"},
                                       refused=_failed),
    "reflections:entry_seen": Case("mentor", "/journal/{entry}/seen/", refused=_failed),
    "reflections:entry_edit": Case("leader", "/journal/{entry}/edit/", FIVE_WHYS_ENTRY),
    "reflections:entry_delete": Case("leader", "/journal/{other_entry}/delete/"),
    "reflections:entry_share": Case("leader", "/journal/{entry}/share/", {"mentors": "{mentor}"}),
    "reflections:entry_unshare": Case("leader", "/journal/{entry}/unshare/{mentor}/"),
    "reflections:comment_create": Case("mentor", "/journal/{entry}/comments/", {"body": "A reply"}),
    "reflections:entry_acknowledge": Case("mentor", "/journal/{entry}/acknowledge/"),
    "reflections:comment_edit": Case("mentor", "/journal/comments/{comment}/edit/", {"body": "Changed"}),
    "reflections:comment_delete": Case("mentor", "/journal/comments/{comment}/delete/"),
    "reflections:notifications_read": Case("leader", "/notifications/read/"),
    "reflections:prompts": Case("leader", "/journal/prompts/", {
        "frequency": "weekly", "weekday": "3", "local_time": "17:00", "time_zone": "Europe/London",
        "channel": "both", "paused_until": "",
    }),
    "reflections:prompts_stop": Case("anonymous", "/journal/prompts/stop/{stop_token}/", refused=_failed),
    "reflections:prompt_card_dismiss": Case("leader", "/journal/prompts/cards/{delivery}/dismiss/",
                                            {"next": "/journal/"}),
    "reflections:prompts_defaults": Case("admin", "/manage/prompts/", {
        "frequency": "weekly", "weekday": "3", "local_time": "17:00", "channel": "both",
    }),
    "reflections:mentoring_digest": Case("mentor", "/mentoring/digest/", {"frequency": "daily"}),
    "reflections:import": Case("leader", "/journal/account/import/", files="journal"),
    "reflections:account_delete": Case("leader", "/journal/account/delete/", {"password": PASSWORD, "confirm": ""},
                                       refused=_form_shown_again),
    # allauth inside an organisation
    "account_login": Case("anonymous", "/accounts/login/", {"login": "{leader_email}", "password": "wrong-one-x"}),
    "account_logout": Case("leader", "/accounts/logout/"),
    "account_signup": Case("anonymous", "/accounts/signup/", {"email": "new@example.org", **NEW_PASSWORD}),
    "account_reauthenticate": Case("leader", "/accounts/reauthenticate/", {"password": "not-the-password"}),
    "account_request_reauthentication_code": Case("leader", "/accounts/reauthenticate/code/"),
    "account_confirm_reauthentication_code": Case("leader", "/accounts/reauthenticate/code/confirm/",
                                                  {"code": "ABCDEF"}),
    "account_confirm_login_code": Case("anonymous", "/accounts/login/code/confirm/", {"code": "ABCDEF"}),
    "account_email": Case("leader", "/accounts/email/", {"email": "second@example.org", "action_add": ""}),
    "account_change_password": Case("leader", "/accounts/password/change/",
                                    {"oldpassword": "not-the-password", **NEW_PASSWORD}),
    "account_set_password": Case("leader", "/accounts/password/set/", NEW_PASSWORD),
    "account_reset_password": Case("anonymous", "/accounts/password/reset/", {"email": "{leader_email}"}),
    "account_confirm_email": Case("anonymous", "/accounts/confirm-email/not-a-key/"),
    "account_reset_password_from_key": Case("anonymous", "/accounts/password/reset/key/1-not-a-key/",
                                            NEW_PASSWORD),
    "mfa_authenticate": Case("anonymous", "/accounts/2fa/authenticate/", {"code": "123456"}),
    "mfa_reauthenticate": Case("leader", "/accounts/2fa/reauthenticate/", {"code": "123456"}),
    "mfa_activate_totp": Case("leader", "/accounts/2fa/totp/activate/", {"code": "123456"}),
    "mfa_deactivate_totp": Case("leader", "/accounts/2fa/totp/deactivate/", {"code": "123456"}),
    "mfa_generate_recovery_codes": Case("leader", "/accounts/2fa/recovery-codes/generate/"),
    "mfa_download_recovery_codes": Case("leader", "/accounts/2fa/recovery-codes/download/"),
    "usersessions_list": Case("leader", "/accounts/sessions/", {"action": "logout"}),
}

PUBLIC_CASES: dict[str, Case] = {
    "landing": Case("public", "/"),
    "terms": Case("public", "/terms/"),
    "signup": Case("public", "/signup/", {
        "organisation_name": "Hostile House", "subdomain": "hostile-house", "full_name": "Hal Host",
        "email": "hal@hostile.example", "password": "kind-hearted-lantern-73", "time_zone": "Europe/London",
        "terms": "on",
    }),
    "find_organisation": Case("public", "/find/", {"email": "someone@example.org"}),
    "console": Case("operator", "/console/", {"q": "alpha"}),
    "console_workers": Case("operator", "/console/workers/"),
    "console_organisation": Case("operator", "/console/{throwaway}/"),
    "console_approve": Case("operator", "/console/{throwaway}/approve/"),
    "console_decline": Case("operator", "/console/{throwaway}/decline/"),
    "console_suspend": Case("operator", "/console/{throwaway}/suspend/"),
    "console_reactivate": Case("operator", "/console/{throwaway}/reactivate/"),
    "console_delete": Case("operator", "/console/{throwaway}/delete/", {"confirm": "{throwaway_subdomain}"}),
    "account_login": Case("public", "/accounts/login/", {"login": "olu@operators.example", "password": "wrong-1"}),
    "account_logout": Case("operator", "/accounts/logout/"),
    "account_signup": Case("public", "/accounts/signup/", {"email": "new@example.org", **NEW_PASSWORD}),
    "account_reauthenticate": Case("operator", "/accounts/reauthenticate/", {"password": "not-the-password"}),
    "account_request_reauthentication_code": Case("operator", "/accounts/reauthenticate/code/"),
    "account_confirm_reauthentication_code": Case("operator", "/accounts/reauthenticate/code/confirm/",
                                                  {"code": "ABCDEF"}),
    "account_confirm_login_code": Case("public", "/accounts/login/code/confirm/", {"code": "ABCDEF"}),
    "account_email": Case("operator", "/accounts/email/", {"email": "second@example.org", "action_add": ""}),
    "account_change_password": Case("operator", "/accounts/password/change/",
                                    {"oldpassword": "not-the-password", **NEW_PASSWORD}),
    "account_set_password": Case("operator", "/accounts/password/set/", NEW_PASSWORD),
    "account_reset_password": Case("public", "/accounts/password/reset/", {"email": "olu@operators.example"}),
    "account_confirm_email": Case("public", "/accounts/confirm-email/not-a-key/"),
    "account_reset_password_from_key": Case("public", "/accounts/password/reset/key/1-not-a-key/", NEW_PASSWORD),
    "mfa_authenticate": Case("public", "/accounts/2fa/authenticate/", {"code": "123456"}),
    "mfa_reauthenticate": Case("operator", "/accounts/2fa/reauthenticate/", {"code": "123456"}),
    "mfa_activate_totp": Case("operator", "/accounts/2fa/totp/activate/", {"code": "123456"}),
    "mfa_deactivate_totp": Case("operator", "/accounts/2fa/totp/deactivate/", {"code": "123456"}),
    "mfa_generate_recovery_codes": Case("operator", "/accounts/2fa/recovery-codes/generate/"),
    "mfa_download_recovery_codes": Case("operator", "/accounts/2fa/recovery-codes/download/"),
    "usersessions_list": Case("operator", "/accounts/sessions/", {"action": "logout"}),
}

# POST-accepting URLs this test does not post to (shell-style patterns of URL names), and why.
NOT_POSTED: dict[str, dict[str, str]] = {
    "public": {
        # Django's own admin (operators only): its forms are Django's, and it is reached through allauth's login.
        "admin:*": "Django's admin for operators; Django's own ModelAdmin forms",
    },
    "tenant": {},
}


# --- The world the cases act in -----------------------------------------------------------------------------


@dataclass
class World:
    ids: dict[str, Any]
    people: dict[str, User]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Made once for the module inside a transaction of its own: each test runs in a savepoint of it (pytest-django's
    `db`), so what one case's posts change is rolled back before the next, and the module's end rolls the world
    back too."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        with django_db_blocker.unblock():
            made = _world(Domain.objects.select_related("tenant").get(domain=host("alpha")).tenant)
            connection.set_schema_to_public()
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            connection.set_schema_to_public()


def _world(alpha) -> World:
    from courses import services as learning
    from reflections.models import PromptDelivery
    from reflections.prompt_delivery import stop_token_save
    from reflections.services.conversations import comment_create
    from reflections.services.journal import entry_create
    from reflections.services.sharing import entry_share

    admin = make_person(alpha, ["admin", "leader"], name="Ada Admin")
    leader = make_person(alpha, ["leader"], name="Lee Leader")
    mentor = make_person(alpha, ["mentor"], name="Mo Mentor")
    mentor2 = make_person(alpha, ["mentor"], name="Max Mentor")
    spare = make_person(alpha, ["leader"], name="Sam Spare")
    with tenant_context(alpha):
        pairing = MentorPairing.objects.create(leader=leader, mentor=mentor, starts_on=timezone.localdate())
        entry = entry_create(author=leader, title="Shared one", template="free", fields={"body": "Hello"})
        other = entry_create(author=leader, title="Another", template="free", fields={"body": "Bye"})
        entry_share(entry=entry, author=leader, mentor=mentor)
        comment = comment_create(entry=entry, author=mentor, body="A question?")
        token, digest = token_new()
        invitation = Invitation.objects.create(
            email="invited@example.org", roles=["leader"], token_hash=digest,
            expires=timezone.now() + timedelta(days=14),
        )
        module = learning.module_create(title="Our own module")
        lesson = learning.lesson_create(module=module, title="Our lesson", body="Read this",
                                        reflection_question="What now?")
        delivery = PromptDelivery.objects.create(user=leader, slot=timezone.now(), channel="both")
        no_email, issued = person_add_without_email(full_name="Nia Night", roles=["leader"], by=admin)
        # A team, so the invitation forms offer one too; and an archived one to bring back.
        team = team_create(name="Larch House", description="First floor")
        team_membership = member_add(team=team, user=leader)
        archived_team = team_archive(team=team_create(name="Old Oak"))
        from learningsets.problems_services import problem_add

        recurring_problem = problem_add(team=team, by=leader, title="Handover runs late", steps={})
        # Two teams of five for the pulse: one with a pulse open (the leader answers it), one with none yet.
        pulse_team, pulse_quiet_team = team_create(name="Birch Ward"), team_create(name="Cedar Ward")
        for person in (admin, leader, mentor, mentor2, spare):
            member_add(team=pulse_team, user=person, is_lead=person is admin)
            member_add(team=pulse_quiet_team, user=person, is_lead=person is admin)
        pulse = pulse_open(team=pulse_team, by=admin)
        # A 360 of the leader's that closed (shared with their mentor), and one open now (the admin was asked, and
        # someone by email, whose single-use link is posted to).
        from feedback import engine as feedback_engine
        from feedback.models import Respondent
        from feedback.threesixty import services as threesixty

        closed_three_sixty = threesixty.three_sixty_request(
            leader=leader, users=[admin, spare], emails=["a@example.org"]
        )
        threesixty.three_sixty_close(three_sixty=closed_three_sixty, leader=leader)
        threesixty.three_sixty_share(three_sixty=closed_three_sixty, leader=leader, mentor=mentor)
        three_sixty = threesixty.three_sixty_request(leader=leader, users=[admin, spare], emails=["b@example.org"])
        three_sixty_token = token_new()[0]
        feedback_engine.respondent_link_renew(
            respondent=Respondent.objects.get(round_id=three_sixty.round_id, email="b@example.org"),
            token=three_sixty_token,
        )
        # Supervision: the admin supervises the leader; last week's session left an action, one is booked.
        from supervision.services import sessions as supervision

        relationship = supervision.relationship_create(supervisor=admin, supervisee=leader)
        supervision_past = supervision.session_schedule(
            relationship=relationship, by=admin, starts_at=timezone.now() - timedelta(days=7),
        )
        supervision_action = supervision.action_add(session=supervision_past, by=admin, text="Read", owner="supervisor")
        supervision_session = supervision.session_schedule(
            relationship=relationship, by=leader, starts_at=timezone.now() + timedelta(days=3), place="Room 1",
        )
        agenda_item = supervision.agenda_add(session=supervision_session, by=leader, text="Rotas")
        supervision.record_save(session=supervision_session, by=admin, text="Notes", based_on=0)
        ids = {
            "leader": leader.pk, "mentor": mentor.pk, "mentor2": mentor2.pk, "spare": spare.pk,
            "pairing": pairing.pk, "entry": entry.pk, "other_entry": other.pk, "comment": comment.pk,
            "invitation": invitation.pk, "invitation_token": token, "module": module.pk,
            "module_slug": module.slug, "lesson": lesson.pk, "lesson_slug": lesson.slug,
            "delivery": delivery.pk, "stop_token": stop_token_save(delivery),
            "leader_email": leader.email, "no_email": no_email.pk, "join_code": issued.code,
            "team": team.pk, "team_membership": team_membership.pk, "archived_team": archived_team.pk,
            "recurring_problem": recurring_problem.pk,
            "pulse_team": pulse_team.pk, "pulse_quiet_team": pulse_quiet_team.pk, "pulse_round": pulse.round_id,
            "three_sixty": three_sixty.pk, "closed_three_sixty": closed_three_sixty.pk,
            "three_sixty_token": three_sixty_token,
            "supervision": relationship.pk, "supervision_session": supervision_session.pk,
            "supervision_past": supervision_past.pk, "supervision_action": supervision_action.pk,
            "agenda_item": agenda_item.pk, "supervision_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        }
        # Strengths and growth: the admin supervises the mentor, who has a suggestion and a stretch to answer.
        from supervision.services import growth
        from supervision.services.sessions import relationship_create

        relationship_create(supervisor=admin, supervisee=mentor, starts_on=timezone.localdate() - timedelta(days=1))
        accepted = growth.stretch_offer(person=mentor, by=admin, kind="handover")
        growth.stretch_answer(opportunity=accepted, person=mentor, accept=True)
        ids |= {
            "growth_suggestion": growth.suggestion_make(person=mentor, by=admin, area="hope", text="Lead").pk,
            "stretch": growth.stretch_offer(person=mentor, by=admin, kind="team_meeting").pk,
            "stretch_accepted": accepted.pk,
        }
        # Action learning sets: the leader facilitates the Birch set and is one of its members, with the spare and
        # both mentors; the admin is invited and has not accepted. Two meetings began half an hour ago (the spare
        # presents at one; the leader at the other, with an action), and one is booked in a month (the leader).
        from learningsets import services as sets

        learning_set = sets.set_create(by=admin, name="Birch set", facilitator=leader,
                                       members=[leader, spare, mentor, mentor2, admin])
        for person in (leader, spare, mentor, mentor2):
            sets.place_accept(place=learning_set.members.get(user=person), user=person)
        began = timezone.now() - timedelta(minutes=30)
        set_held = sets.meeting_book(learning_set=learning_set, by=leader, starts_at=began, presenter=spare,
                                     allow_past=True)
        set_own = sets.meeting_book(learning_set=learning_set, by=leader, starts_at=began + timedelta(minutes=1),
                                    presenter=leader, allow_past=True)
        sets.action_record(meeting=set_own, by=leader, text="Ask the night team")
        set_upcoming = sets.meeting_book(learning_set=learning_set, by=leader, presenter=leader,
                                         starts_at=timezone.now() + timedelta(days=30))
        ids |= {
            "set": learning_set.pk, "set_place": learning_set.members.get(user=mentor2).pk, "set_held": set_held.pk,
            "set_own": set_own.pk, "set_upcoming": set_upcoming.pk,
        }
    from tenants.services import organisation_create

    connection.set_schema_to_public()
    throwaway = organisation_create(name="Throwaway Care", subdomain="throwaway")
    with schema_context("public"):
        operator = user_create(email="olu@operators.example", full_name="Olu Operator", roles=[],
                               password=PASSWORD, verified=True, is_staff=True)
    ids |= {"throwaway": throwaway.pk, "throwaway_subdomain": "throwaway"}
    return World(ids=ids, people={"admin": admin, "leader": leader, "mentor": mentor, "operator": operator})


@pytest.fixture(autouse=True)
def _quick_worker_ping(monkeypatch: pytest.MonkeyPatch) -> None:
    """/console/workers/ answers a POST with its page, which waits CHECK_TIMEOUT (1 s) for Celery workers to answer
    a ping; no worker runs here, so every post would wait the whole second for nothing."""
    monkeypatch.setattr("tenants.health.CHECK_TIMEOUT", 0.05)


def client_as(case: Case, world: World, alpha) -> Client:
    if case.public:
        client = Client(HTTP_HOST=host())
        if case.role == "operator":
            with schema_context("public"):
                client.force_login(world.people["operator"])
        return client
    return client_for(alpha, None if case.role == "anonymous" else world.people[case.role])


def row_counts(schema: str) -> dict[str, int]:
    """Rows in every table of one schema, in one query. Sessions are left out (signing in writes them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(format('SELECT %%L, count(*) FROM %%I.%%I', tablename, schemaname, tablename),"
            " ' UNION ALL ') FROM pg_tables WHERE schemaname = %s"
            " AND tablename NOT IN ('django_session', 'usersessions_usersession')",
            [schema],
        )
        cursor.execute(cursor.fetchone()[0])
        return dict(cursor.fetchall())


class _FormFields(HTMLParser):
    """Names and first values of the fields of the POST forms on a page that post to `path`."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path, self.inside, self.fields = path, False, {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "form":
            action = urlsplit(attr.get("action") or self.path).path
            self.inside = (attr.get("method") or "get").lower() == "post" and action == self.path
        elif self.inside and tag in ("input", "select", "textarea", "button") and attr.get("name"):
            name = attr["name"]
            if name == "csrfmiddlewaretoken" or name in self.fields:
                return
            kind = (attr.get("type") or "").lower()
            if kind in ("checkbox", "radio") and "checked" not in attr:
                self.fields.setdefault(name, "")
                return
            self.fields[name] = attr.get("value") or ""
            self._textarea = name if tag == "textarea" else None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] = data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        self._textarea = None


def form_fields(client: Client, path: str) -> dict[str, str]:
    response = client.get(path)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}
    parser = _FormFields(path)
    parser.feed(response.content.decode())
    return {name: value for name, value in parser.fields.items() if name != "file"}


def fill(value: Any, ids: dict[str, Any]) -> Any:
    return value.format(**ids) if isinstance(value, str) and "{" in value else value


def hostile_posts(case: Case, world: World, client: Client) -> Iterator[tuple[str, dict[str, Any]]]:
    """(what, post kwargs) for every field × hostile value, and every hostile file."""
    path = case.path.format(**world.ids)
    payload = {**form_fields(client, path), **{k: fill(v, world.ids) for k, v in case.payload.items()}}
    for name in sorted(payload) or ["unexpected"]:
        for what, value in HOSTILE.items():
            yield f"{name}={what}", {"data": {**payload, name: value}}
        body = urlencode({k: v for k, v in payload.items() if k != name}, doseq=True)
        yield f"{name}=lone surrogate, markup and controls", {
            "data": f"{body}&{name}={SURROGATE}{quote_plus(MARKUP_AND_CONTROLS)}".lstrip("&"),
            "content_type": "application/x-www-form-urlencoded",
        }
    for what, content in HOSTILE_FILES.get(case.files, {}).items():
        yield f"file={what}", {"data": {**payload, "file": SimpleUploadedFile("upload", content)}}


def run_case(case: Case, world: World, alpha) -> list[str]:
    """Post every hostile value; returns what went wrong (empty when nothing did)."""
    schema = "public" if case.public else alpha.schema_name
    client = client_as(case, world, alpha)
    path = case.path.format(**world.ids)
    client.get("/")  # sign-in bookkeeping (sessions) happens before the first count
    problems = []
    unchanged = None  # the counts after a refused post that wrote nothing: the next post's "before", uncounted again
    for what, kwargs in hostile_posts(case, world, client):
        connection.set_schema_to_public()
        before = unchanged or row_counts(schema)
        unchanged = None
        response = client.post(path, **kwargs)
        connection.set_schema_to_public()
        if response.status_code >= 500:
            problems.append(f"{path} {what}: {response.status_code}")
        elif case.refused(response):
            if (after := row_counts(schema)) == before:
                unchanged = after
            else:
                changed = {t: (before.get(t), after.get(t)) for t in after if after.get(t) != before.get(t)}
                problems.append(f"{path} {what}: refused ({response.status_code}) but wrote {changed}")
    return problems


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_hostile_value_reaches_a_500_or_a_partial_write_inside_an_organisation(alpha, world, name):
    assert run_case(CASES[name], world, alpha) == []


@pytest.mark.parametrize("name", sorted(PUBLIC_CASES))
def test_no_hostile_value_reaches_a_500_or_a_partial_write_on_the_public_site(alpha, world, name):
    assert run_case(PUBLIC_CASES[name], world, alpha) == []


# --- A new form is noticed ------------------------------------------------------------------------------------


def _routes(patterns: list, namespace: str | None = None) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if namespace and pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from _routes(pattern.url_patterns, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _dummy_kwargs(pattern: URLPattern) -> dict[str, str]:
    names = getattr(pattern.pattern, "converters", {}) or dict.fromkeys(pattern.pattern.regex.groupindex)
    return {name: "1" for name in names}


def post_accepting(urlconf: str, client_factory: Callable[[], Client], not_posted: dict[str, str]) -> set[str]:
    """Names of the URLs that answer an empty POST with anything but 405, for the most powerful user; those
    NOT_POSTED (with a reason) are left out."""
    found = set()
    for name, pattern in _routes(get_resolver(urlconf).url_patterns):
        if any(fnmatch(name, skipped) for skipped in not_posted):
            continue
        path = reverse(name, urlconf=urlconf, kwargs=_dummy_kwargs(pattern))
        response = client_factory().post(path)
        connection.set_schema_to_public()
        if response.status_code != 405:
            found.add(name)
    return found


def test_every_post_accepting_url_inside_an_organisation_is_posted_hostile_values(alpha, world):
    with tenant_context(alpha):
        everything = user_create(email="all-roles@example.org", full_name="All Roles",
                                 roles=["admin", "leader", "mentor"], password=PASSWORD, verified=True)
    found = post_accepting(settings.ROOT_URLCONF, lambda: client_for(alpha, everything), NOT_POSTED["tenant"])
    assert found == set(CASES), (
        f"not covered: {sorted(found - set(CASES))}; covered but not found: {sorted(set(CASES) - found)}"
    )


def test_every_post_accepting_url_of_the_public_site_is_posted_hostile_values(world):
    def operator() -> Client:
        client = Client(HTTP_HOST=host())
        with schema_context("public"):
            client.force_login(world.people["operator"])
        return client

    found = post_accepting(settings.PUBLIC_SCHEMA_URLCONF, operator, NOT_POSTED["public"])
    assert found == set(PUBLIC_CASES), (
        f"not covered: {sorted(found - set(PUBLIC_CASES))}; covered but not found: {sorted(set(PUBLIC_CASES) - found)}"
    )


def test_the_row_count_check_sees_a_write(alpha, world):
    """The no-partial-write assertion above would notice a refused post that wrote: prove it can see one."""
    before = row_counts(alpha.schema_name)
    make_person(alpha, ["leader"])
    connection.set_schema_to_public()
    after = row_counts(alpha.schema_name)
    assert after["people_user"] == before["people_user"] + 1
