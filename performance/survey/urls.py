"""The survey's routes, added to performance.urls (namespace "performance")."""

from django.urls import path

from . import views

urlpatterns = [
    # Public: no account, the unguessable token is the key (accounts.middleware lets anonymous visitors by).
    path("survey/<slug:token>/", views.answer, name="survey_answer"),
    path("survey/<slug:token>/thanks/", views.thanks, name="survey_thanks"),
    path("<int:pk>/survey/", views.results, name="survey"),
    path("<int:pk>/survey/open/", views.open_survey, name="survey_open"),
    path("<int:pk>/survey/qr.png", views.qr_png, name="survey_qr"),
    path("<int:pk>/survey/poster.pdf", views.poster, name="survey_poster"),
    path("<int:pk>/survey/fill-report/", views.fill_report, name="survey_fill_report"),
]
