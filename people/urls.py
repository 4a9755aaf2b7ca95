from django.urls import path

from . import join_views, views

app_name = "people"

urlpatterns = [
    path("manage/", views.manage, name="manage"),
    path("manage/people/", views.members, name="members"),
    path("manage/people/add/", join_views.person_add, name="person_add"),
    path("manage/people/<int:pk>/", views.member_detail, name="member"),
    path("manage/people/<int:pk>/join-code/", join_views.join_code_new, name="join_code_new"),
    path("manage/people/<int:pk>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("manage/people/<int:pk>/reactivate/", views.member_reactivate, name="member_reactivate"),
    path("manage/invitations/", views.invitations, name="invitations"),
    path("manage/invitations/upload/", views.invitations_upload, name="invitations_upload"),
    path("manage/invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("manage/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("manage/pairings/", views.pairings, name="pairings"),
    path("manage/pairings/<int:pk>/end/", views.pairing_end, name="pairing_end"),
    path("manage/settings/", views.organisation_settings, name="settings"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("join/", join_views.join, name="join"),
]
