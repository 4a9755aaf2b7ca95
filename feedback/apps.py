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
