"""An app config for `config` itself, installed by production settings only: it registers the start-up checks."""

from django.apps import AppConfig


class HeartwoodConfig(AppConfig):
    name = "config"
    label = "heartwood_config"
    verbose_name = "Heartwood configuration"

    def ready(self) -> None:
        from django.core import checks

        from config.checks import production_settings

        checks.register(production_settings)
