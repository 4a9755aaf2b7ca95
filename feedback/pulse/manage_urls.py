"""The admins' feedback page, at /manage/feedback/: participation per team and the organisation's k."""

from django.urls import path

from . import views

app_name = "feedback_manage"

urlpatterns = [
    path("", views.manage, name="index"),
]
