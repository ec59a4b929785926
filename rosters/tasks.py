from celery import shared_task
from django.conf import settings


@shared_task(bind=True, name="rosters.process_version", acks_late=True, max_retries=3)
def process_version(self, version_id: int) -> str:
    from .pipeline import process

    version = process(version_id)
    if not version.done and not self.request.is_eager:
        # Another run holds the version (a duplicate delivery, or a worker that died moments ago and
        # whose task came straight back). Look again once that run would count as stalled.
        raise self.retry(countdown=settings.ROSTER_IMPORT_STALE_SECONDS + 30)
    return version.status
