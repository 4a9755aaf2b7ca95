"""The organisation admin's learning report, at /manage/learning/ (included from config/urls_tenant.py)."""

from django.urls import path

from . import manage_views

app_name = "courses_manage"

urlpatterns = [
    path("", manage_views.report, name="report"),
    path("report.csv", manage_views.report_csv, name="report_csv"),
    path("report.pdf", manage_views.report_pdf, name="report_pdf"),
]
