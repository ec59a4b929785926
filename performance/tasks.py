"""Celery tasks of the performance app: thumbnails, the daily reminders, generated exports."""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def make_photo_thumbnail(photo_id: int) -> bool:
    import io

    from haidian_contest.inspection import make_thumbnail
    from .models import AuditPhoto

    photo = AuditPhoto.objects.filter(pk=photo_id).first()
    if photo is None or photo.thumbnail:
        return False
    buffer = io.BytesIO()
    with photo.file.open("rb") as source:
        make_thumbnail(source, buffer)
    photo.thumbnail.save(f"{photo.pk}.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.save(update_fields=["thumbnail"])
    return True


@shared_task(name="performance.tasks.send_material_reminders")
def send_material_reminders() -> int:
    from .reminders import send_material_reminders as send

    return send()


@shared_task(acks_late=True)
def build_export(job_id: int) -> str:
    from .exports import build, save_result
    from .models import ExportJob

    job = ExportJob.objects.select_related("application").get(pk=job_id)
    if job.status == "done":
        return job.file.name

    def progress(pct: int, step: str) -> None:
        ExportJob.objects.filter(pk=job.pk).update(status="running", progress=min(pct, 99), step=step[:100])

    progress(5, "开始生成")
    try:
        filename, content = build(job, progress)
    except Exception:
        logger.exception("export %s failed", job_id)
        # Not re-raised: with eager Celery that would turn the requesting page into a 500; the job
        # page shows the failure and a new request starts over.
        ExportJob.objects.filter(pk=job.pk).update(status="failed", step="生成失败，请重试", finished_at=timezone.now())
        return ""
    job.refresh_from_db()
    save_result(job, filename, content)
    return job.file.name
