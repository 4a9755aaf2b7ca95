from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from .home import home_section_register
        from .home_sections import ADMIN_ACTIONS_PRIORITY, admin_actions_section

        home_section_register("people.actions", admin_actions_section, priority=ADMIN_ACTIONS_PRIORITY)
