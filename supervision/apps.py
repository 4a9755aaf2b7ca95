from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "Supervision"

    def ready(self) -> None:
        self._sessions_ready()

    def _sessions_ready(self) -> None:
        # The home page says when the next session is; a journal entry can be "about" a session.
        from people.home import home_section_register

        from . import about, home_sections

        home_section_register("supervision.next", home_sections.supervision_section,
                              priority=home_sections.HOME_PRIORITY)
        about.about_links_register()
