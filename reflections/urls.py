from django.urls import path

from . import prompt_views, views

app_name = "reflections"

urlpatterns = [
    path("journal/", views.journal, name="journal"),
    path("journal/new/", views.entry_new, name="entry_new"),
    path("journal/autosave/", views.entry_autosave, name="entry_autosave"),
    path("journal/prompts/", prompt_views.prompts_page, name="prompts"),
    path("journal/prompts/stop/<str:token>/", prompt_views.prompts_stop, name="prompts_stop"),
    path("journal/prompts/cards/<int:pk>/write/", prompt_views.prompt_card_write, name="prompt_card_write"),
    path("journal/prompts/cards/<int:pk>/dismiss/", prompt_views.prompt_card_dismiss, name="prompt_card_dismiss"),
    path("manage/prompts/", prompt_views.prompts_defaults, name="prompts_defaults"),
    path("mentoring/digest/", prompt_views.mentoring_digest, name="mentoring_digest"),
    path("journal/account/", views.account, name="account"),
    path("journal/account/export/", views.journal_export, name="export"),
    path("journal/account/import/", views.journal_import, name="import"),
    path("journal/account/delete/", views.account_delete, name="account_delete"),
    path("journal/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("journal/<int:pk>/seen/", views.entry_seen, name="entry_seen"),
    path("journal/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("journal/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("journal/<int:pk>/share/", views.entry_share, name="entry_share"),
    path("journal/<int:pk>/unshare/<int:mentor_id>/", views.entry_unshare, name="entry_unshare"),
    path("journal/<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("journal/<int:pk>/acknowledge/", views.entry_acknowledge, name="entry_acknowledge"),
    path("journal/comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("journal/comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("mentoring/", views.mentoring, name="mentoring"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
