from django.urls import path

from . import views

app_name = "rosters"
urlpatterns = [path("first-prizes/", views.first_prize_register, name="first_prize_register")]
