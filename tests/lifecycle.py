"""Builds projects at each stage of the workflow through the services, as a user would.

Shared by the test folders of every app. Each stage function takes the project from the previous
stage; an app owns the stage functions of its own step and keeps their signatures.
"""

from applications import services as application_services
from applications.models import Application
from demo.scenario import trade_fields
from demo.scenario_data import APPLICATIONS, PLAN_TEXT


def build_application(organizer, key: str = "A", *, justify: bool = True, **overrides) -> Application:
    """A draft filled in from the scenario's application `key` (A clean, B waivers, C joint/traditional)."""
    spec = APPLICATIONS[key]
    fields = {"title": spec["title"], "cycle": 2026, "start_date": spec["start"], "end_date": spec["end"], **PLAN_TEXT}
    fields.update(overrides)
    app = application_services.create_application(actor=organizer, **fields)
    if spec["co_applicants"]:
        application_services.set_co_applicants(
            application=app,
            actor=organizer,
            co_applicants=[{"name": name, "org_type": org_type} for name, org_type in spec["co_applicants"]],
        )
    for t in spec["trades"]:
        add_trade(app, organizer, t)
    if justify:
        justify_all(app, organizer)
    return app


def add_trade(app, organizer, t: dict):
    return application_services.save_trade(application=app, actor=organizer, **trade_fields(t))


def justify_all(app, organizer, reason: str = "该项目具有行业特殊性，已与主管部门沟通，特此说明。"):
    from applications.evaluation import findings_for
    from applications.selectors import application_with_trades

    findings = findings_for(application_with_trades(app))
    reasons = {f.key: reason for f in findings if f.waivable}
    # A draft built on the scenario's application day may be resubmitted by a test on the real
    # today, after the scenario's start: 2.3b then asks for a reason too.
    reasons.setdefault("start_passed:", "初赛已按计划启动，决赛尚未举行，特此说明。")
    application_services.set_justifications(application=app, actor=organizer, justifications=reasons)


def open_call_for(cycle: int) -> None:
    """Submitting needs the year's call to be open (applications.calls): a call open all year, as the
    tests' reference data has, also for set-ups that run before the fixtures (setUpTestData)."""
    from tests.conftest import _calls_open_all_year

    _calls_open_all_year(years=(cycle,))


def submitted_application(organizer, key: str = "A", **overrides) -> Application:
    """Drafted and submitted before the competition starts (2.3b), whatever day the tests run on."""
    from tests.clock import APPLIED, on_or_before

    with on_or_before(APPLIED):
        app = build_application(organizer, key, **overrides)
        open_call_for(app.cycle)
        application_services.submit_application(application=app, actor=organizer)
    app.refresh_from_db()
    return app
