"""Visual regression: the main pages, for each role, at 375 and 1280 px, compared with committed references
(tests/e2e/visual/*.png) within a small tolerance, so a stray border, an overflow or a component that changed its
look fails the build.

Deterministic by construction: fixed people, texts and times (time-machine holds the clock still, in the live
server's thread too, while the data is made and the pages are drawn), the same order of visits (a lesson page's
"seen" beacon changes what home and learning show, so the lesson comes last), one font (DejaVu Sans, which .ci/run
installs as fonts-dejavu-core), no animations, no caret, and each shot clipped to the viewport.

To accept a change you meant: `UPDATE_VISUAL=1 make test ARGS="tests/e2e/test_visual.py"`, look at the new
pictures, and commit them. On a failure the actual picture and a diff (changed pixels in magenta) are written to
/tmp/visual-<name>-actual.png and /tmp/visual-<name>-diff.png."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django_tenants.utils import tenant_context
from PIL import Image, ImageChops
from playwright.sync_api import Browser, Page

from courses import services as learning_services
from courses.models import Module
from people.services import pairing_create
from reflections.services.conversations import comment_create
from reflections.services.journal import entry_create
from reflections.services.sharing import entry_share
from tests.conftest import client_for, make_person

REFERENCES = Path(__file__).parent / "visual"
UPDATE = os.environ.get("UPDATE_VISUAL") == "1"
LONDON = ZoneInfo("Europe/London")
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# A pixel counts as changed when a colour channel moves by more than CHANNEL_TOLERANCE (of 255); a shot fails when
# more than CHANGED_PIXELS_ALLOWED pixels changed. Drawing is exact on one machine and Chromium build, so this only
# absorbs stray anti-aliasing; a one-pixel border across a phone screen (375 pixels) is well over it.
CHANNEL_TOLERANCE = 24
CHANGED_PIXELS_ALLOWED = 64
# What the pictures must not depend on: the fonts a machine happens to have, animations and the text caret.
STEADY = """
html, body, button, input, select, textarea { font-family: "DejaVu Sans", sans-serif !important; }
*, *::before, *::after { animation: none !important; transition: none !important; caret-color: transparent !important; }
"""


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, London time: when each piece of the made-up life happened."""
    return datetime(2026, 11, day, hour, minute, tzinfo=LONDON)


NOW = at(20, 19, 30)  # a Friday evening, after a shift


@dataclass
class Shot:
    role: str
    name: str
    path: str
    widths: tuple[int, ...]


def _make_life(alpha) -> dict[str, object]:
    """The same small life every run: Sam (leader) part way through the course with two entries, one shared with
    Morgan (mentor) who replied; Priya (admin and leader) has finished a lesson."""
    with time_machine.travel(at(2, 9), tick=False):
        leader = make_person(alpha, ["leader"], name="Sam Rivers", email="sam@oakfield.example")
        mentor = make_person(alpha, ["mentor"], name="Morgan Ellis", email="morgan@oakfield.example")
        admin = make_person(alpha, ["admin", "leader"], name="Priya Shah", email="priya@oakfield.example")
    with tenant_context(alpha):
        with time_machine.travel(at(2, 9, 30), tick=False):
            pairing_create(leader=leader, mentor=mentor)
        attending = Module.objects.get(behaviour="attending", source="shipped")
        welcome = Module.objects.filter(source="shipped").order_by("order", "pk").first()
        for day, lesson in enumerate(welcome.lessons.order_by("order", "pk"), start=3):
            with time_machine.travel(at(day, 20), tick=False):
                learning_services.lesson_complete(user=leader, lesson=lesson)
        lessons = list(attending.lessons.order_by("order", "pk"))
        with time_machine.travel(at(9, 21), tick=False):
            learning_services.lesson_complete(user=leader, lesson=lessons[0])
            learning_services.lesson_complete(user=admin, lesson=lessons[0])
        with time_machine.travel(at(12, 22, 15), tick=False):
            shared = entry_create(
                author=leader, title="A handover that ran twenty minutes over", template="gibbs",
                behaviours=["attending", "understanding"],
                fields={
                    "gibbs_description": "The night team handed over late because the medication round overran.",
                    "gibbs_feelings": "Rushed, and a little cross, then sorry for being cross.",
                    "gibbs_action_plan": "Ask for five quiet minutes at the start, before anyone takes a call.",
                },
            )
        with time_machine.travel(at(12, 22, 20), tick=False):
            entry_share(entry=shared, author=leader, mentor=mentor)
        with time_machine.travel(at(13, 8, 5), tick=False):
            comment_create(entry=shared, author=mentor, body="What would those five minutes give **you**?")
        with time_machine.travel(at(18, 21, 40), tick=False):
            entry_create(
                author=leader, title="Who keeps saying yes to extra shifts", template="what-so-what-now-what",
                behaviours=["empathising"],
                fields={"what": "The same two people cover every gap.", "so_what": "They look tired."},
            )
    return {
        "leader": leader, "mentor": mentor, "admin": admin, "entry": shared,
        "lesson": f"/learn/{attending.slug}/{lessons[1].slug}/",
    }


def _signed_in_page(browser: Browser, alpha, user, viewport: dict[str, int]) -> Page:
    session = client_for(alpha, user).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(
        viewport=viewport, device_scale_factor=1, locale="en-GB", timezone_id="Europe/London",
        bypass_csp=True,  # only so the STEADY style can be added; the other browser tests check the policy
        reduced_motion="reduce",
    )
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": "alpha.localhost",
                          "path": "/"}])
    return context.new_page()


def _shoot(page: Page, url: str) -> Image.Image:
    page.goto(url, wait_until="networkidle")
    page.add_style_tag(content=STEADY)
    page.evaluate("document.fonts.ready.then(() => null)")
    path = Path("/tmp") / "visual-shot.png"
    page.screenshot(path=str(path), animations="disabled", caret="hide", full_page=False)
    return Image.open(path).convert("RGB")


def _compare(name: str, actual: Image.Image) -> str | None:
    """None when `actual` matches the reference; otherwise what differs (the pictures are left in /tmp)."""
    reference_path = REFERENCES / f"{name}.png"
    if UPDATE:
        REFERENCES.mkdir(exist_ok=True)
        actual.save(reference_path, optimize=True)
        return None
    if not reference_path.exists():
        actual.save(f"/tmp/visual-{name}-actual.png")
        return f"{name}: no reference (run with UPDATE_VISUAL=1 and commit tests/e2e/visual/{name}.png)"
    reference = Image.open(reference_path).convert("RGB")
    if reference.size != actual.size:
        actual.save(f"/tmp/visual-{name}-actual.png")
        return f"{name}: size {actual.size} instead of {reference.size}"
    difference = ImageChops.difference(reference, actual)
    changed = difference.point(lambda value: 255 if value > CHANNEL_TOLERANCE else 0).convert("L")
    changed = changed.point(lambda value: 255 if value else 0)
    count = changed.histogram()[255]
    if count <= CHANGED_PIXELS_ALLOWED:
        return None
    actual.save(f"/tmp/visual-{name}-actual.png")
    overlay = Image.blend(reference, Image.new("RGB", reference.size, "white"), 0.7)
    overlay.paste(Image.new("RGB", reference.size, (255, 0, 255)), mask=changed)
    overlay.save(f"/tmp/visual-{name}-diff.png")
    box = changed.getbbox()
    return f"{name}: {count} pixels changed, within {box} (see /tmp/visual-{name}-diff.png)"


def _dejavu_sans_installed() -> bool:
    try:
        found = subprocess.run(["fc-list", "DejaVu Sans"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return False
    return "DejaVuSans.ttf" in found


@pytest.mark.skipif(
    not _dejavu_sans_installed(), reason="needs the DejaVu Sans font (fonts-dejavu-core, which .ci/run installs)",
)
def test_main_pages_look_as_they_did(browser: Browser, live_url, alpha):
    life = _make_life(alpha)
    entry = life["entry"]
    shots = [
        # Sam's pages first, the lesson last: opening a lesson changes "continue where you left off".
        Shot("leader", "leader-home", "/", (375, 1280)),
        Shot("leader", "leader-learn", "/learn/", (375,)),
        Shot("leader", "leader-journal", "/journal/", (375,)),
        Shot("leader", "leader-entry", f"/journal/{entry.pk}/", (375, 1280)),
        Shot("leader", "leader-lesson", life["lesson"], (375,)),
        Shot("mentor", "mentor-mentoring", "/mentoring/", (375, 1280)),
        Shot("admin", "admin-people", "/manage/people/", (375, 1280)),
        Shot("admin", "admin-report", "/manage/learning/", (375, 1280)),
    ]
    problems: list[str] = []
    taken = 0
    pages: dict[tuple[str, int], Page] = {}  # one browser per role and width, signed in as that role
    with time_machine.travel(NOW, tick=False):
        try:
            for shot in shots:
                for width in shot.widths:
                    if (shot.role, width) not in pages:
                        viewport = PHONE if width == PHONE["width"] else DESKTOP
                        pages[shot.role, width] = _signed_in_page(browser, alpha, life[shot.role], viewport)
                    picture = _shoot(pages[shot.role, width], live_url("alpha", shot.path))
                    taken += 1
                    problem = _compare(f"{shot.name}-{width}", picture)
                    if problem:
                        problems.append(problem)
        finally:
            for page in pages.values():
                page.context.close()
    assert taken == 13
    assert problems == [], "\n" + "\n".join(problems)
