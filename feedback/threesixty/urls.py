"""The four-behaviour 360, at /feedback/360/ (feedback.urls)."""

from django.urls import path

from . import views

app_name = "threesixty"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/unshare/<int:mentor_id>/", views.unshare, name="unshare"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("r/<str:token>/", views.answer_link, name="answer_link"),
    path("thanks/", views.thanks, name="thanks"),
]
