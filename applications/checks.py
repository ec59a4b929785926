"""System checks (django.core.checks) for the workflow wiring: run by `manage.py check`, runserver,
migrate and deploy/production.sh, so a guard named in haidian_contest/workflow.py without an
implementation stops the start, not the first project that reaches that transition."""

from django.core import checks

from haidian_contest.workflow import TRANSITIONS

TAG = "workflow"


def check_workflow_guards(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from .workflow_engine import GUARDS

    named = {guard: name for name, t in TRANSITIONS.items() for guard in t.guards}
    errors = []
    for guard, transition in sorted(named.items()):
        if guard not in GUARDS:
            errors.append(checks.Error(
                f"Workflow guard {guard!r} (transition {transition!r}) has no implementation.",
                hint="Name a function with @workflow_engine.register_guard and install it in its app's "
                     "ready() with workflow_engine.install_guards().",
                id="workflow.E001",
            ))
    for guard in sorted(set(GUARDS) - set(named)):
        func = GUARDS[guard]
        errors.append(checks.Error(
            f"Workflow guard {guard!r} ({func.__module__}.{func.__qualname__}) is installed but no "
            "transition in haidian_contest/workflow.py names it.",
            hint="Add it to the transition's guards, or remove the implementation.",
            id="workflow.E002",
        ))
    return errors


def register() -> None:
    checks.register(check_workflow_guards, TAG)
