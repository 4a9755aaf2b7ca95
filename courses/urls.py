from django.urls import path

from . import manage_views, views

app_name = "courses"

urlpatterns = [
    path("", views.home, name="home"),
    path("cpd/", views.cpd_record, name="cpd"),
    path("cpd/record.csv", views.cpd_csv, name="cpd_csv"),
    path("cpd/record.pdf", views.cpd_pdf, name="cpd_pdf"),
    path("cpd/<slug:module_slug>/certificate/", views.certificate, name="certificate"),
    path("cpd/<slug:module_slug>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("completed/<slug:module_slug>/", views.module_completed, name="module_completed"),
    # Organisation admins (404 for everyone else).
    path("manage/", manage_views.manage_home, name="manage"),
    path("manage/modules/new/", manage_views.module_new, name="manage_module_new"),
    path("manage/modules/<int:pk>/", manage_views.module_edit, name="manage_module_edit"),
    path("manage/modules/<int:pk>/move/", manage_views.module_move, name="manage_module_move"),
    path("manage/modules/<int:pk>/settings/", manage_views.module_settings, name="manage_module_settings"),
    path("manage/modules/<int:pk>/lessons/new/", manage_views.lesson_new, name="manage_lesson_new"),
    path("manage/lessons/<int:pk>/", manage_views.lesson_edit, name="manage_lesson_edit"),
    path("manage/lessons/<int:pk>/move/", manage_views.lesson_move, name="manage_lesson_move"),
    # Learning. Fixed paths above come first, so a module slug can never hide them.
    path("<slug:module_slug>/", views.module_detail, name="module"),
    path("<slug:module_slug>/self-check/", views.self_check, name="self_check"),
    path("<slug:module_slug>/self-check/result/", views.self_check_result, name="self_check_result"),
    path("<slug:module_slug>/<slug:lesson_slug>/", views.lesson_detail, name="lesson"),
    path("<slug:module_slug>/<slug:lesson_slug>/done/", views.lesson_done, name="lesson_done"),
    path("<slug:module_slug>/<slug:lesson_slug>/seen/", views.lesson_seen, name="lesson_seen"),
    path("<slug:module_slug>/<slug:lesson_slug>/tried/", views.practice_tried, name="practice_tried"),
]
