"""The Celery app: tenant-aware (tenant-schemas-celery), JSON only, late acks."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = CeleryApp("heartwood", task_cls="config.celery_task:HeartwoodTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
