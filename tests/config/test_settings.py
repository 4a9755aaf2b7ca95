from django.conf import settings

ACCOUNT_APPS = [
    "django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions", "people",
    "allauth", "allauth.account", "allauth.mfa", "allauth.usersessions",
]


def test_accounts_and_sessions_live_at_both_levels():
    for app in ACCOUNT_APPS:
        assert app in settings.SHARED_APPS, app
        assert app in settings.TENANT_APPS, app


def test_app_split():
    assert settings.SHARED_APPS[0] == "django_tenants"
    assert {"tenants", "django.contrib.admin"} <= set(settings.SHARED_APPS)
    assert {"courses", "reflections"} <= set(settings.TENANT_APPS)
    assert "courses" not in settings.SHARED_APPS and "reflections" not in settings.SHARED_APPS
    assert "tenants" not in settings.TENANT_APPS
    assert "django.contrib.sites" not in settings.INSTALLED_APPS
    assert settings.AUTH_USER_MODEL == "people.User"


def test_middleware_order():
    mw = settings.MIDDLEWARE
    # Probes first (any Host, no routing); then the headers every page gets; then the organisation's routing,
    # before anything that reads the Host (CommonMiddleware) or the database.
    assert mw[:4] == [
        "tenants.middleware.ProbeMiddleware", "csp.middleware.CSPMiddleware",
        "django_permissions_policy.PermissionsPolicyMiddleware", "tenants.middleware.OrganisationMiddleware",
    ]
    assert mw.index("django.middleware.common.CommonMiddleware") > 3
    auth = mw.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert mw.index("allauth.account.middleware.AccountMiddleware") > auth
    assert mw.index("allauth.usersessions.middleware.UserSessionsMiddleware") > auth
    assert mw.index("django.contrib.sessions.middleware.SessionMiddleware") < auth


def test_cookies_are_host_only_and_cache_keys_carry_the_schema():
    assert settings.SESSION_COOKIE_DOMAIN is None
    assert settings.CSRF_COOKIE_DOMAIN is None
    cache = settings.CACHES["default"]
    assert cache["BACKEND"] == "config.cache.ForgivingRedisCache"  # Django's RedisCache, forgiving while Redis is down
    assert cache["KEY_FUNCTION"] == "django_tenants.cache.make_key"
    assert cache["REVERSE_KEY_FUNCTION"] == "django_tenants.cache.reverse_key"


def test_redis_databases_are_separate():
    urls = {settings.CACHES["default"]["LOCATION"], settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND}
    assert len(urls) == 3


def test_login_settings_email_or_username_and_sign_up_by_email_only():
    assert settings.ACCOUNT_LOGIN_METHODS == {"email", "username"}
    assert settings.ACCOUNT_USER_MODEL_USERNAME_FIELD == "username"
    assert settings.ACCOUNT_SIGNUP_FIELDS == ["email*", "password1*", "password2*"]
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"


def test_celery_settings():
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_TIME_LIMIT > settings.CELERY_TASK_SOFT_TIME_LIMIT > 0
    assert settings.CELERY_TASK_TENANT_CACHE_SECONDS == 0
