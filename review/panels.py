"""The review step's section of the project page (applications.panels): opinions, waiver
decisions, collective decision and the party group's decision."""

from accounts.roles import Role
from applications import panels

from .selectors import approval_notice_for, review_history

TEMPLATE = "review/panel.html"


def panel_context(request, application) -> dict | None:
    history = review_history(application)
    if not (history["reviews"] or history["collective"] or history["agenda"] or history["returns"]):
        return None
    user = getattr(request, "user", None)
    role = getattr(user, "role", None)
    history.update(
        application=application,
        # The checklist and internal opinion are the department's working notes; the organizer is
        # shown the decisions that concern it (waivers, return comments, the group's decision).
        show_internal=role not in (Role.ORGANIZER, None),
        can_review=role == Role.REVIEWER,
    )
    return {"review": history, "approval_notice": approval_notice_for(application, user)}


def register() -> None:
    panels.register(panels.Panel(key="review", title="审核与立项", template=TEMPLATE, context=panel_context, order=20,
                                 shown=lambda user, application: bool(application.submitted_version)))
