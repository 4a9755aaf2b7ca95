from django.urls import path

from . import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("clear/", views.clear, name="inbox_clear"),
    path("<str:mail_id>/", views.message, name="inbox_message"),
    path("<str:mail_id>/html/", views.message_html, name="inbox_message_html"),
]
