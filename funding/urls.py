from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [path("", views.queue, name="queue"), path("ledger/", views.ledger, name="ledger")]
