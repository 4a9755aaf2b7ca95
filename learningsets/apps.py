from django.apps import AppConfig


class LearningSetsConfig(AppConfig):
    name = "learningsets"
    verbose_name = "Action learning sets"

    def ready(self) -> None:
        # Sets: the home section, journal entries about a meeting, attended meetings on the CPD record (people,
        # reflections and courses cannot import learningsets: each offers a registry).
        from courses.cpd import cpd_source_register
        from people.home import home_section_register
        from reflections.about import about_register

        from . import about, cpd, home_sections

        home_section_register("learningsets.mine", home_sections.sets_section, priority=home_sections.HOME_PRIORITY)
        about_register(about.ABOUT_KIND, about.meeting_about)
        cpd_source_register("learningsets.meetings", cpd.set_meetings, rule=cpd.RULE)
        # A team's recurring problems (learningsets/problems_*): registered below by their own lines.
        from teams.sections import team_section_register

        from .problems_sections import TEAM_PRIORITY, problems_team_section

        team_section_register("learningsets.problems", problems_team_section, priority=TEAM_PRIORITY)
