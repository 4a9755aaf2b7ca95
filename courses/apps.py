from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"

    def ready(self) -> None:
        # The home page's lesson and the admin's "take your first lesson" (people.home: people cannot import us).
        from people.home import home_section_register, welcome_step_register

        from . import signals  # noqa: F401 - connects the template seeding receivers
        from .home_sections import LESSON_PRIORITY, first_lesson_done, lesson_section

        home_section_register("courses.lesson", lesson_section, priority=LESSON_PRIORITY)
        welcome_step_register("first_lesson", first_lesson_done)
