"""URLs of the public site: landing, sign-up, operator console, operator accounts, Django admin."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tenants import views as tenant_views

# Operators sign in to the admin through allauth (rate limited, two-step sign-in when set up), never through the
# admin's own form, which has neither.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", tenant_views.landing, name="landing"),
    path("signup/", tenant_views.signup, name="signup"),
    path("find/", tenant_views.find_organisation, name="find_organisation"),
    path("terms/", tenant_views.terms, name="terms"),
    path("console/", tenant_views.console, name="console"),
    path("console/workers/", tenant_views.console_workers, name="console_workers"),
    path("console/<int:pk>/", tenant_views.console_organisation, name="console_organisation"),
    path("console/<int:pk>/approve/", tenant_views.console_approve, name="console_approve"),
    path("console/<int:pk>/decline/", tenant_views.console_decline, name="console_decline"),
    path("console/<int:pk>/suspend/", tenant_views.console_suspend, name="console_suspend"),
    path("console/<int:pk>/reactivate/", tenant_views.console_reactivate, name="console_reactivate"),
    path("console/<int:pk>/delete/", tenant_views.console_delete, name="console_delete"),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
]

# The local inbox of `make run` (config.inbox): only where development settings set LOCAL_INBOX_DIR.
if getattr(settings, "LOCAL_INBOX_DIR", None):
    urlpatterns.append(path("inbox/", include("config.inbox.urls")))

# The living style page of `make run` (config.styleguide): only where development settings turn it on.
if settings.DEBUG and getattr(settings, "STYLE_PAGE", False):
    urlpatterns.append(path("style/", include("config.styleguide.urls")))
