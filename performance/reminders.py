"""Deadline reminders for the performance-audit materials (3.5: two weeks after the event).

Run daily by Celery beat. Each project gets each reminder once: 7 days before the deadline, 2 days
before, and on the first overdue day. A day the worker missed is caught up on the next run with
the latest reminder that applies, never with a burst of stale ones.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import notify, users_with_role
from applications.models import Application

from .models import MaterialReminder
from .selectors import Deadline, outstanding_deadlines

DAYS_BEFORE = {"due_in_7": 7, "due_in_2": 2}


def milestone_for(deadline: Deadline) -> str | None:
    if deadline.overdue:
        return "overdue"
    if deadline.days_left <= DAYS_BEFORE["due_in_2"]:
        return "due_in_2"
    if deadline.days_left <= DAYS_BEFORE["due_in_7"]:
        return "due_in_7"
    return None


def _text(application: Application, milestone: str, deadline: Deadline) -> str:
    due = deadline.due.strftime("%Y年%m月%d日")
    if milestone == "overdue":
        return f"“{application.title}”的绩效审核材料已逾期：提交截止日为{due}（三（五）），请尽快提交。"
    return (f"“{application.title}”的绩效审核材料须于{due}前提交（三（五）），"
            f"还剩 {deadline.days_left} 天。")


def send_material_reminders(today: date | None = None) -> int:
    """Send today's reminders; returns how many projects were reminded."""
    today = today or timezone.localdate()
    sent = 0
    due = [(pk, d, milestone_for(d)) for pk, d in outstanding_deadlines(today)]
    due = [(pk, d, m) for pk, d, m in due if m]
    if not due:
        return 0
    apps = Application.objects.select_related("lead_organization").in_bulk([pk for pk, _d, _m in due])
    reviewers = list(users_with_role(role=Role.REVIEWER))
    for pk, deadline, milestone in due:
        application = apps[pk]
        try:
            with transaction.atomic():
                # The unique constraint, not a prior read, is what keeps two runs from both sending.
                MaterialReminder.objects.create(application=application, milestone=milestone, deadline=deadline.due)
                recipients = list(application.lead_organization.users.filter(is_active=True))
                if milestone == "overdue":
                    recipients += reviewers
                notify(users=recipients, text=_text(application, milestone, deadline),
                       url=reverse("performance:materials", args=[application.pk]))
        except IntegrityError:
            continue
        sent += 1
    return sent
