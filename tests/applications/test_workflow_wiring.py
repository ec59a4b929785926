"""Workflow guards are installed explicitly by each app's ready(), and a system check stops the start
when the table and the implementations disagree (issue 20)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from applications import workflow_engine
from applications.checks import check_workflow_guards
from haidian_contest.workflow import TRANSITIONS


def named_guards():
    return {guard for t in TRANSITIONS.values() for guard in t.guards}


def test_every_guard_named_in_the_table_is_installed_at_start_up():
    assert set(workflow_engine.GUARDS) == named_guards()
    assert check_workflow_guards() == []


def test_a_named_guard_without_implementation_is_an_error(monkeypatch):
    monkeypatch.delitem(workflow_engine.GUARDS, "agreement_recorded")
    errors = check_workflow_guards()
    assert [e.id for e in errors] == ["workflow.E001"]
    assert "'agreement_recorded'" in errors[0].msg and "'sign_agreement'" in errors[0].msg


def test_an_implementation_no_transition_names_is_an_error(monkeypatch):
    monkeypatch.setitem(workflow_engine.GUARDS, "budget_signed_twice", lambda application: [])
    assert [e.id for e in check_workflow_guards()] == ["workflow.E002"]


def test_manage_py_check_fails_on_a_missing_guard(monkeypatch):
    monkeypatch.delitem(workflow_engine.GUARDS, "materials_complete")
    with pytest.raises(SystemCheckError, match="materials_complete"):
        call_command("check")


def test_installing_an_unnamed_function_is_refused():
    with pytest.raises(ImproperlyConfigured, match="not named as a workflow guard"):
        workflow_engine.install_guards(lambda application: [])


def test_a_second_implementation_of_a_guard_is_refused(monkeypatch):
    monkeypatch.setattr(workflow_engine, "GUARDS", dict(workflow_engine.GUARDS))

    @workflow_engine.register_guard("review_complete")
    def another(application):
        return []

    with pytest.raises(ImproperlyConfigured, match="two implementations"):
        workflow_engine.install_guards(another)


def test_naming_a_guard_does_not_install_it(monkeypatch):
    monkeypatch.setattr(workflow_engine, "GUARDS", {})

    @workflow_engine.register_guard("review_complete")
    def named_only(application):
        return []

    assert workflow_engine.GUARDS == {}
    assert workflow_engine.install_guards(named_only) == ["review_complete"]
    assert workflow_engine.GUARDS == {"review_complete": named_only}
