"""URLs inside an organisation (`<slug>.<BASE_DOMAIN>`)."""

from django.urls import include, path

from people import views as people_views
from tenants import views as tenant_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("welcome/", tenant_views.welcome, name="welcome"),
    path("accounts/", include("allauth.urls")),
    path("manage/learning/", include("courses.manage_urls")),
    path("manage/feedback/", include("feedback.pulse.manage_urls")),
    path("", include("people.urls")),
    path("learn/", include("courses.urls")),
    path("verify/", include("courses.verify_urls")),  # certificates, checked by anyone
    path("", include("reflections.urls")),
    path("", include("teams.urls")),
    path("feedback/", include("feedback.urls")),
    path("", include("supervision.urls")),
    path("", include("learningsets.urls")),
]
