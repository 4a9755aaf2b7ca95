"""Settings for bench/prompts.py and the Celery workers it starts (a helper: `make bench` skips "_" files).

Heartwood's own settings, with three differences: the dedicated `heartwood_bench_prompts` database (never the dev
one, whatever DATABASE_URL names), DEBUG off (as in production: no query log growing in the workers), and
Django's file-based mail backend writing into BENCH_MAIL_DIR, so the bench can count the emails really written.
"""

from __future__ import annotations

import os
import tempfile

from config.settings.dev import *  # noqa: F403
from config.settings.dev import DATABASES

BENCH_DATABASE_NAME = "heartwood_bench_prompts"

DEBUG = False
DATABASES = {"default": {**DATABASES["default"], "NAME": BENCH_DATABASE_NAME}}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("BENCH_MAIL_DIR") or os.path.join(tempfile.gettempdir(), "heartwood-bench-mail")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SPARE_POOL_SIZE = 1
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
