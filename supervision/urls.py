"""Supervision's pages: /supervision/ for the two people in it, /manage/supervision/ for admins."""

from django.urls import include, path

from . import views

app_name = "supervision"

urlpatterns = [
    path("supervision/", views.home, name="home"),
    path("supervision/with/<int:pk>/", views.relationship, name="relationship"),
    path("supervision/sessions/<int:pk>/", views.session, name="session"),
    path("supervision/sessions/<int:pk>/check-in/", views.checkin, name="checkin"),
    path("supervision/sessions/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("supervision/sessions/<int:pk>/agenda/<int:item>/remove/", views.agenda_remove, name="agenda_remove"),
    path("supervision/sessions/<int:pk>/record/", views.record_save, name="record_save"),
    path("supervision/sessions/<int:pk>/record/agree/", views.record_agree, name="record_agree"),
    path("supervision/sessions/<int:pk>/record/versions/", views.record_history, name="record_history"),
    path("supervision/sessions/<int:pk>/actions/", views.action_add, name="action_add"),
    path("supervision/sessions/<int:pk>/actions/<int:action>/review/", views.action_review, name="action_review"),
    path("supervision/sessions/<int:pk>/actions/<int:action>/done/", views.action_done, name="action_done"),
    path("supervision/sessions/<int:pk>/change/", views.reschedule, name="reschedule"),
    path("supervision/sessions/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("supervision/sessions/<int:pk>/calendar.ics", views.calendar_file, name="calendar"),
    path("manage/supervision/", views.manage, name="manage"),
    path("manage/supervision/frequency/", views.manage_frequency, name="manage_frequency"),
    path("manage/supervision/<int:pk>/end/", views.manage_end, name="manage_end"),
    path("manage/supervision/dates.csv", views.manage_csv, name="manage_csv"),
    # Growth (supervision/growth_*.py) adds its pages below.
    path("", include("supervision.growth_urls")),
]
