from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback"

    def ready(self) -> None:
        # The home page and the team page show the pulse (people and teams cannot import feedback).
        from people.home import home_section_register
        from teams.sections import team_section_register

        from .pulse import sections as pulse_sections

        home_section_register("feedback.pulse", pulse_sections.pulse_waiting_section,
                              priority=pulse_sections.HOME_PRIORITY)
        team_section_register("feedback.pulse", pulse_sections.pulse_team_section,
                              priority=pulse_sections.TEAM_PRIORITY)
        self._threesixty_ready()

    def _threesixty_ready(self) -> None:
        # The home page asks raters for their 360 answers; a journal entry can be "about" a 360.
        from people.home import home_section_register

        from .threesixty import about, home

        home_section_register("feedback.threesixty", home.threesixty_section, priority=home.HOME_PRIORITY)
        about.about_links_register()
