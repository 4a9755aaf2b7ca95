"""The feedback app's pages: the team pulse and the four-behaviour 360, each in its own package."""

from django.urls import include, path

app_name = "feedback"

urlpatterns = [
    path("pulse/", include("feedback.pulse.urls")),
    path("360/", include("feedback.threesixty.urls")),
]
