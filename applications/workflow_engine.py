"""Applies the transitions declared in haidian_contest.workflow: role, state, guards, audit, notices.

Every state change of a project goes through `perform`, inside the caller's transaction, with the
project row locked so two people acting at once cannot both move it.
"""

from collections.abc import Callable
from types import ModuleType

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.roles import Role
from accounts.services import notify, users_with_role
from haidian_contest.workflow import (
    DATE_GATES, SERVICE_ONLY, TRANSITIONS, State, Transition, allowed, gate_refusal, order_refusal,
)

from .models import Application, StatusChange

GuardCheck = Callable[[Application], list[str]]
GUARDS: dict[str, GuardCheck] = {}


class WorkflowError(Exception):
    """A transition refused for a reason the user can act on; the message is Chinese."""


def register_guard(name: str):
    """Names a function as the implementation of the workflow guard `name` (see workflow.py).

    Naming does not install it: the owning app's ready() calls install_guards() with the module, so
    the wiring is one visible call per app, and applications.checks fails start-up when a guard
    named in the table has no implementation or an installed one has no name there.
    """

    def decorator(func: GuardCheck) -> GuardCheck:
        func.guard_name = name
        return func

    return decorator


def install_guards(*sources: ModuleType | GuardCheck) -> list[str]:
    """Install the guard implementations of the given modules (every function named with
    register_guard) or functions; returns the names installed."""
    funcs = []
    for source in sources:
        if isinstance(source, ModuleType):
            funcs += [f for f in vars(source).values() if callable(f) and getattr(f, "guard_name", None)]
        elif getattr(source, "guard_name", None):
            funcs.append(source)
        else:
            raise ImproperlyConfigured(f"{source!r} is not named as a workflow guard (use @register_guard).")
    for func in funcs:
        installed = GUARDS.get(func.guard_name)
        if installed is not None and installed is not func:
            raise ImproperlyConfigured(
                f"Workflow guard {func.guard_name!r} has two implementations: "
                f"{installed.__module__}.{installed.__qualname__} and {func.__module__}.{func.__qualname__}."
            )
        GUARDS[func.guard_name] = func
    return [func.guard_name for func in funcs]


def guard_failures(application: Application, transition: Transition) -> list[str]:
    reasons: list[str] = []
    for name in transition.guards:
        check = GUARDS.get(name)
        if check is None:
            # Declared but no app implements it: refuse rather than let a project through unchecked.
            reasons.append(f"系统未配置检查项“{name}”，请联系管理员。")
        else:
            reasons.extend(check(application))
    return reasons


def date_gate_refusal(application: Application, action: str, on=None) -> str | None:
    """Why haidian_contest.workflow.DATE_GATES holds the step back on that day (today by default), or None."""
    from django.utils import timezone

    from .evaluation import schedule_for

    return gate_refusal(action, schedule_for(application), on or timezone.localdate(),
                        day_label="所填日期为" if on else "今天是")


def require_date_gate(application: Application, action: str, on=None) -> None:
    """Refuse a step that haidian_contest.workflow.DATE_GATES says must wait for the event's dates."""
    refusal = date_gate_refusal(application, action, on)
    if refusal:
        raise ValidationError(refusal)


def require_order(action: str, earlier: dict, day) -> None:
    """Refuse a step dated before the one it follows (haidian_contest.workflow.ORDER_GATES)."""
    refusal = order_refusal(action, earlier, day)
    if refusal:
        raise ValidationError(refusal)


def blockers(application: Application, name: str, *, with_guards: bool = True) -> list[str]:
    """What holds the step `name` back now, for its page to show (and its button to be disabled) before
    anyone presses it: its date gate and, unless the page lists them itself, its guards' refusals."""
    reasons = []
    if name in DATE_GATES and (refusal := date_gate_refusal(application, name)):
        reasons.append(refusal)
    if with_guards:
        reasons.extend(guard_failures(application, TRANSITIONS[name]))
    return reasons


def record_event(*, application: Application, name: str, actor, comment: str) -> StatusChange:
    """Something on the record that does not move the state (e.g. a 日期调整), in the same trail."""
    return StatusChange.objects.create(application=application, transition=name, from_status=application.status,
                                       to_status=application.status, actor=actor, comment=comment)


def available_transitions(application: Application, user, *, buttons_only: bool = True) -> list[Transition]:
    """What this user may do to this project now (state and role; guards are shown, not hidden)."""
    role = getattr(user, "role", None)
    found = allowed(application.status, role)
    if buttons_only:
        found = [t for t in found if t.name not in SERVICE_ONLY]
    return found


def perform(*, application: Application, name: str, actor, comment: str = "") -> StatusChange:
    transition = TRANSITIONS[name]
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        current = State(locked.status)
        if current not in transition.sources:
            raise WorkflowError(f"项目当前状态为“{current.label}”，不能执行“{transition.label}”。")
        if not (actor and actor.is_authenticated and actor.is_active and actor.role == transition.role):
            raise PermissionDenied(f"只有{Role(transition.role).label}可以执行“{transition.label}”。")
        comment = (comment or "").strip()
        if transition.comment_required and not comment:
            raise WorkflowError(f"“{transition.label}”须填写意见或理由。")
        reasons = guard_failures(locked, transition)
        if name in DATE_GATES:
            from django.utils import timezone

            from .evaluation import schedule_for

            refusal = gate_refusal(name, schedule_for(locked), timezone.localdate())
            reasons += [refusal] if refusal else []
        if reasons:
            raise WorkflowError("；".join(reasons))
        locked.status = transition.target
        locked.save(update_fields=["status", "updated_at"])
        change = StatusChange.objects.create(
            application=locked,
            transition=name,
            from_status=current,
            to_status=transition.target,
            actor=actor,
            comment=comment,
        )
        _notify(locked, transition, comment)
    application.status = locked.status
    return change


def _notify(application: Application, transition: Transition, comment: str) -> None:
    url = reverse("applications:detail", args=[application.pk])
    text = f"“{application.title}”：{transition.label} → {transition.target.label}"
    if comment:
        text += f"（意见：{comment[:80]}）"
    next_roles = {Role(t.role) for t in allowed_any(transition.target)} - {Role.ORGANIZER}
    recipients = list(application.lead_organization.users.filter(is_active=True))
    for role in next_roles:
        recipients.extend(users_with_role(role=role))
    notify(users=recipients, text=text, url=url)


def allowed_any(state: State) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]
