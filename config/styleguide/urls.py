from django.urls import path

from . import views

urlpatterns = [path("", views.style_page, name="style_page")]
