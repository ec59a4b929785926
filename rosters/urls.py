from django.urls import path

from . import views, views_register
from .publicity import views as publicity

app_name = "rosters"
urlpatterns = [
    path("first-prizes/", views_register.first_prize_register, name="first_prize_register"),
    path("first-prizes/template/", views_register.first_prize_template, name="first_prize_template"),
    path("project/<int:pk>/", views.project_rosters, name="project"),
    path("project/<int:pk>/template/<str:kind>/", views.template_download, name="template"),
    path("project/<int:pk>/upload/<str:kind>/", views.upload, name="upload"),
    path("project/<int:pk>/versions/<int:version_pk>/", views.version_detail, name="version"),
    path("project/<int:pk>/versions/<int:version_pk>/status/", views.version_status, name="version_status"),
    path("project/<int:pk>/versions/<int:version_pk>/retry/", views.retry, name="retry"),
    path("project/<int:pk>/versions/<int:version_pk>/file/<str:which>/", views.version_file, name="version_file"),
    path("project/<int:pk>/versions/<int:version_pk>/waivers/", views.waivers, name="waivers"),
    path("project/<int:pk>/counts/", views.count_justification, name="count_justification"),
    path("project/<int:pk>/participants/", views.participant_list, name="participants"),
    path("project/<int:pk>/participants/<int:participant_pk>/full-id/", views.reveal_full_id, name="full_id"),
    path("project/<int:pk>/winners/", views.winner_list, name="winners"),
    path("project/<int:pk>/winners/plan-waiver/", views.plan_waiver, name="plan_waiver"),
    path("project/<int:pk>/export/<str:kind>/", views.export, name="export"),
    path("project/<int:pk>/notice/publish/", publicity.publish, name="notice_publish"),
    path("project/<int:pk>/notice/withdraw/", publicity.withdraw, name="notice_withdraw"),
    path("objections/", publicity.objection_queue, name="objections"),
    path("objections/<int:objection_pk>/", publicity.objection_detail, name="objection"),
    path("objections/<int:objection_pk>/file/", publicity.objection_file, name="objection_file"),
]
