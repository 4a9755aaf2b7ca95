"""Every main page, as each role (leader, mentor, admin, platform operator), at 375×740 and 1280×900.

For each page: HTTP status < 400; no axe-core violations (serious and critical,
and also moderate, minor and WCAG 2.2 target size); exactly one h1; a page title; an accessible name on every
form control (as Chromium's accessibility tree computes it); a visible focus outline on the first 25 tab
stops at 375 px; no horizontal scroll at 375 px nor at 320 px, and no table wider than the page there, even
inside a scrolling wrapper (WCAG 1.4.10). The most used forms are also
sent empty and their errors checked. Every problem is collected (with a screenshot in /tmp/a11y-*.png) and
reported together, so one run shows everything that needs fixing; A11Y_SHOTS=1 screenshots every page."""

from __future__ import annotations

import os
import re
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context
from playwright.sync_api import Browser, BrowserContext, expect
from playwright.sync_api import Error as PlaywrightError

from courses import services as learning_services
from courses.models import Module, ModuleCompletion
from feedback.engine import round_close
from feedback.models import Respondent
from feedback.pulse.services import pulse_answer, pulse_open
from feedback.threesixty.services import three_sixty_share
from people.models import MentorPairing
from people.services import invitation_create, user_create
from reflections.services.conversations import comment_create
from reflections.services.journal import entry_create
from reflections.services.sharing import entry_share
from teams.services import member_add, member_end, team_archive, team_create
from tests.conftest import PASSWORD, make_person
from tests.e2e.conftest import axe_findings
from tests.feedback.threesixty_world import answer as answer_360
from tests.feedback.threesixty_world import ask as ask_360
from tests.feedback.threesixty_world import close as close_360
from tests.feedback.threesixty_world import link_for as link_for_360

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
NARROWEST = {"width": 320, "height": 640}
EVERY_SHOT = bool(os.environ.get("A11Y_SHOTS"))  # A11Y_SHOTS=1: a screenshot of every page, to look over
# Roles the accessibility tree gives to form controls; each needs a name.
CONTROL_ROLES = {
    "textbox", "searchbox", "combobox", "listbox", "checkbox", "radio", "spinbutton", "slider", "switch",
}

UNLINKED_ERRORS = """() => {
  // Each error beside a field must reach a screen reader on the control itself (WCAG 3.3.1, 1.3.1):
  // aria-invalid, and the message in its description (aria-describedby).
  const bad = [];
  for (const error of document.querySelectorAll('.field-error')) {
    const field = error.closest('.field, fieldset');
    const controls = field ? [...field.querySelectorAll('input:not([type=hidden]), select, textarea')] : [];
    const message = error.textContent.replace('Error:', '').trim();
    const linked = controls.length && controls.every(c => c.getAttribute('aria-invalid') === 'true'
      && (c.getAttribute('aria-describedby') || '').split(/\\s+/).some(id => {
        const el = id && document.getElementById(id);
        return el && el.textContent.includes(message);
      }));
    if (!linked) bad.push(message + ' → ' + (controls.map(c => c.outerHTML.slice(0, 90)).join(' | ') || 'no control'));
  }
  return bad;
}"""

WIDE_TABLES = """() => [...document.querySelectorAll('table')]
  .filter(t => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    || (t.parentElement.scrollWidth > t.parentElement.clientWidth + 1))
  .map(t => (t.className || 'table') + ' ' + Math.round(t.getBoundingClientRect().width) + 'px')"""

# Each element that takes the keyboard focus is checked as it takes it (focusin), so the Tab presses need no
# round trip each to ask: the product has no transitions that would change an outline after focusing.
WATCH_FOCUS = """() => {
  window.__focusNotShown = [];
  if (window.__focusWatched) return;
  window.__focusWatched = true;
  document.addEventListener('focusin', (event) => {
    const el = event.target;
    if (!el || el === document.body) return;
    const style = getComputedStyle(el);
    if (style.outlineStyle === 'none' && style.boxShadow === 'none') {
      window.__focusNotShown.push(el.outerHTML.slice(0, 90));
    }
  });
}"""

UNNAMED_CONTROLS = """() => {
  // Fallback beside the accessibility tree: controls with no label, aria-label(ledby) or title.
  const bad = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || el.closest('[hidden], [aria-hidden="true"]')) continue;
    const labelled = (el.labels && [...el.labels].some(l => l.textContent.trim()))
      || (el.getAttribute('aria-label') || '').trim()
      || (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some(
           id => id && document.getElementById(id) && document.getElementById(id).textContent.trim())
      || (el.getAttribute('title') || '').trim()
      || (['submit', 'button', 'reset'].includes(el.type) && (el.value || '').trim());
    if (!labelled) bad.push(el.outerHTML.slice(0, 120));
  }
  return bad;
}"""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


class Checker:
    def __init__(self, context: BrowserContext, role: str) -> None:
        self.page = context.new_page()
        self.cdp = context.new_cdp_session(self.page)
        self.role = role
        self.problems: list[str] = []

    def _unnamed_controls(self) -> list[str]:
        tree = self.cdp.send("Accessibility.getFullAXTree")["nodes"]
        unnamed = [
            node.get("role", {}).get("value") for node in tree
            if not node.get("ignored") and node.get("role", {}).get("value") in CONTROL_ROLES
            and not (node.get("name", {}).get("value") or "").strip()
        ]
        return unnamed + self.page.evaluate(UNNAMED_CONTROLS)

    def _focus_not_shown(self, stops: int = 25) -> list[str]:
        """Tab through the first stops of the page: each must show a focus outline (WCAG 2.4.7)."""
        page = self.page
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.evaluate(WATCH_FOCUS)
        for _ in range(stops):
            page.keyboard.press("Tab")
        # Nothing stays focused for the checks at other widths (a skip link shown on focus would be measured there).
        unseen = page.evaluate("document.activeElement && document.activeElement.blur(), window.__focusNotShown")
        return list(dict.fromkeys(unseen))  # once each, if Tab wrapped round to the top

    def _check(self, label: str, url: str, width: int) -> None:
        page = self.page
        found = []
        violations, other = axe_findings(page)
        if violations:
            found.append(f"axe: {violations}")
        if other:
            found.append(f"axe, other: {other}")
        h1s = page.locator("h1").count()
        if h1s != 1:
            found.append(f"{h1s} h1 elements")
        if not page.title().strip():
            found.append("empty <title>")
        unnamed = self._unnamed_controls()
        if unnamed:
            found.append(f"form controls with no accessible name: {unnamed}")
        if width == PHONE["width"]:
            unseen = self._focus_not_shown()
            if unseen:
                found.append(f"keyboard focus not shown on: {unseen}")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                found.append(f"scrolls sideways: scrollWidth {scroll}")
        if found or EVERY_SHOT:
            shot = f"/tmp/a11y-{self.role}-{_slug(label)}-{width}.png"
            page.screenshot(path=shot, full_page=True)
        if found:
            self.problems.append(f"{self.role} {label} ({url}) at {width}px: {'; '.join(found)} [{shot}]")

    def visit(self, label: str, url: str) -> None:
        page = self.page
        page.set_viewport_size(PHONE)
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # e.g. an empty error response
            self.problems.append(f"{self.role} {label} ({url}): {error.message.splitlines()[0]}")
            return
        status = response.status if response else 0
        if status >= 400:
            page.screenshot(path=f"/tmp/a11y-{self.role}-{_slug(label)}-status.png")
            self.problems.append(f"{self.role} {label} ({url}): HTTP {status}")
            return
        if "/accounts/login/" in page.url and "/accounts/login/" not in url:
            self.problems.append(f"{self.role} {label} ({url}): sent to sign in ({page.url})")
            return
        self._check(label, url, PHONE["width"])
        # WCAG 1.4.10 (reflow) asks for 320 CSS px: a narrow phone, or 1280 px zoomed to 400 %.
        page.set_viewport_size(NARROWEST)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > NARROWEST["width"]:
            shot = f"/tmp/a11y-{self.role}-{_slug(label)}-320.png"
            page.screenshot(path=shot, full_page=True)
            self.problems.append(f"{self.role} {label} ({url}) at 320px: scrolls sideways ({scroll}px) [{shot}]")
        # A table inside a scrolling wrapper keeps the page narrow but hides columns off to the side: every
        # table must fit or stack at 320 px.
        wide = page.evaluate(WIDE_TABLES)
        if wide:
            shot = f"/tmp/a11y-{self.role}-{_slug(label)}-320-table.png"
            page.screenshot(path=shot, full_page=True)
            self.problems.append(f"{self.role} {label} ({url}) at 320px: tables wider than the page {wide} [{shot}]")
        page.set_viewport_size(DESKTOP)
        self._check(label, url, DESKTOP["width"])

    def submit_empty(self, label: str, url: str, button: str) -> None:
        """Send the form empty (the browser's own checks switched off) and check the page of errors."""
        page = self.page
        page.set_viewport_size(PHONE)
        page.goto(url)
        page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
        with page.expect_navigation():
            page.get_by_role("button", name=button, exact=True).click()
        self._check(f"{label} with errors", url, PHONE["width"])
        if not page.locator(".error-summary, .errorlist, .field-error, [aria-invalid=true]").count():
            self.problems.append(f"{self.role} {label} with errors ({url}): no error shown")
        unlinked = page.evaluate(UNLINKED_ERRORS)
        if unlinked:
            self.problems.append(f"{self.role} {label} with errors ({url}): errors not tied to their field: {unlinked}")

    def sign_in(self, login_url: str, email: str) -> None:
        self.visit("sign in", login_url)
        self.page.set_viewport_size(PHONE)
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page).not_to_have_url(re.compile("/accounts/login/"))


def test_every_page_as_every_role(browser: Browser, browser_context_args: dict, live_url, alpha):
    # Long, real-looking names and addresses: they must wrap on a phone, not push the page sideways.
    leader = make_person(alpha, ["leader"], name="Alexandra Wolstenholme-Fitzgerald",
                         email="alexandra.wolstenholme-fitzgerald@northumbria-care-partnership.example.org")
    mentor = make_person(alpha, ["mentor"], name="Sam Okafor", email="sam@example.org")
    admin = make_person(alpha, ["admin", "leader"], name="Ada Lovelace", email="ada@example.org")
    with tenant_context(alpha):
        MentorPairing.objects.create(leader=leader, mentor=mentor)
        entry = entry_create(
            author=leader, title="A hard night handover after the medication round overran", template="gibbs",
            behaviours=["attending"],
            fields={"gibbs_description": "The night team handed over late.", "gibbs_feelings": "Flustered."},
        )
        entry_share(entry=entry, author=leader, mentor=mentor)
        comment = comment_create(entry=entry, author=mentor, body="What would five minutes give you?")
        module = Module.objects.get(behaviour="attending", source="shipped")
        lesson = module.lessons.first()
        # The leader has finished the module (a CPD row and a certificate) and done its self-check.
        for done in module.lessons.all():
            learning_services.lesson_complete(user=leader, lesson=done)
        learning_services.self_check_record(
            user=leader, module=module, answers=[3] * len(module.self_check.get("statements", [])),
        )
        reference = ModuleCompletion.objects.get(user=leader, module=module).reference
        own_module = learning_services.module_create(title="Our medicines round", summary="How we do it here.")
        own_lesson = learning_services.lesson_create(module=own_module, title="Quiet time", body="Ask for time.")
        invitation_create(email="mina@example.org", full_name="Mina Patel", roles=["mentor"], invited_by=admin)
        # A team the leader leads, with a long name and a past member, and an archived one.
        team = team_create(name="Larch House, first floor and the garden rooms (weekdays)",
                           description="Twelve rooms on the first floor, and the four garden rooms below them")
        member_add(team=team, user=leader, is_lead=True)
        member_end(membership=member_add(team=team, user=admin))
        member_add(team=team, user=admin)
        team_archive(team=team_create(name="Old Oak"))
        # Strengths and growth: the leader shows their strengths to the team; the admin (a member of the leader's
        # team) supervises the leader, suggested a hope and offered a stretch; the leader offered the admin one.
        from supervision.selectors.growth import supervisors_of
        from supervision.services import growth
        from supervision.services.sessions import relationship_create
        from teams.strength_services import strengths_save

        strengths_save(user=leader, picks=["ideas", "calm", "families", "teaching"], shown_to_team=True,
                       own_words="I can usually find the one thing that settles someone who is frightened at night")
        strengths_save(user=admin, picks=["done", "detail"], own_words="", shown_to_team=True)
        if not supervisors_of(leader).filter(pk=admin.pk).exists():
            relationship_create(supervisor=admin, supervisee=leader, end_current=True)
        growth.growth_profile_save(person=leader, hopes="Lead the move to the new care-planning system",
                                   growth_edges="Letting others lead, even when I could do it faster")
        growth.suggestion_make(person=leader, by=admin, area="hope", text="Become a registered manager one day")
        stretch_for_leader = growth.stretch_offer(
            person=leader, by=admin, kind="learning_set",
            words="Bring the rota problem to the next action learning set and present it. I'll help you prepare.",
        )
        growth.stretch_offer(person=admin, by=leader, kind="handover")
        # Supervision between them (the admin supervises the leader): a session held an hour ago with a check-in
        # shown, an agenda item, a record in two versions and an action; the next one booked in a fortnight.
        from supervision.selectors.sessions import current_relationships
        from supervision.services import sessions as supervision

        supervising = current_relationships().get(supervisor=admin, supervisee=leader)
        supervision_held = supervision.session_schedule(
            relationship=supervising, by=admin, starts_at=timezone.now() - timedelta(hours=1),
            place="The small lounge at Rowan Court",
        )
        supervision.checkin_save(session=supervision_held, by=leader, text="Tired after three nights.", shared=True)
        supervision.agenda_add(session=supervision_held, by=leader, text="The rota for the Christmas fortnight")
        supervision.record_save(session=supervision_held, by=admin, based_on=0,
                                text="We talked about the rota.\nAlexandra will ask the team first.")
        supervision.record_save(session=supervision_held, by=leader, based_on=1,
                                text="We talked about the rota and rest.\nAlexandra will ask the team first.")
        supervision.action_add(session=supervision_held, by=admin, text="Ask the team about Christmas shifts",
                               owner="supervisee", due_on=timezone.localdate() + timedelta(days=7))
        supervision_next = supervision.session_schedule(
            relationship=supervising, by=leader, starts_at=timezone.now() + timedelta(days=14),
        )
        # The team's recurring problems (learningsets), and a Five whys entry in the journal.
        from learningsets.problems_services import problem_add

        team_problem = problem_add(
            team=team, by=leader, owner=leader, title="The medication round runs late after the morning handover",
            steps={"problem": "Most mornings the round starts at twenty to nine.", "why1": "Handover overruns.",
                   "why2": "Nights say everything out loud.", "root": "No time to read the notes.",
                   "action": "Ten quiet minutes to read first."},
            look_again_on=timezone.localdate() + timedelta(days=12), status="trying",
        )
        five_whys_entry = entry_create(
            author=leader, title="Why the medication round keeps running late", template="five-whys",
            fields={"fw_problem": "The round starts late.", "fw_why1": "Handover overruns.", "fw_root": "No time."},
        )
        # An action learning set the leader facilitates and is in, with the admin; the mentor is invited. One
        # meeting began half an hour ago (the admin presents, with a brief and questions), the next is in a month
        # (the leader presents).
        from learningsets import services as sets

        set_people = [make_person(alpha, ["leader"], name=f"Set member {n} Featherstonehaugh") for n in range(2)]
        learning_set = sets.set_create(
            by=leader, name="Leads across the houses, weekdays and weekend nights", facilitator=leader,
            members=[leader, admin, *set_people, mentor], place="The small lounge at Rowan Court",
        )
        for person in (leader, admin, *set_people):
            sets.place_accept(place=learning_set.members.get(user=person), user=person)
        set_held = sets.meeting_book(learning_set=learning_set, by=leader, presenter=admin, allow_past=True,
                                     starts_at=timezone.now() - timedelta(minutes=30))
        sets.brief_post(meeting=set_held, by=admin, text="Our two o'clock handover keeps getting squeezed.")
        sets.question_add(meeting=set_held, by=leader, text="What does a good handover look like to you?")
        set_next = sets.meeting_book(learning_set=learning_set, by=leader, presenter=leader,
                                     starts_at=timezone.now() + timedelta(days=30))
        set_remove_place = learning_set.members.get(user=set_people[0]).pk
    # A team pulse the leader leads: one round that reached k (with a comment), one open that the leader has not
    # answered yet (so it is on their home page).
    colleagues = [make_person(alpha, ["leader"], name=f"Colleague {n} Featherstonehaugh") for n in range(3)]
    with tenant_context(alpha):
        pulse_team = team_create(name="Birch Ward, nights and weekends (supported living)")
        for person in (leader, mentor, *colleagues):
            member_add(team=pulse_team, user=person, is_lead=person is leader)
        reached = pulse_open(team=pulse_team, by=admin)
        for n, person in enumerate((leader, mentor, *colleagues)):
            pulse_answer(respondent=Respondent.objects.get(round=reached.round, user=person),
                         scores=[(n + i) % 7 + 1 for i in range(7)],
                         comment="Handovers on the late shift feel rushed; five quiet minutes?" if n == 0 else "")
        round_close(round_=reached.round)
        pulse_round = pulse_open(team=pulse_team, by=admin).round_id
    # The 360: the leader's closed one (shared with their mentor), and an open one of the admin's that the leader
    # and someone by email are asked to answer.
    closed_360 = ask_360(alpha, leader, colleagues, ["fern.family@example.org"])
    for n, person in enumerate(colleagues):
        answer_360(alpha, closed_360, person, 3 + n % 3,
                   "You stop and listen, even on the busiest medication round of the week." if n == 0 else "")
    closed_360 = close_360(alpha, closed_360)
    with tenant_context(alpha):
        three_sixty_share(three_sixty=closed_360, leader=leader, mentor=mentor)
    open_360 = ask_360(alpha, admin, [leader, *colleagues], ["gp.nurse@example.org"])
    link_360 = link_for_360(alpha, open_360, "gp.nurse@example.org")
    with schema_context("public"):
        user_create(email="operator@example.org", full_name="Opal Operator", roles=[], password=PASSWORD,
                    verified=True, is_staff=True)

    def org(path: str) -> str:
        return live_url("alpha", path)

    learning = {
        "learning home": org("/learn/"),
        "module": org(f"/learn/{module.slug}/"),
        "lesson": org(f"/learn/{module.slug}/{lesson.slug}/"),
        "self-check": org(f"/learn/{module.slug}/self-check/"),
        "CPD record": org("/learn/cpd/"),
    }
    accounts = {
        "password change": org("/accounts/password/change/"),
        "email": org("/accounts/email/"),
        "two-step sign-in": org("/accounts/2fa/"),
        "sessions": org("/accounts/sessions/"),
    }
    own_journal = {
        "journal": org("/journal/"),
        "new entry": org("/journal/new/"),
        "prompts": org("/journal/prompts/"),
        "journal account": org("/journal/account/"),
        "notifications": org("/notifications/"),
    }
    roles = {
        "leader": (leader.email, org("/accounts/login/"), {
            "home": org("/"), **learning, **own_journal,
            "entry": org(f"/journal/{entry.pk}/"),
            "edit entry": org(f"/journal/{entry.pk}/edit/"),
            "share entry": org(f"/journal/{entry.pk}/share/"),
            "self-check result": org(f"/learn/{module.slug}/self-check/result/"),
            "certificate": org(f"/learn/cpd/{module.slug}/certificate/"),
            "module completed": org(f"/learn/completed/{module.slug}/"),
            "delete entry": org(f"/journal/{entry.pk}/delete/"),
            "delete account": org("/journal/account/delete/"),
            "my teams": org("/teams/"), "team": org(f"/teams/{team.pk}/"),
            "your strengths": org("/teams/strengths/"), "growing": org("/growing/"),
            "growth profile": org("/growing/profile/"), "change growth profile": org("/growing/profile/edit/"),
            "offer a stretch": org("/growing/offer/"),
            "a stretch offered to you": org(f"/growing/opportunities/{stretch_for_leader.pk}/"),
            "supervision": org("/supervision/"),
            "supervision with someone": org(f"/supervision/with/{supervising.pk}/"),
            "a supervision session, supervisee": org(f"/supervision/sessions/{supervision_held.pk}/"),
            "the next supervision session, supervisee": org(f"/supervision/sessions/{supervision_next.pk}/"),
            "a supervision record's versions": org(f"/supervision/sessions/{supervision_held.pk}/record/versions/"),
            "five whys entry": org(f"/journal/{five_whys_entry.pk}/"),
            "team problems": org(f"/teams/{team.pk}/problems/"),
            "team problem": org(f"/teams/{team.pk}/problems/{team_problem.pk}/"),
            "add a team problem": org(f"/teams/{team.pk}/problems/new/"),
            "change a team problem": org(f"/teams/{team.pk}/problems/{team_problem.pk}/edit/"),
            "team pulse": org(f"/feedback/pulse/team/{pulse_team.pk}/"),
            "answer the pulse": org(f"/feedback/pulse/{pulse_round}/"),
            "360 feedback": org("/feedback/360/"), "360 results": org(f"/feedback/360/{closed_360.pk}/"),
            "360 summary": org(f"/feedback/360/{closed_360.pk}/summary/"),
            "share a 360": org(f"/feedback/360/{closed_360.pk}/share/"),
            "answer a 360": org(f"/feedback/360/{open_360.pk}/answer/"), "ask for a 360": org("/feedback/360/new/"),
            "learning sets": org("/sets/"), "start a set": org("/sets/new/"),
            "a learning set": org(f"/sets/{learning_set.pk}/"),
            "a set meeting, facilitating": org(f"/sets/{learning_set.pk}/meetings/{set_held.pk}/"),
            "the next set meeting, presenting": org(f"/sets/{learning_set.pk}/meetings/{set_next.pk}/"),
            "a set brief, Five whys": org(f"/sets/{learning_set.pk}/meetings/{set_next.pk}/brief/?shape=five-whys"),
            "book a set meeting": org(f"/sets/{learning_set.pk}/meetings/new/"),
            "change a set meeting": org(f"/sets/{learning_set.pk}/meetings/{set_next.pk}/edit/"),
            "leave a set": org(f"/sets/{learning_set.pk}/leave/"),
            "remove someone from a set": org(f"/sets/{learning_set.pk}/members/{set_remove_place}/remove/"),
            **accounts,
        }, {
            "start a set": (org("/sets/new/"), "Start the set and invite them"),
            "book a set meeting": (org(f"/sets/{learning_set.pk}/meetings/new/"), "Book it"),
            "new entry": (org("/journal/new/"), "Save entry"),
            "offer a stretch": (org("/growing/offer/"), "Offer it"),
            "add a team problem": (org(f"/teams/{team.pk}/problems/new/"), "Add it to the list"),
            "answer the pulse": (org(f"/feedback/pulse/{pulse_round}/"), "Send my answer"),
            "answer a 360": (org(f"/feedback/360/{open_360.pk}/answer/"), "Send my answers"),
            "ask for a 360": (org("/feedback/360/new/"), "Ask them"),
            "password change": (org("/accounts/password/change/"), "Change Password"),
        }),
        "mentor": (mentor.email, org("/accounts/login/"), {
            "home": org("/"), "learning home": org("/learn/"), "journal": org("/journal/"),
            "mentoring": org("/mentoring/"), "digest": org("/mentoring/digest/"),
            "shared entry": org(f"/journal/{entry.pk}/"), "edit reply": org(f"/journal/comments/{comment.pk}/edit/"),
            "notifications": org("/notifications/"), "360 feedback": org("/feedback/360/"), "growing": org("/growing/"),
            "shared 360 summary": org(f"/feedback/360/{closed_360.pk}/summary/"),
            "a learning set invitation": org(f"/sets/{learning_set.pk}/"), **accounts,
        }, {}),
        "admin": (admin.email, org("/accounts/login/"), {
            "home": org("/"), "welcome": org("/welcome/"), **learning, **own_journal,
            "learning manage": org("/learn/manage/"), "new module": org("/learn/manage/modules/new/"),
            "edit own module": org(f"/learn/manage/modules/{own_module.pk}/"),
            "new lesson": org(f"/learn/manage/modules/{own_module.pk}/lessons/new/"),
            "edit own lesson": org(f"/learn/manage/lessons/{own_lesson.pk}/"),
            "manage": org("/manage/"), "people": org("/manage/people/"),
            "member": org(f"/manage/people/{leader.pk}/"), "invitations": org("/manage/invitations/"),
            "invitation upload": org("/manage/invitations/upload/"), "pairings": org("/manage/pairings/"),
            "learning report": org("/manage/learning/"), "prompt defaults": org("/manage/prompts/"),
            "settings": org("/manage/settings/"), "manage teams": org("/manage/teams/"),
            "manage team": org(f"/manage/teams/{team.pk}/"), "manage feedback": org("/manage/feedback/"),
            "growing leaders": org("/manage/supervision/growing/"), "growing": org("/growing/"),
            "a supervisee's growth profile": org(f"/growing/people/{leader.pk}/"),
            "supervision, supervising": org("/supervision/"),
            "supervising someone": org(f"/supervision/with/{supervising.pk}/"),
            "a supervision session, supervisor": org(f"/supervision/sessions/{supervision_held.pk}/"),
            "change a supervision session": org(f"/supervision/sessions/{supervision_next.pk}/change/"),
            "manage supervision": org("/manage/supervision/"),
            "team problems, read by an admin": org(f"/teams/{team.pk}/problems/"),
            "team pulse": org(f"/feedback/pulse/team/{pulse_team.pk}/"),
            "pulse rhythm": org(f"/feedback/pulse/team/{pulse_team.pk}/rhythm/"),
            "360 feedback": org("/feedback/360/"), "open 360": org(f"/feedback/360/{open_360.pk}/"),
            "manage learning sets": org("/manage/sets/"),
            "a learning set, managed": org(f"/manage/sets/{learning_set.pk}/"),
            "a set meeting, presenting": org(f"/sets/{learning_set.pk}/meetings/{set_held.pk}/"), **accounts,
        }, {
            "manage teams": (org("/manage/teams/"), "Make the team"),
            "suggest an addition": (org(f"/growing/people/{leader.pk}/"), "Suggest it"),
            "book a supervision session": (org(f"/supervision/with/{supervising.pk}/"), "Book it"),
            "add to a team": (org(f"/manage/teams/{team.pk}/"), "Add to the team"),
            "invitations": (org("/manage/invitations/"), "Send invitation"),
            "pairings": (org("/manage/pairings/"), "Pair them"),
            "new module": (org("/learn/manage/modules/new/"), "Create the module"),
        }),
        "operator": (
            "operator@example.org", live_url(None, "/accounts/login/"), {
                "console": live_url(None, "/console/"),
                "console organisation": live_url(None, f"/console/{alpha.pk}/"),
                "console workers": live_url(None, "/console/workers/"),
                "password change": live_url(None, "/accounts/password/change/"),
                "email": live_url(None, "/accounts/email/"),
                "two-step sign-in": live_url(None, "/accounts/2fa/"),
                "sessions": live_url(None, "/accounts/sessions/"),
            }, {},
        ),
    }

    problems: list[str] = []
    visited = 0
    # Anyone: the public site, before signing in.
    context = browser.new_context(**browser_context_args)
    visitor = Checker(context, "visitor")
    for label, url in {"landing": live_url(None, "/"), "sign-up": live_url(None, "/signup/"),
                       "terms": live_url(None, "/terms/"), "find your organisation": live_url(None, "/find/"),
                       "password reset": live_url("alpha", "/accounts/password/reset/"),
                       "certificate check": live_url("alpha", "/verify/"),
                       "certificate checked": live_url("alpha", f"/verify/{reference}/"),
                       "360 by a single-use link": live_url("alpha", f"/feedback/360/r/{link_360}/"),
                       "360 thanks": live_url("alpha", "/feedback/360/thanks/")}.items():
        visitor.visit(label, url)
        visited += 1
    visitor.submit_empty("sign-up", live_url(None, "/signup/"), "Create our space")
    visitor.submit_empty("sign in", live_url("alpha", "/accounts/login/"), "Sign in")
    problems += visitor.problems
    context.close()

    for role, (email, login_url, pages, forms) in roles.items():
        context = browser.new_context(**browser_context_args)
        checker = Checker(context, role)
        checker.sign_in(login_url, email)
        for label, url in pages.items():
            checker.visit(label, url)
        for label, (url, button) in forms.items():
            checker.submit_empty(label, url, button)
        visited += len(pages) + len(forms) + 1
        problems += checker.problems
        context.close()

    assert visited > 60
    assert problems == [], "\n" + "\n".join(problems)
