from django.contrib import messages
from django.core.exceptions import ValidationError

from accounts.roles import Role
from applications.workflow_engine import WorkflowError

# Union staff may read the review pages; only the role a transition names may act.
READERS = (Role.REVIEWER, Role.APPROVER, Role.FINANCE, Role.AUDITOR, Role.ADMIN)


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def attempt(request, func, *args, success: str = "", **kwargs):
    """Run a service; a refusal the user can act on becomes a Chinese message, not a 500.

    Returns (ok, result).
    """
    try:
        result = func(*args, **kwargs)
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return False, None
    if success:
        messages.success(request, success)
    return True, result
