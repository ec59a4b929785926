from django.urls import path

from . import views_calls, views, views_catalogue, views_files, views_targets

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("rules-panel/", views.rules_panel, name="rules_panel_new"),
    path("catalogue/", views_catalogue.catalogue_page, name="catalogue"),
    path("occupations/search/", views_catalogue.occupation_search, name="occupation_search"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/rules-panel/", views.rules_panel, name="rules_panel"),
    path("<int:pk>/trades/new/", views.trade_edit, name="trade_create"),
    path("<int:pk>/trades/<int:trade_pk>/", views.trade_edit, name="trade_edit"),
    path("<int:pk>/targets/", views_targets.targets_edit, name="targets"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views_files.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/versions/<int:number>/diff/", views.version_diff, name="version_diff"),
    path("<int:pk>/changes/", views.draft_changes, name="draft_changes"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/export.xlsx", views_files.export_xlsx, name="export_xlsx"),
    path("<int:pk>/export.pdf", views_files.export_pdf, name="export_pdf"),
    # The year's call for applications (年度申报通知).
    path("calls/", views_calls.call_list, name="calls"),
    path("calls/new/", views_calls.call_edit, name="call_create"),
    path("calls/<int:call_pk>/", views_calls.call_detail, name="call"),
    path("calls/<int:call_pk>/edit/", views_calls.call_edit, name="call_edit"),
    path("calls/<int:call_pk>/attachments/<int:attachment_pk>/", views_calls.call_attachment, name="call_attachment"),
]
