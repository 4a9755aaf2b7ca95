from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Teams"

    def ready(self) -> None:
        # The teams you are in, on the home page (people.home: people cannot import teams).
        from people.home import home_section_register

        from .home_sections import TEAMS_PRIORITY, teams_section

        home_section_register("teams.mine", teams_section, priority=TEAMS_PRIORITY)

        # A team chosen when someone is invited (people.invitation_extras: people cannot import teams).
        from people.invitation_extras import invitation_extra_register

        from .invitations import EXTRA

        invitation_extra_register(EXTRA)

        # The team page's strengths map: teams' own section on its own registry.
        from .sections import team_section_register
        from .strength_sections import TEAM_PRIORITY, strengths_team_section

        team_section_register("teams.strengths", strengths_team_section, priority=TEAM_PRIORITY)
