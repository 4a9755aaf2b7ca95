from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Organisations"

    def ready(self) -> None:
        # migrate_schemas finds executors among MigrationExecutor's subclasses by codename: import to register.
        from . import migrating, signals  # noqa: F401
