"""The public certificate check at /verify/ (included from config/urls_tenant.py)."""

from django.urls import path

from . import verify

app_name = "verify"

urlpatterns = [
    path("", verify.verify_form, name="form"),
    path("<str:reference>/", verify.verify_check, name="check"),
]
