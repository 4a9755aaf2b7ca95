"""The Celery app: tenant-aware (tenant-schemas-celery), JSON only, late acks."""

import os

from tenant_schemas_celery.app import CeleryApp

from config import celery_fixes

celery_fixes.install()  # a worker outlives a Redis outage (config/celery_fixes.py says why)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = CeleryApp("heartwood", task_cls="config.celery_task:HeartwoodTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
