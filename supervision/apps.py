from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "Supervision"

    def ready(self) -> None:
        self._sessions_ready()
        self._growth_ready()

    def _sessions_ready(self) -> None:
        # The home page says when the next session is; a journal entry can be "about" a session.
        from people.home import home_section_register

        from . import about, home_sections

        home_section_register("supervision.next", home_sections.supervision_section,
                              priority=home_sections.HOME_PRIORITY)
        about.about_links_register()

    def _growth_ready(self) -> None:
        # A stretch or a suggestion waiting on the home page; on a team's page, its leads can offer a stretch; a
        # journal entry can be "about" a stretch (people, teams and reflections cannot import supervision).
        from people.home import home_section_register
        from teams.sections import team_section_register

        from . import growth_about, growth_sections

        home_section_register("supervision.growth", growth_sections.growth_home_section,
                              priority=growth_sections.HOME_PRIORITY)
        team_section_register("supervision.growth", growth_sections.growth_team_section,
                              priority=growth_sections.TEAM_PRIORITY)
        growth_about.about_links_register()
