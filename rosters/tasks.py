from celery import shared_task


@shared_task(name="rosters.process_version", acks_late=True)
def process_version(version_id: int) -> str:
    from .pipeline import process

    return process(version_id).status
