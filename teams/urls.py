from django.urls import path

from . import strength_views, views

app_name = "teams"

urlpatterns = [
    path("teams/", views.my_teams, name="mine"),
    path("teams/<int:pk>/", views.team_detail, name="detail"),
    path("teams/strengths/", strength_views.my_strengths, name="strengths"),
    path("manage/teams/", views.manage_teams, name="manage"),
    path("manage/teams/<int:pk>/", views.manage_team, name="manage_team"),
    path("manage/teams/<int:pk>/archive/", views.manage_archive, name="manage_archive"),
    path("manage/teams/<int:pk>/restore/", views.manage_restore, name="manage_restore"),
    path("manage/teams/<int:pk>/members/", views.manage_member_add, name="manage_member_add"),
    path("manage/teams/<int:pk>/members/<int:membership>/lead/", views.manage_lead, name="manage_lead"),
    path("manage/teams/<int:pk>/members/<int:membership>/end/", views.manage_member_end, name="manage_member_end"),
]
