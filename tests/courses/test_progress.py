from django_tenants.utils import tenant_context

from courses import selectors, services
from courses.models import Lesson, LessonProgress, Module, ModuleCompletion
from tests.conftest import make_person
from tests.courses.conftest import complete_after_reading


def test_a_module_is_complete_when_all_its_lessons_are_done(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        welcome = Module.objects.get(slug="welcome")
        first, second = welcome.lessons.order_by("order")
        assert complete_after_reading(leader, first) is None
        assert not ModuleCompletion.objects.filter(user=leader).exists()
        completion = complete_after_reading(leader, second)
        assert completion is not None and completion.module == welcome
        assert completion.cpd_minutes == 11 + 12
        # Doing it again records nothing new.
        assert services.lesson_complete(user=leader, lesson=second) is None
        assert ModuleCompletion.objects.filter(user=leader).count() == 1


def test_practice_tried_and_undo_done(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        lesson = Lesson.objects.get(slug="attending-lesson-1")
        services.practice_tried(user=leader, lesson=lesson)
        progress = LessonProgress.objects.get(user=leader, lesson=lesson)
        assert progress.practice_tried_at is not None and progress.completed_at is None
        services.lesson_complete(user=leader, lesson=lesson)
        services.lesson_uncomplete(user=leader, lesson=lesson)
        progress.refresh_from_db()
        assert progress.completed_at is None and progress.practice_tried_at is not None


def test_current_module_and_behaviour_follow_the_learner(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    other = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        welcome, attending = Module.objects.get(slug="welcome"), Module.objects.get(slug="attending")
        # Nothing done: the first module in order; welcome has no behaviour.
        assert selectors.current_module_for(leader) == welcome
        assert selectors.current_behaviour_for(leader) is None
        # Opening a lesson in attending makes it the current one.
        services.lesson_visit_record(user=leader, lesson=attending.lessons.first())
        assert selectors.current_module_for(leader) == attending
        assert selectors.current_behaviour_for(leader) == "attending"
        assert selectors.current_module_for(other) == welcome  # someone else's progress is theirs
        # Completing attending moves on to the first unfinished module.
        for lesson in attending.lessons.all():
            services.lesson_complete(user=leader, lesson=lesson)
        assert selectors.current_module_for(leader) == welcome
        for lesson in welcome.lessons.all():
            services.lesson_complete(user=leader, lesson=lesson)
        assert selectors.current_module_for(leader) is None
        assert selectors.current_behaviour_for(leader) is None


def test_hidden_modules_are_not_current_and_not_shown(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        welcome = Module.objects.get(slug="welcome")
        services.module_settings_update(module=welcome, is_hidden=True)
        assert selectors.current_module_for(leader).slug == "attending"
        overview = selectors.learning_overview(leader)
        assert [item.module.slug for item in overview.modules] == ["attending"]


def test_overview_counts_progress_per_behaviour(loaded, alpha):
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        lessons = list(Lesson.objects.filter(module__slug="attending").order_by("order"))
        services.lesson_complete(user=leader, lesson=lessons[0])
        services.lesson_complete(user=leader, lesson=lessons[1])
        overview = selectors.learning_overview(leader)
        attending = next(b for b in overview.behaviours if b.value == "attending")
        assert (attending.done, attending.total) == (2, 3)
        assert attending.ring_dash == "66.7 33.3"
        helping = next(b for b in overview.behaviours if b.value == "helping")
        assert (helping.done, helping.total) == (0, 0)
        assert overview.continue_lesson == lessons[2]


def test_self_check_bands_follow_the_content_format():
    from courses.models import SelfCheckResponse

    def band(*answers: int) -> str:
        return SelfCheckResponse(answers=list(answers)).band

    assert band(2, 2, 3, 2) == "low"  # 2.25
    assert band(2, 3) == "middle"  # 2.5
    assert band(4, 4, 4, 4, 3) == "high"  # 3.8
    assert band(4, 4, 3, 4, 3) == "middle"  # 3.6


def test_constraints_hold_in_the_database(loaded, alpha):
    import pytest
    from django.db import IntegrityError, transaction

    from courses.models import SelfCheckResponse

    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        module = Module.objects.get(slug="attending")
        lesson = module.lessons.first()
        for answers in ({"a": 1}, [], 3):
            with pytest.raises(IntegrityError), transaction.atomic():
                SelfCheckResponse.objects.create(user=leader, module=module, answers=answers)
        LessonProgress.objects.create(user=leader, lesson=lesson, module=module)
        with pytest.raises(IntegrityError), transaction.atomic():
            LessonProgress.objects.create(user=leader, lesson=lesson, module=module)
        services.lesson_complete(user=leader, lesson=lesson)
        with pytest.raises(IntegrityError), transaction.atomic():
            ModuleCompletion.objects.create(user=leader, module=module, completed_at=lesson.created_at, cpd_minutes=1)
            ModuleCompletion.objects.create(user=leader, module=module, completed_at=lesson.created_at, cpd_minutes=1)
