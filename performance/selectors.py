"""Reads about deadlines, overdue projects and the audit queue, shared by pages, panels and tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from applications.models import Application
from applications.selectors import visible_applications
from haidian_contest import rules
from haidian_contest.workflow import State

from .models import AuditPhoto, EventDocument

# Materials are outstanding only while the event runs and nothing has been handed in yet; a project
# returned for completion is followed on the audit page, not chased by the deadline again.
OUTSTANDING_STATES = frozenset({State.IN_PROGRESS})


def _deadline(end_date: date, submitted_at) -> date:
    day = timezone.localtime(submitted_at).date() if submitted_at else timezone.localdate()
    return rules.materials_deadline(end_date, ruleset=rules.ruleset_for(day))


@dataclass(frozen=True)
class Deadline:
    due: date
    today: date

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def days_overdue(self) -> int:
        return max((self.today - self.due).days, 0)

    @property
    def overdue_since(self) -> date:
        # The deadline is the last day to hand in: overdue from the day after.
        return self.due + timedelta(days=1)

    @property
    def overdue(self) -> bool:
        return self.today >= self.overdue_since


def deadline_of(application: Application, today: date | None = None) -> Deadline | None:
    if application.end_date is None:
        return None
    return Deadline(_deadline(application.end_date, application.submitted_at), today or timezone.localdate())


def outstanding_deadlines(today: date | None = None, cycle: int | None = None) -> list[tuple[int, Deadline]]:
    """(application id, deadline) of every project whose materials are still outstanding; one query."""
    today = today or timezone.localdate()
    qs = Application.objects.filter(status__in=OUTSTANDING_STATES, end_date__isnull=False)
    if cycle:
        qs = qs.filter(cycle=cycle)
    return [
        (pk, Deadline(_deadline(end, submitted), today))
        for pk, end, submitted in qs.values_list("pk", "end_date", "submitted_at")
    ]


def overdue_application_ids(cycle: int | None = None, today: date | None = None) -> frozenset[int]:
    """Ids of projects whose materials are overdue (3.5), for any queue to highlight; one query."""
    return frozenset(pk for pk, d in outstanding_deadlines(today, cycle) if d.overdue)


def audit_queue(user):
    """Projects awaiting the audit, then the ones still collecting materials; counts in the same query."""
    photos = (
        AuditPhoto.objects.filter(application=OuterRef("pk")).values("application")
        .annotate(n=Count("id")).values("n")[:1]
    )
    documents = (
        EventDocument.objects.filter(application=OuterRef("pk")).values("application")
        .annotate(n=Count("id")).values("n")[:1]
    )
    base = visible_applications(user).annotate(photo_count=Subquery(photos), document_count=Subquery(documents))
    waiting = list(
        base.filter(status=State.MATERIALS_SUBMITTED)
        .select_related("audit_materials")
        .order_by("audit_materials__submitted_at", "pk")
    )
    running = list(
        base.filter(status__in=[State.IN_PROGRESS, State.AUDIT_RETURNED]).order_by("end_date", "pk")
    )
    today = timezone.localdate()
    for app in waiting + running:
        app.deadline = deadline_of(app, today)
    return waiting, running
