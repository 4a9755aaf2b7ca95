"""The test suite: real PostgreSQL and Redis, on Redis databases of their own."""

import os

from .local_services import use_embedded_services_when_unset

use_embedded_services_when_unset()

from .base import *  # noqa: E402, F403
from .base import REDIS_URL  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-key"
SITE_PORT = ""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests must never share (and `cache.clear()`) the development Redis databases.
REDIS_DB_CACHE, REDIS_DB_BROKER, REDIS_DB_RESULTS = 10, 11, 12
CACHES["default"]["LOCATION"] = f"{REDIS_URL}/{REDIS_DB_CACHE}"  # noqa: F405
CELERY_BROKER_URL = f"{REDIS_URL}/{REDIS_DB_BROKER}"
CELERY_RESULT_BACKEND = f"{REDIS_URL}/{REDIS_DB_RESULTS}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# One test database per run, so several runs on one machine (or developers' helpers) never collide.
DATABASES["default"]["TEST"] = {"NAME": f"test_heartwood_{os.getpid()}"}  # noqa: F405
CONN_MAX_AGE = 0
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
TENANT_HOST_CACHE_SECONDS = 30
