"""Funding stages for lifecycle tests, built through the services as the department and finance would.

Each takes the project from the previous stage and returns it reloaded:
approved_application (tests.review.stages) → agreement_signed → tranche_1_paid → … (performance:
audit passed) → tranche_2_paid. Defaults follow Scenario A of SCENARIO.md.
"""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.models import Application
from funding import selectors, services

# A minimal but well-formed one-page PDF: the scan is sniffed by its header, not its name.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
SIGNED_ON = date(2026, 6, 10)
TRANCHE_1_PAID_ON = date(2026, 6, 15)
TRANCHE_1_VOUCHER = "记-2026-0615-03"
TRANCHE_2_PAID_ON = date(2026, 10, 15)
PAYEE_BANK = "中国工商银行北京海淀支行"
PAYEE_ACCOUNT = "0200004509200012345"


def scan_upload(name: str = "合作协议.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _not_after_today(day: date) -> date:
    return min(day, timezone.localdate())


def agreement_signed(application: Application, reviewer, *, number: str | None = None,
                     signed_on: date | None = None, union_role: str | None = None, scan=None) -> Application:
    """APPROVED → AGREEMENT_SIGNED: the department records the agreement (2.3a)."""
    services.record_agreement(
        application=application,
        actor=reviewer,
        number=number or f"HDZGH-{application.cycle}-{application.pk:03d}",
        signed_on=signed_on or _not_after_today(SIGNED_ON),
        union_role=union_role or application.union_role or "co_host",
        scan=scan or scan_upload(),
    )
    application.refresh_from_db()
    return application


def _pay(application, finance, number, *, paid_on, voucher_no, late_reason, amount=None, payee=None, **kw):
    services.release_tranche(
        application=application,
        number=number,
        actor=finance,
        paid_on=paid_on,
        voucher_no=voucher_no,
        payee=payee or services.Payee(application.lead_organization.name, PAYEE_BANK, PAYEE_ACCOUNT),
        # What the tranche pays now: the agreement's amount, or tranche 2 as the department reduced it.
        amount=selectors.project_ledger(application).tranche(number).scheduled if amount is None else amount,
        late_reason=late_reason,
        **kw,
    )
    application.refresh_from_db()
    return application


def tranche_1_paid(application: Application, finance, *, paid_on: date | None = None,
                   voucher_no: str = TRANCHE_1_VOUCHER, late_reason: str = "", **kw) -> Application:
    """AGREEMENT_SIGNED → IN_PROGRESS: finance releases the first 50% (before the start, 2.3b)."""
    agreement = selectors.current_agreement(application)
    paid_on = paid_on or max(agreement.signed_on, _not_after_today(TRANCHE_1_PAID_ON))
    if application.start_date and paid_on >= application.start_date and not late_reason:
        late_reason = "测试：协议签订较晚，首笔资金于竞赛开始后拨付。"
    return _pay(application, finance, 1, paid_on=paid_on, voucher_no=voucher_no, late_reason=late_reason, **kw)


def _expected_results_recorded(application: Application) -> None:
    from accounts.roles import Role
    from accounts.services import users_with_role
    from tests.performance.stages import expected_results_recorded

    reviewer = users_with_role(role=Role.REVIEWER).order_by("pk").first()
    if reviewer is not None and application.status == "audit_passed":
        expected_results_recorded(application, reviewer)


def tranche_2_paid(application: Application, finance, *, paid_on: date | None = None,
                   voucher_no: str = "记-2026-1015-01", **kw) -> Application:
    """AUDIT_PASSED → CLOSED: finance releases the remaining 50% once the audit has passed (and the
    department has recorded the 2.3b expected-results outcome: recorded here when a test has not)."""
    _expected_results_recorded(application)
    tranche_1 = selectors.project_ledger(application).tranche(1).effective
    earliest = tranche_1.paid_on + timedelta(days=1) if tranche_1 else TRANCHE_2_PAID_ON
    paid_on = paid_on or _not_after_today(max(earliest, TRANCHE_2_PAID_ON))
    return _pay(application, finance, 2, paid_on=paid_on, voucher_no=voucher_no, late_reason="", **kw)
