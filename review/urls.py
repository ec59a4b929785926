from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("collective/", views.collective, name="collective"),
    path("meetings/", views.meetings, name="meetings"),
]
