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
