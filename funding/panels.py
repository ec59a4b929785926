"""The funding section of the project page: schedule and payment status (the organizer sees its own)."""

from accounts.roles import Role
from applications.panels import Panel
from haidian_contest.workflow import APPROVED_STATES, State

from . import selectors


def panel_context(request, application):
    if application.state not in APPROVED_STATES:
        return None
    role = request.user.role
    return {
        "ledger": selectors.project_ledger(application),
        "application": application,
        "is_finance": role == Role.FINANCE,
        "can_record": role == Role.REVIEWER and application.state == State.APPROVED,
    }


PANEL = Panel(key="funding", title="合作协议与资金拨付", template="funding/_panel.html", context=panel_context, order=60,
              shown=lambda user, application: application.state in APPROVED_STATES)
