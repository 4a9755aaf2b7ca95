from django.urls import path

from . import views

app_name = "learningsets"

M = "sets/<int:pk>/meetings/<int:meeting>/"

urlpatterns = [
    path("sets/", views.sets_home, name="home"),
    path("sets/new/", views.set_new, name="new"),
    path("sets/<int:pk>/", views.set_detail, name="detail"),
    path("sets/<int:pk>/accept/", views.set_accept, name="accept"),
    path("sets/<int:pk>/decline/", views.set_decline, name="decline"),
    path("sets/<int:pk>/leave/", views.set_leave, name="leave"),
    path("sets/<int:pk>/members/", views.member_invite, name="member_invite"),
    path("sets/<int:pk>/members/<int:place>/remove/", views.member_remove, name="member_remove"),
    path("sets/<int:pk>/facilitator/", views.facilitator_hand_over, name="facilitator_hand_over"),
    path("sets/<int:pk>/rhythm/", views.rhythm, name="rhythm"),
    path("sets/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path(M, views.meeting_detail, name="meeting"),
    path(M + "edit/", views.meeting_edit, name="meeting_edit"),
    path(M + "cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(M + "meeting.ics", views.meeting_calendar, name="meeting_ics"),
    path(M + "presenter/", views.meeting_presenter, name="meeting_presenter"),
    path(M + "brief/", views.meeting_brief, name="meeting_brief"),
    path(M + "questions/", views.question_add, name="question_add"),
    path(M + "action/", views.action_record, name="action"),
    path(M + "report/", views.report_record, name="report"),
    path(M + "attendance/", views.attendance_record, name="attendance"),
    path("manage/sets/", views.manage_sets, name="manage"),
    path("manage/sets/<int:pk>/", views.manage_set, name="manage_set"),
    path("manage/sets/<int:pk>/facilitator/", views.manage_set_facilitator, name="manage_set_facilitator"),
]

# A team's recurring problems (/teams/<team>/problems/): learningsets/problems_urls.py.
from .problems_urls import urlpatterns as problems_urlpatterns  # noqa: E402

urlpatterns += problems_urlpatterns
