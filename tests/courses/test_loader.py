import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django_tenants.utils import schema_context, tenant_context

from courses import services
from courses.loader import DEFAULT_PROGRAMME_DIR, curriculum_sync, read_programme
from courses.models import Lesson, LessonProgress, Module, ModuleCompletion, Programme, Source
from tests.conftest import make_person
from tests.courses.conftest import write_module, write_tree


def test_reads_a_tree_and_creates_everything(db, alpha, content):
    with tenant_context(alpha):
        Programme.objects.all().delete()
        result = curriculum_sync(content)
        assert (result.created, result.updated, result.unchanged) == (1 + 2 + 5, 0, 0)
        attending = Module.objects.get(slug="attending")
        assert attending.behaviour == "attending"
        assert attending.self_check["statements"][0].startswith("I stop and listen")
        assert attending.self_check["suggestions"]["high"] == ["Teach someone else what works for you."]
        lessons = list(attending.lessons.order_by("order"))
        assert [lesson.slug for lesson in lessons] == ["attending-lesson-1", "attending-lesson-2", "attending-lesson-3"]
        assert lessons[0].minutes == 11
        assert lessons[0].practice == "Try thing 1 on your next shift."
        assert lessons[0].reflection_question == "What did you notice about 1?"
        assert "## A subheading" in lessons[0].body
        again = curriculum_sync(content)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 8)


def test_incomplete_folders_are_skipped(tmp_path: Path):
    root = write_tree(tmp_path)
    (root / "03-being-written").mkdir()  # no module.md yet
    (root / "04-half").mkdir()
    (root / "04-half" / "01-draft.md").write_text("---\ntitle: no slug\n---\nText")
    write_module(root, "05-ok", "ok", "OK", order=5)
    (root / "05-ok" / "03-empty.md").write_text("---\nslug: empty\ntitle: Empty\n---\n")
    data = read_programme(root)
    assert [m.slug for m in data.modules] == ["welcome", "attending", "ok"]
    assert [lesson.slug for lesson in data.modules[2].lessons] == ["ok-lesson-1", "ok-lesson-2"]


def test_new_version_updates_text_and_keeps_progress_and_choices(loaded, alpha, tmp_path):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        lesson = Lesson.objects.get(slug="welcome-lesson-1")
        services.lesson_complete(user=leader, lesson=lesson)
        services.lesson_complete(user=leader, lesson=Lesson.objects.get(slug="welcome-lesson-2"))
        welcome = Module.objects.get(slug="welcome")
        services.module_settings_update(module=welcome, is_required=True)
        services.module_move(module=welcome, direction=1)  # now after attending
        org_module = services.module_create(title="Our handover routine", summary="Ours.")
        org_lesson = services.lesson_create(module=org_module, title="How we hand over", body="Our words.")

        root = write_tree(tmp_path / "v2", version=2, lesson_version=2)
        result = curriculum_sync(root)
        assert result.updated == 1 + 2 + 5 and result.created == 0

        lesson.refresh_from_db()
        assert lesson.version == 2 and "version 2" in lesson.body
        welcome.refresh_from_db()
        assert welcome.summary == "Summary of Welcome (v2)."
        assert welcome.is_required and welcome.order == 2  # the organisation's choices survive
        assert LessonProgress.objects.get(user=leader, lesson=lesson).completed_at is not None
        assert ModuleCompletion.objects.filter(user=leader, module=welcome).exists()
        org_lesson.refresh_from_db()
        assert org_lesson.body == "Our words." and org_lesson.source == Source.ORGANISATION

        # A lower or equal version never overwrites.
        stale = curriculum_sync(write_tree(tmp_path / "v1"))
        assert stale.updated == 0
        lesson.refresh_from_db()
        assert lesson.version == 2


def test_an_organisation_module_with_a_shipped_slug_is_untouched(db, alpha, tmp_path):
    with tenant_context(alpha):
        Programme.objects.all().delete()
        programme = Programme.objects.create(slug="ours", title="Ours", source=Source.ORGANISATION)
        ours = Module.objects.create(
            programme=programme, slug="attending", title="Our attending", summary="Ours", source=Source.ORGANISATION,
            version=0,
        )
        Lesson.objects.create(module=ours, slug="attending-lesson-1", title="Ours", body="Our body",
                              source=Source.ORGANISATION, version=0)
        curriculum_sync(write_tree(tmp_path, version=5, lesson_version=5))
        ours.refresh_from_db()
        assert (ours.title, ours.summary, ours.version) == ("Our attending", "Ours", 0)
        assert list(ours.lessons.values_list("body", flat=True)) == ["Our body"]


def test_template_is_seeded_and_new_organisations_start_with_the_curriculum(db):
    from tenants.services import organisation_create  # tests may cross app lines; the app code does not

    shipped = read_programme(DEFAULT_PROGRAMME_DIR)
    if shipped is None or not shipped.modules:
        pytest.skip("No shipped modules written yet")
    with schema_context(settings.TENANT_BASE_SCHEMA):
        slugs = set(Module.objects.filter(source=Source.SHIPPED).values_list("slug", flat=True))
    # The template was seeded when it was created (and is kept current on every migrate).
    assert {m.slug for m in shipped.modules if m.lessons} <= slugs
    gamma = organisation_create(name="Gamma Homes", subdomain="gamma")
    with tenant_context(gamma):
        assert set(Module.objects.values_list("slug", flat=True)) == slugs
        assert Lesson.objects.count() > 0


def test_the_shipped_tree_loads_with_nine_modules(db, alpha):
    folders = [p for p in DEFAULT_PROGRAMME_DIR.iterdir() if p.is_dir()] if DEFAULT_PROGRAMME_DIR.is_dir() else []
    if len(folders) < 9 or not all((p / "module.md").is_file() for p in folders):
        pytest.skip(f"The shipped curriculum is still being written ({len(folders)} module folders)")
    data = read_programme(DEFAULT_PROGRAMME_DIR)
    assert data.title == "Compassionate leadership foundations"
    assert len(data.modules) == 9
    assert len({m.slug for m in data.modules}) == 9
    for module in data.modules:
        assert 3 <= len(module.lessons) <= 5, module.slug
        for lesson in module.lessons:
            assert lesson.practice and lesson.question and lesson.minutes > 0, lesson.slug
        if module.behaviour:
            assert 5 <= len(module.self_check["statements"]) <= 8, module.slug
    with tenant_context(alpha):
        curriculum_sync()
        assert Module.objects.filter(source=Source.SHIPPED).count() == 9


def test_curriculum_sync_command_updates_every_schema_with_a_progress_bar(db, alpha, beta, tmp_path):
    out = StringIO()
    call_command("curriculum_sync", content=write_tree(tmp_path), stdout=out)
    text = out.getvalue()
    # template, alpha, beta (and any other test organisation); public excluded.
    assert re.search(r"\[#+\] (\d+)/\1 ", text), text
    assert settings.TENANT_BASE_SCHEMA in text and alpha.schema_name in text and beta.schema_name in text
    assert "public:" not in text
    assert "Done:" in text and "created" in text and "unchanged" in text
    for org in (alpha, beta):
        with tenant_context(org):
            assert Module.objects.filter(slug="attending").exists()
    out = StringIO()
    call_command("curriculum_sync", content=write_tree(tmp_path / "again"), stdout=out)
    assert "Done: 0 created, 0 updated" in out.getvalue()


def test_migrating_updates_the_template_and_fills_only_empty_organisations(db, alpha, beta, tmp_path):
    from django_tenants.signals import schema_migrated

    if not read_programme(DEFAULT_PROGRAMME_DIR).modules:
        pytest.skip("No shipped modules written yet")
    with schema_context(settings.TENANT_BASE_SCHEMA):
        Programme.objects.all().delete()
    with tenant_context(alpha):
        Programme.objects.all().delete()  # as if created before the curriculum existed
    with tenant_context(beta):
        Programme.objects.all().delete()
        curriculum_sync(write_tree(tmp_path))  # beta already has a (different) shipped programme
    for schema_name in ("public", settings.TENANT_BASE_SCHEMA, alpha.schema_name, beta.schema_name):
        schema_migrated.send(sender=None, schema_name=schema_name)
    with schema_context(settings.TENANT_BASE_SCHEMA):
        template_slugs = set(Module.objects.values_list("slug", flat=True))
    assert template_slugs
    with tenant_context(alpha):
        assert set(Module.objects.values_list("slug", flat=True)) == template_slugs
    with tenant_context(beta):  # not empty: left to curriculum_sync
        assert set(Module.objects.values_list("slug", flat=True)) == {"welcome", "attending"}
