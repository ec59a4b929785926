"""House rule (issue 20): services take the acting user and keyword-only arguments.

Every public function defined in an app's services.py, and the business actions that live in other
modules, accepts keywords only (so a call reads `release_tranche(application=…, number=1, actor=…)`
and a reordered parameter can never pay the wrong tranche), names the acting user `actor`, and never
takes the HTTP request: a view passes what the service needs (the user, the client address), so the
same service runs from a view, a task, the demo and a test alike.
"""

import importlib
import inspect

import pytest

SERVICE_MODULES = [
    "accounts.services",
    "applications.services",
    "review.services",
    "funding.services",
    "performance.services",
    "rosters.services",
]

# Business actions outside a services.py (module: functions).
OTHER_ACTIONS = {
    "accounts.registration": [
        "register_unit", "confirm_email", "approve_registration", "return_registration", "request_account",
        "decide_account_request", "set_organization_active",
    ],
    "applications.calls": ["create_call", "update_call", "add_attachments", "extend_call"],
    "applications.workflow_engine": ["perform", "record_event"],
    "applications.catalogue": ["import_occupations"],
    "performance.audit": ["decide_audit"],
    "performance.exports": ["request_export"],
    "rosters.exports": ["export_current"],
    "dashboard.search": ["search"],
}

ALLOWED_KINDS = {inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD}


def _public_functions(module_name):
    module = importlib.import_module(module_name)
    return [
        (f"{module_name}.{name}", func)
        for name, func in vars(module).items()
        if inspect.isfunction(func) and not name.startswith("_") and func.__module__ == module_name
    ]


def _actions():
    found = []
    for module_name in SERVICE_MODULES:
        found += _public_functions(module_name)
    for module_name, names in OTHER_ACTIONS.items():
        module = importlib.import_module(module_name)
        found += [(f"{module_name}.{name}", getattr(module, name)) for name in names]
    return found


def _unwrapped(func):
    return inspect.signature(inspect.unwrap(func))


def test_every_services_module_defines_public_functions():
    for module_name in SERVICE_MODULES:
        assert _public_functions(module_name), module_name


@pytest.mark.parametrize(("name", "func"), _actions(), ids=lambda v: v if isinstance(v, str) else "")
def test_service_takes_keyword_only_arguments(name, func):
    wrong = [p.name for p in _unwrapped(func).parameters.values() if p.kind not in ALLOWED_KINDS]
    assert not wrong, f"{name}: positional parameters {wrong}; write def {func.__name__}(*, …)"


@pytest.mark.parametrize(("name", "func"), _actions(), ids=lambda v: v if isinstance(v, str) else "")
def test_service_takes_the_acting_user_as_actor_and_never_the_request(name, func):
    params = _unwrapped(func).parameters
    assert "request" not in params, f"{name} takes the request; pass actor= (and ip=) instead"
    assert "user" not in params, f"{name} names the acting user `user`; call it `actor`"


def test_a_positional_call_is_refused():
    from funding.services import release_tranche

    with pytest.raises(TypeError):
        release_tranche(None, 1, None)
