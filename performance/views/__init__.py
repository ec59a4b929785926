from .audit import audit, audit_queue, supervision
from .exports import export_project, export_year, job, job_download, year_summary
from .self_evaluation import self_evaluation, self_evaluation_file
from .files import document_file, photo_file, photo_thumbnail, stamped_file, supervision_photo, video_file
from .materials import (
    add_document,
    delete_document,
    delete_photo,
    materials,
    refill_report,
    save_justifications,
    save_recording,
    save_report,
    save_spending,
    submit,
    upload_photos,
    upload_stamped,
    upload_video,
    video_location,
)

__all__ = [
    "audit", "audit_queue", "supervision", "export_project", "export_year", "job", "job_download",
    "year_summary", "document_file", "photo_file", "photo_thumbnail", "stamped_file", "supervision_photo",
    "video_file", "add_document", "delete_document", "delete_photo", "materials", "refill_report",
    "save_justifications", "save_recording", "save_report", "save_spending", "submit", "upload_photos",
    "upload_stamped", "upload_video", "video_location", "self_evaluation", "self_evaluation_file",
]
