"""A database error in the middle of a tranche release pays nothing and leaves nothing half-written;
the retry with the same form token then pays exactly once.

The fault is injected with Django's own query-instrumentation hook, `connection.execute_wrapper()`:
one chosen SQL statement raises the OperationalError a dropped PostgreSQL connection raises, while
every statement before it really runs inside the release's transaction. Striking after the ledger
INSERT has executed is what makes these tests prove atomicity rather than mere validation order.

Statements of one release, in order: INSERT funding_ledgerentry → (workflow_engine.perform)
UPDATE applications_application → INSERT applications_statuschange → INSERT accounts_notification,
e-mail queued on commit → RELEASE SAVEPOINT of the engine's block.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.urls import reverse

from accounts.models import Notification
from applications.models import Application, StatusChange
from funding import selectors, services
from funding.models import LedgerEntry, Tranche
from haidian_contest.workflow import State

from .stages import PAYEE_ACCOUNT, PAYEE_BANK

pytestmark = pytest.mark.django_db

T1 = Decimal("128000.00")
TOKEN = uuid.UUID("5b0c8f7e-2d4a-4c3e-9a61-0f3b7d2e8c41")
CONNECTION_LOST = (
    "server closed the connection unexpectedly\n"
    "\tThis probably means the server terminated abnormally\n"
    "\tbefore or while processing the request."
)

Matcher = Callable[[str], bool]


def insert_into(model) -> Matcher:
    prefix = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)}"
    return lambda sql: sql.lstrip().upper().startswith(prefix.upper())


def update_of(model) -> Matcher:
    prefix = f"UPDATE {connection.ops.quote_name(model._meta.db_table)}"
    return lambda sql: sql.lstrip().upper().startswith(prefix.upper())


def release_savepoint(sql: str) -> bool:
    return sql.lstrip().upper().startswith("RELEASE SAVEPOINT")


LEDGER_INSERT = insert_into(LedgerEntry)
STATUS_UPDATE = update_of(Application)
TRANSITION_INSERT = insert_into(StatusChange)
NOTIFICATION_INSERT = insert_into(Notification)


@dataclass
class Fault:
    """An execute_wrapper: the first statement `strikes` matches (once `armed_by` has executed, if
    given) raises OperationalError instead of running. Strikes once, so Django's own clean-up runs."""

    strikes: Matcher
    armed_by: Matcher | None = None
    executed: list[str] = field(default_factory=list)
    fired: bool = False
    on_commit_pending_when_struck: int | None = None

    def __call__(self, execute, sql, params, many, context):
        armed = self.armed_by is None or self.ran(self.armed_by)
        if armed and not self.fired and self.strikes(sql):
            self.fired = True
            self.on_commit_pending_when_struck = len(connection.run_on_commit)
            raise OperationalError(CONNECTION_LOST)
        result = execute(sql, params, many, context)
        self.executed.append(sql)
        return result

    def ran(self, matches: Matcher) -> bool:
        return any(matches(sql) for sql in self.executed)


def release(app, user, number=1, **kw):
    fields = {
        "paid_on": date(2026, 6, 15), "voucher_no": "记-2026-0615-03", "amount": T1,
        "payee": services.Payee("中关村智造产业园工会联合会", PAYEE_BANK, PAYEE_ACCOUNT),
        "idempotency_key": TOKEN,
    }
    fields.update(kw)
    return services.release_tranche(application=app, number=number, actor=user, **fields)


def release_under(fault, app, user, capture, number=1, **kw):
    """Release with the fault active; returns the on-commit callbacks the attempt left queued."""
    with capture() as queued, connection.execute_wrapper(fault):
        with pytest.raises(OperationalError, match="server closed the connection unexpectedly"):
            release(app, user, number, **kw)
    assert fault.fired
    return queued


@dataclass(frozen=True)
class Trace:
    """Everything a release writes, read back from the database."""

    status: str
    ledger: frozenset
    transitions: frozenset
    notifications: frozenset
    organizer_notifications: int


def trace(app, organizer) -> Trace:
    return Trace(
        status=Application.objects.values_list("status", flat=True).get(pk=app.pk),
        ledger=frozenset(LedgerEntry.objects.filter(tranche__application=app).values_list("pk", flat=True)),
        transitions=frozenset(StatusChange.objects.filter(application=app).values_list("pk", flat=True)),
        notifications=frozenset(Notification.objects.values_list("pk", flat=True)),
        organizer_notifications=Notification.objects.filter(user=organizer).count(),
    )


def assert_tranche_unpaid(app, number, transition):
    tranche = Tranche.objects.get(application=app, number=number)
    assert not LedgerEntry.objects.filter(tranche=tranche).exists()
    assert selectors.effective_payment(tranche) is None
    assert not LedgerEntry.objects.filter(idempotency_key=TOKEN).exists()
    assert not StatusChange.objects.filter(application=app, transition=transition).exists()


def test_a_failing_ledger_insert_pays_nothing_and_changes_nothing(
    signed, finance, organizer, django_capture_on_commit_callbacks
):
    before = trace(signed, organizer)
    fault = Fault(strikes=LEDGER_INSERT)

    queued = release_under(fault, signed, finance, django_capture_on_commit_callbacks)

    assert not fault.ran(LEDGER_INSERT)
    assert_tranche_unpaid(signed, 1, "pay_tranche_1")
    assert trace(signed, organizer) == before
    assert before.status == State.AGREEMENT_SIGNED
    assert queued == []


@pytest.mark.parametrize("strikes", [
    pytest.param(STATUS_UPDATE, id="on-the-project-status-update"),
    pytest.param(TRANSITION_INSERT, id="on-the-status-change-insert"),
    pytest.param(NOTIFICATION_INSERT, id="on-the-notification-insert"),
])
def test_a_database_error_after_the_ledger_insert_rolls_the_whole_release_back(
    signed, finance, organizer, strikes, django_capture_on_commit_callbacks
):
    before = trace(signed, organizer)
    fault = Fault(strikes=strikes, armed_by=LEDGER_INSERT)

    queued = release_under(fault, signed, finance, django_capture_on_commit_callbacks)

    assert fault.ran(LEDGER_INSERT), "the payment row must really have been written before the failure"
    assert_tranche_unpaid(signed, 1, "pay_tranche_1")
    assert trace(signed, organizer) == before
    assert Application.objects.get(pk=signed.pk).state == State.AGREEMENT_SIGNED
    assert signed.status == State.AGREEMENT_SIGNED  # the caller's object was not moved on either
    assert queued == []


def test_the_notice_e_mail_queued_before_a_database_error_is_discarded_with_the_rollback(
    signed, finance, organizer, django_capture_on_commit_callbacks
):
    pending_before = len(connection.run_on_commit)
    before = trace(signed, organizer)
    # The engine's block has written everything and queued the e-mail; releasing its savepoint fails.
    fault = Fault(strikes=release_savepoint, armed_by=NOTIFICATION_INSERT)

    queued = release_under(fault, signed, finance, django_capture_on_commit_callbacks)

    assert all(fault.ran(m) for m in (LEDGER_INSERT, STATUS_UPDATE, TRANSITION_INSERT, NOTIFICATION_INSERT))
    assert fault.on_commit_pending_when_struck > pending_before, "the e-mail was queued when the fault struck"
    assert queued == []
    assert len(connection.run_on_commit) == pending_before
    assert_tranche_unpaid(signed, 1, "pay_tranche_1")
    assert trace(signed, organizer) == before


def test_the_retry_with_the_same_token_after_a_database_error_pays_exactly_once(
    signed, finance, organizer, django_capture_on_commit_callbacks
):
    notices_before = Notification.objects.filter(user=organizer).count()
    release_under(Fault(strikes=TRANSITION_INSERT, armed_by=LEDGER_INSERT), signed, finance,
                  django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks() as queued:
        entry = release(signed, finance)

    payments = LedgerEntry.objects.filter(tranche__application=signed)
    assert list(payments.values_list("pk", "kind", "amount", "idempotency_key")) == [
        (entry.pk, LedgerEntry.Kind.PAYMENT, T1, TOKEN)
    ]
    assert isinstance(payments.get().amount, Decimal)
    assert selectors.effective_payment(Tranche.objects.get(application=signed, number=1)).pk == entry.pk
    assert Application.objects.get(pk=signed.pk).state == State.IN_PROGRESS
    assert StatusChange.objects.filter(application=signed, transition="pay_tranche_1").count() == 1
    assert Notification.objects.filter(user=organizer).count() == notices_before + 1
    assert len(queued) == 1  # the notice e-mail, once
    with pytest.raises(services.AlreadyPaid) as again:
        release(signed, finance)
    assert again.value.same_request
    assert payments.count() == 1


def test_a_failed_tranche_2_release_leaves_the_paid_tranche_1_as_it_was(
    audit_passed, finance, organizer, django_capture_on_commit_callbacks
):
    tranche_1 = selectors.effective_payment(Tranche.objects.get(application=audit_passed, number=1))
    before = trace(audit_passed, organizer)
    fault = Fault(strikes=TRANSITION_INSERT, armed_by=LEDGER_INSERT)

    queued = release_under(fault, audit_passed, finance, django_capture_on_commit_callbacks, number=2,
                           paid_on=date(2026, 10, 12), voucher_no="记-2026-1012-01")

    assert fault.ran(LEDGER_INSERT)
    assert_tranche_unpaid(audit_passed, 2, "pay_tranche_2")
    assert trace(audit_passed, organizer) == before
    assert Application.objects.get(pk=audit_passed.pk).state == State.AUDIT_PASSED
    assert selectors.effective_payment(Tranche.objects.get(application=audit_passed, number=1)) == tranche_1
    assert selectors.project_ledger(audit_passed).paid == T1
    assert queued == []


def test_the_release_form_shows_the_chinese_error_page_on_a_database_error_and_the_resubmission_pays_once(
    client, signed, finance, organizer, caplog, django_capture_on_commit_callbacks
):
    client.force_login(finance)
    client.raise_request_exception = False
    url = reverse("funding:release", args=[signed.pk, 1])
    form = {
        "token": str(TOKEN), "round": "0", "paid_on": "2026-06-15", "voucher_no": "记-2026-0615-03",
        "payee_name": "中关村智造产业园工会联合会", "payee_bank": PAYEE_BANK, "payee_account": PAYEE_ACCOUNT,
        "amount": "128000.00", "note": "", "late_reason": "",
    }
    before = trace(signed, organizer)
    fault = Fault(strikes=TRANSITION_INSERT, armed_by=LEDGER_INSERT)

    with django_capture_on_commit_callbacks() as queued, connection.execute_wrapper(fault):
        failed = client.post(url, form)

    assert fault.fired and fault.ran(LEDGER_INSERT)
    assert failed.status_code == 500
    assert "系统错误" in failed.content.decode() and "请稍后重试" in failed.content.decode()
    assert any(r.name == "django.request" and r.levelname == "ERROR" for r in caplog.records)
    assert_tranche_unpaid(signed, 1, "pay_tranche_1")
    assert trace(signed, organizer) == before
    assert queued == []

    paid = client.post(url, form, follow=True)

    assert paid.status_code == 200
    assert "已拨付首笔资金（50%） 128,000.00 元" in paid.content.decode()
    entry = LedgerEntry.objects.get(tranche__application=signed)
    assert (entry.kind, entry.amount, entry.idempotency_key, entry.created_by) == (
        LedgerEntry.Kind.PAYMENT, T1, TOKEN, finance)
    assert Application.objects.get(pk=signed.pk).state == State.IN_PROGRESS
