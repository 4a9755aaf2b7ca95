"""A team's recurring problems, under the team's address: added to `learningsets.urls` (namespace learningsets)."""

from django.urls import path

from . import problems_views as views

P = "teams/<int:team>/problems/"

urlpatterns = [
    path(P, views.problems, name="problems"),
    path(P + "new/", views.problem_new, name="problem_new"),
    path(P + "<int:pk>/", views.problem_detail, name="problem"),
    path(P + "<int:pk>/edit/", views.problem_edit, name="problem_edit"),
]
