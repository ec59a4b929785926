"""Reads for the public notice page, the department's objection queue, the project page and the PDF."""

from dataclasses import dataclass, field
from datetime import timedelta
from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .models import NoticeEntry, Objection, PublicNotice

# Ended notices stay on the public page this long, so a visitor can still see what was published.
RECENTLY_ENDED = timedelta(days=30)


@dataclass
class TradeBlock:
    trade_name: str
    entries: list


def public_notices(now=None):
    """Notices in period and those ended within RECENTLY_ENDED, newest first; withdrawn ones never."""
    now = now or timezone.now()
    return (PublicNotice.objects.filter(withdrawn_at__isnull=True, ends_at__gte=now - RECENTLY_ENDED)
            .select_related("application__lead_organization")
            .prefetch_related(Prefetch("entries", queryset=NoticeEntry.objects.order_by("position")))
            .order_by("-published_at", "-id"))


def public_notice(pk: int, now=None) -> PublicNotice | None:
    return public_notices(now).filter(pk=pk).first()


def trade_blocks(notice: PublicNotice) -> list[TradeBlock]:
    entries = list(notice.entries.all())
    return [TradeBlock(name, list(rows)) for name, rows in groupby(entries, key=lambda e: e.trade_name)]


@dataclass
class ProjectNotices:
    live: PublicNotice | None
    history: list = field(default_factory=list)  # every notice, newest first
    objections: list = field(default_factory=list)
    open_count: int = 0

    @property
    def count(self) -> int:
        return len(self.objections)


def project_notices(application) -> ProjectNotices:
    notices = list(PublicNotice.objects.filter(application=application).select_related("published_by", "withdrawn_by")
                   .annotate(n_entries=Count("entries")).order_by("-published_at", "-id"))
    objections = list(Objection.objects.filter(notice__application=application)
                      .prefetch_related("handlings__actor").order_by("submitted_at", "id"))
    return ProjectNotices(
        live=next((n for n in notices if not n.withdrawn), None), history=notices, objections=objections,
        open_count=sum(1 for o in objections if not o.settled),
    )


def objection_queue(*, only_open: bool = False):
    qs = Objection.objects.select_related("notice__application").order_by("-submitted_at", "-id")
    if only_open:
        qs = qs.exclude(outcome__in=Objection.FINAL)
    return qs


def open_objection_count() -> int:
    return Objection.objects.filter(~Q(outcome__in=Objection.FINAL)).count()
