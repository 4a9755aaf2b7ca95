"""Every module of the shipped programme has prompts of its own: a learner working on a module is offered
prompts from that module's theme, never the whole library because nothing matched."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django_tenants.utils import tenant_context

import reflections
from courses.loader import DEFAULT_PROGRAMME_DIR, read_programme
from courses.models import Lesson, LessonProgress, Module
from reflections import prompt_delivery
from reflections.models import Prompt, PromptDelivery
from tests.conftest import make_person

PROMPTS_FILE = Path(reflections.__file__).resolve().parent / "content" / "prompts.yaml"
BEHAVIOURS = {"attending", "understanding", "empathising", "helping"}
# The brief: relational supervision, action learning and growing leaders get at least 12 each, like the behaviours.
AT_LEAST_12 = BEHAVIOURS | {"psychological-safety", "relational-supervision", "action-learning-sets", "growing-leaders"}
WELCOME_AT_LEAST = 6  # a small "getting started" set: the first prompts anyone receives
SLOT = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)


def _shipped_prompts() -> list[dict[str, str]]:
    return yaml.safe_load(PROMPTS_FILE.read_text(encoding="utf-8"))["prompts"]


def _module_themes() -> dict[str, str]:
    """{module slug: its prompt theme}, by the rule prompt_delivery.current_themes_for uses."""
    programme = read_programme(DEFAULT_PROGRAMME_DIR)
    assert programme is not None and len(programme.modules) == 9
    return {m.slug: m.behaviour or m.slug for m in programme.modules}


def test_every_shipped_module_has_a_theme_with_enough_written_prompts():
    counts: dict[str, int] = {}
    for prompt in _shipped_prompts():
        counts[prompt["theme"]] = counts.get(prompt["theme"], 0) + 1
    themes = _module_themes()
    assert set(counts) == set(themes.values()), "one theme per module, and no theme that no module uses"
    for module, theme in themes.items():
        floor = WELCOME_AT_LEAST if module == "welcome" else 12
        assert counts[theme] >= floor, f"{module}: {counts[theme]} prompts in '{theme}'"
    assert AT_LEAST_12 <= {theme for theme, n in counts.items() if n >= 12}


def test_written_prompts_are_one_short_invitation_each():
    slugs = [p["slug"] for p in _shipped_prompts()]
    assert len(slugs) == len(set(slugs))
    for prompt in _shipped_prompts():
        text = prompt["text"]
        assert text.endswith("?") and len(text) <= 200, prompt["slug"]
        # One idea: a question and at most one follow-up (questions quoted inside the text don't count).
        assert re.sub(r'"[^"]*"', "", text).count("?") <= 2, prompt["slug"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "module_slug", ["welcome", "relational-supervision", "action-learning-sets", "growing-leaders"]
)
def test_a_learner_in_a_module_without_a_behaviour_gets_only_that_modules_prompts(alpha, module_slug):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        call_command("load_prompts", stdout=StringIO())
        module = Module.objects.get(slug=module_slug)
        lesson = Lesson.objects.filter(module=module).order_by("order").first()
        LessonProgress.objects.create(user=leader, lesson=lesson, module=module)
        assert prompt_delivery.current_themes_for([leader.pk]) == {leader.pk: module_slug}
        lesson_questions = set(Prompt.objects.filter(theme=module_slug, is_active=True, slug__startswith="lesson-")
                      .values_list("pk", flat=True))
        chosen = []
        # Twelve weekly prompts in a row, each chosen the way the dispatcher chooses (avoiding the last ten).
        for week in range(12):
            delivery = PromptDelivery.objects.create(user=leader, slot=SLOT + timedelta(days=7 * week), channel="app")
            assert prompt_delivery.prompts_choose([(delivery.pk, leader.pk)]) == 1
            delivery.refresh_from_db()
            chosen.append(delivery.prompt)
    assert {p.theme for p in chosen} == {module_slug}
    # Enough of them that a learner spending a quarter on the module does not go round in a small circle.
    assert len({p.pk for p in chosen}) >= 11
    assert any(p.pk not in lesson_questions for p in chosen)


@pytest.mark.django_db
def test_a_brand_new_learner_is_in_the_welcome_module_and_gets_getting_started_prompts(alpha):
    newcomer = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        call_command("load_prompts", stdout=StringIO())
        assert prompt_delivery.current_themes_for([newcomer.pk]) == {newcomer.pk: "welcome"}
        delivery = PromptDelivery.objects.create(user=newcomer, slot=SLOT, channel="app")
        prompt_delivery.prompts_choose([(delivery.pk, newcomer.pk)])
        delivery.refresh_from_db()
        assert delivery.prompt.theme == "welcome"


@pytest.mark.django_db
def test_the_prompt_library_follows_the_programme_in_order_under_each_modules_title(alpha):
    from courses.selectors import visible_modules
    from tests.conftest import client_for, make_person

    page = client_for(alpha, make_person(alpha, ["leader"])).get("/journal/prompts/").content.decode()
    with tenant_context(alpha):
        titles = list(visible_modules().values_list("title", flat=True))
    assert titles[0] == "Welcome and how this works"
    positions = [page.find(f"<h3>{title} <") for title in titles]
    assert -1 not in positions, titles
    assert positions == sorted(positions)  # Welcome first, Growing leaders last, as the programme runs
