"""The pulse, at /feedback/pulse/ (names in the `feedback` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:round_id>/", views.answer, name="pulse_answer"),
    path("team/<int:team_id>/", views.team_results, name="pulse_team"),
    path("team/<int:team_id>/open/", views.team_open, name="pulse_open"),
    path("team/<int:team_id>/close/", views.team_close, name="pulse_close"),
    path("team/<int:team_id>/rhythm/", views.team_rhythm, name="pulse_rhythm"),
]
