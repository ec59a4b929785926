from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("audit/", views.audit_queue, name="audit_queue"),
    path("year/", views.year_summary, name="year_summary"),
    path("year/<int:cycle>/export/<str:kind>/", views.export_year, name="export_year"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
    path("<int:pk>/", views.materials, name="materials"),
    path("<int:pk>/report/", views.save_report, name="save_report"),
    path("<int:pk>/report/refill/", views.refill_report, name="refill_report"),
    path("<int:pk>/report/stamped/", views.upload_stamped, name="upload_stamped"),
    path("<int:pk>/report/stamped/file/", views.stamped_file, name="stamped_file"),
    path("<int:pk>/photos/", views.upload_photos, name="upload_photos"),
    path("<int:pk>/photos/<int:photo_id>/", views.photo_file, name="photo_file"),
    path("<int:pk>/photos/<int:photo_id>/thumbnail/", views.photo_thumbnail, name="photo_thumbnail"),
    path("<int:pk>/photos/<int:photo_id>/delete/", views.delete_photo, name="delete_photo"),
    path("<int:pk>/video/", views.upload_video, name="upload_video"),
    path("<int:pk>/video/location/", views.video_location, name="video_location"),
    path("<int:pk>/video/file/", views.video_file, name="video_file"),
    path("<int:pk>/recording/", views.save_recording, name="save_recording"),
    path("<int:pk>/spending/", views.save_spending, name="save_spending"),
    path("<int:pk>/justifications/", views.save_justifications, name="save_justifications"),
    path("<int:pk>/documents/", views.add_document, name="add_document"),
    path("<int:pk>/documents/<int:document_id>/", views.document_file, name="document_file"),
    path("<int:pk>/documents/<int:document_id>/delete/", views.delete_document, name="delete_document"),
    path("<int:pk>/submit/", views.submit, name="submit_materials"),
    path("<int:pk>/supervision/", views.supervision, name="supervision"),
    path("<int:pk>/supervision/photos/<int:photo_id>/", views.supervision_photo, name="supervision_photo"),
    path("<int:pk>/audit/", views.audit, name="audit"),
    path("<int:pk>/self-evaluation/", views.self_evaluation, name="self_evaluation"),
    path("<int:pk>/self-evaluation.<str:fmt>", views.self_evaluation_file, name="self_evaluation_file"),
    path("<int:pk>/export/<str:kind>/", views.export_project, name="export_project"),
]

from .survey.urls import urlpatterns as survey_urlpatterns  # noqa: E402

urlpatterns += survey_urlpatterns
