"""Growth's pages (included from supervision.urls): /growing/ for people, /manage/supervision/growing/ for admins."""

from django.urls import path

from . import growth_views as views

app_name = "growth"

urlpatterns = [
    path("growing/", views.home, name="home"),
    path("growing/feeling/", views.feeling, name="feeling"),
    path("growing/profile/", views.profile, name="profile"),
    path("growing/profile/edit/", views.profile_edit, name="profile_edit"),
    path("growing/suggestions/<int:pk>/answer/", views.suggestion_answer, name="suggestion_answer"),
    path("growing/people/<int:pk>/", views.person, name="person"),
    path("growing/people/<int:pk>/suggest/", views.suggest, name="suggest"),
    path("growing/offer/", views.offer, name="offer"),
    path("growing/opportunities/<int:pk>/", views.opportunity, name="opportunity"),
    path("growing/opportunities/<int:pk>/answer/", views.opportunity_answer, name="opportunity_answer"),
    path("growing/opportunities/<int:pk>/done/", views.opportunity_done, name="opportunity_done"),
    path("manage/supervision/growing/", views.manage, name="manage"),
]
