"""The public pages of the winners' notice: no sign-in (see accounts.middleware.PUBLIC_PREFIXES)."""

from django.urls import path

from . import views

urlpatterns = [
    path("notices/", views.notice_list, name="public_notices"),
    path("notices/<int:notice_pk>/", views.notice_detail, name="public_notice"),
]
