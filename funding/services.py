"""Recording the agreement and moving money: transactional, permission-checked, through the engine."""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import require_role
from accounts.roles import Role
from applications import workflow_engine
from applications.models import Application
from haidian_contest import rules
from haidian_contest.formatting import yuan
from haidian_contest.workflow import State
from review.selectors import decision_dates

from .integrity import integrity_message
from .models import Agreement, AgreementLine, LedgerEntry, Tranche
from applications import performance_plan

from .selectors import current_agreement, effective_payment, release_findings, reversal_count, tranche_2_due
from .uploads import validate_pdf

PAY_TRANSITION = {1: "pay_tranche_1", 2: "pay_tranche_2"}
REVERSE_TRANSITION = {1: "reverse_tranche_1", 2: "reverse_tranche_2"}


class AlreadyPaid(Exception):
    """The tranche has been paid already (a retry, a double click, or a colleague was quicker).

    Not an error for the user: the money went out once, which is what they wanted.
    """

    def __init__(self, entry: LedgerEntry, same_request: bool):
        self.entry = entry
        self.same_request = same_request
        who = entry.created_by
        super().__init__(
            f"该笔资金已拨付（{entry.paid_on:%Y-%m-%d}，凭证号 {entry.voucher_no}，经办人 {who}），本次未重复拨付。"
        )


@dataclass(frozen=True)
class Payee:
    name: str
    bank: str
    account: str


# --- agreement ---------------------------------------------------------------------------------


@workflow_engine.register_guard("agreement_recorded")
def _agreement_recorded(application: Application) -> list[str]:
    if current_agreement(application) is None:
        return ["二（三）立项后须签订合作协议：尚未登记合作协议（不可豁免）"]
    return []


def _agreement_lines(application: Application) -> list[tuple]:
    trades = list(application.trades.select_related("occupation").order_by("position", "id"))
    if not trades:
        raise ValidationError("项目没有竞赛工种，无法登记协议。")
    missing = [t.name for t in trades if t.approved_subsidy is None]
    if missing:
        raise ValidationError(f"党组会尚未核定以下工种的补助金额：{'、'.join(missing)}。")
    return [(t, t.approved_subsidy) for t in trades]


def _check_agreement_fields(application, *, number, signed_on, union_role, scan):
    number = (number or "").strip()
    if not number:
        raise ValidationError("请填写协议编号。")
    if Agreement.objects.filter(number=number).exists():
        raise ValidationError(f"协议编号“{number}”已被使用。")
    if signed_on > timezone.localdate():
        raise ValidationError("签订日期不能晚于今天。")
    workflow_engine.require_order("sign_agreement", decision_dates(application), signed_on)
    if application.union_role and union_role != application.union_role:
        label = application.get_union_role_display()
        raise ValidationError(f"协议中的区总工会角色须与党组会确定的“{label}”一致。")
    if union_role not in dict(Agreement._meta.get_field("union_role").choices):
        raise ValidationError("请选择区总工会角色。")
    validate_pdf(scan)
    return number


def _create_agreement(application, user, *, number, signed_on, union_role, scan, supersedes=None, reason=""):
    lines = _agreement_lines(application)
    total = sum((amount for _, amount in lines), Decimal("0.00"))
    first, second = rules.split_tranches(total)
    agreement = Agreement(
        application=application, number=number, signed_on=signed_on, union_role=union_role, total=total,
        tranche_1_amount=first, tranche_2_amount=second, scan_name=getattr(scan, "name", "")[:255],
        scan_size=scan.size, supersedes=supersedes, correction_reason=reason, recorded_by=user,
    )
    agreement.scan.save(f"{number}.pdf", scan, save=False)
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError as error:
        # Two staff recording at once, or a check the service missed: name the constraint that held.
        raise ValidationError(integrity_message(error, number=number)) from None
    AgreementLine.objects.bulk_create([
        AgreementLine(agreement=agreement, trade=t, trade_name=t.name, category=t.category, amount=a)
        for t, a in lines
    ])
    for n in (1, 2):
        Tranche.objects.get_or_create(application=application, number=n)
    return agreement


@transaction.atomic
def record_agreement(*, application: Application, actor, number: str, signed_on: date, union_role: str,
                     scan, comment: str = "") -> Agreement:
    """2.3a: the department records the signed agreement of an approved project."""
    require_role(actor, Role.REVIEWER)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.state != State.APPROVED:
        raise ValidationError(f"项目当前状态为“{locked.state.label}”，不能登记合作协议。")
    if current_agreement(locked) is not None:
        raise ValidationError("该项目已登记合作协议；如需更正，请登记更正协议。")
    fields = {"signed_on": signed_on, "union_role": union_role, "scan": scan}
    number = _check_agreement_fields(locked, number=number, **fields)
    agreement = _create_agreement(locked, actor, number=number, **fields)
    workflow_engine.perform(
        application=locked,
        name="sign_agreement",
        actor=actor,
        comment=comment or f"合作协议 {number}，签订于 {signed_on:%Y-%m-%d}",
    )
    application.status = locked.status
    return agreement


@transaction.atomic
def correct_agreement(*, application: Application, actor, reason: str, number: str, signed_on: date,
                      union_role: str, scan) -> Agreement:
    """A superseding agreement: allowed only while no money is out, so no payment loses its basis."""
    require_role(actor, Role.REVIEWER)
    application = Application.objects.select_for_update().get(pk=application.pk)
    previous = current_agreement(application)
    if previous is None:
        raise ValidationError("该项目尚未登记合作协议。")
    if not (reason or "").strip():
        raise ValidationError("请填写更正原因。")
    if any(effective_payment(t) for t in Tranche.objects.filter(application=application)):
        raise ValidationError("已有资金拨付，不能更正协议；请财务先冲销拨付记录。")
    number = _check_agreement_fields(application, number=number, signed_on=signed_on, union_role=union_role, scan=scan)
    return _create_agreement(
        application, actor, number=number, signed_on=signed_on, union_role=union_role, scan=scan,
        supersedes=previous, reason=reason.strip(),
    )


# --- tranches ----------------------------------------------------------------------------------


def _lock(application: Application, number: int) -> tuple[Application, Tranche]:
    # The project's lock serialises every payment, reversal and agreement change of its tranches. The
    # tranche row itself is append-only and never changes, and FOR UPDATE on it would need the UPDATE
    # right the app's database role does not hold (haidian_contest/db_roles.py).
    locked = Application.objects.select_for_update().get(pk=application.pk)
    try:
        tranche = Tranche.objects.get(application=locked, number=number)
    except Tranche.DoesNotExist:
        raise ValidationError("该项目尚未登记合作协议，不能拨付。") from None
    return locked, tranche


def _same_request(idempotency_key) -> LedgerEntry | None:
    if idempotency_key is None:
        return None
    return LedgerEntry.objects.select_related("created_by").filter(idempotency_key=idempotency_key).first()


class StaleForm(ValidationError):
    """The payment form was opened in an earlier round of its tranche: a reversal came in between."""


STALE_FORM_MESSAGE = "此付款表单已过期：打开表单后该批次的拨付已被冲销，请刷新后重新提交。"


def release_tranche(*, application: Application, number: int, actor, paid_on: date, voucher_no: str,
                    payee: Payee, amount: Decimal, note: str = "", late_reason: str = "",
                    idempotency_key: uuid.UUID | None = None, form_round: int | None = None) -> LedgerEntry:
    """财务 releases tranche 1 or 2 once. A repeat raises AlreadyPaid, never pays again.

    A form's token is one payment *in the round it was opened in* (`form_round`, the tranche's
    reversal count then): the same form sent twice pays once, and a form left open across a
    pay-then-reverse cycle is refused (StaleForm) instead of paying the new round unseen.
    """
    require_role(actor, Role.FINANCE)
    if number not in (1, 2):
        raise ValidationError("批次只能是 1 或 2。")
    try:
        with transaction.atomic():
            return _release(application, number, actor, paid_on=paid_on, voucher_no=voucher_no, payee=payee,
                            amount=amount, note=note, late_reason=late_reason, idempotency_key=idempotency_key,
                            form_round=form_round)
    except IntegrityError as error:
        # Only reachable when something raced past the row lock (or skipped it): the constraint
        # held, so tell the user what did get paid.
        entry = _same_request(idempotency_key)
        if entry is None:
            tranche = Tranche.objects.get(application=application, number=number)
            entry = effective_payment(tranche)
        if entry is None:
            raise ValidationError(integrity_message(error)) from None
        raise AlreadyPaid(entry, same_request=entry.idempotency_key == idempotency_key) from None


def _release(application, number, user, *, paid_on, voucher_no, payee, amount, note, late_reason, idempotency_key,
             form_round):
    locked, tranche = _lock(application, number)
    previous = _same_request(idempotency_key)
    if previous is not None:
        raise AlreadyPaid(previous, same_request=True)
    paid = effective_payment(tranche)
    if paid is not None:
        raise AlreadyPaid(paid, same_request=False)
    settlement = reversal_count(tranche)
    if form_round is not None and form_round != settlement:
        raise StaleForm(STALE_FORM_MESSAGE)
    agreement = current_agreement(locked)
    if paid_on > timezone.localdate():
        raise ValidationError("拨付日期不能晚于今天。")
    if agreement is not None and number == 1:
        workflow_engine.require_order("pay_tranche_1", {"agreement": agreement.signed_on}, paid_on)
    elif agreement is not None and paid_on < agreement.signed_on:
        raise ValidationError(f"拨付日期不能早于协议签订日期 {agreement.signed_on:%Y-%m-%d}。")
    late_reason = (late_reason or "").strip()
    findings = release_findings(locked, number, paid_on)
    blocking = [f.message for f in findings if not f.waivable]
    if blocking:
        raise ValidationError(blocking)
    if number == 2:
        # 2.3b: the second half follows the audit of a held event (haidian_contest.workflow.DATE_GATES).
        workflow_engine.require_date_gate(locked, "pay_tranche_2", on=paid_on)
    if findings and not late_reason:
        raise ValidationError([f"{f.message}：请填写逾期拨付原因。" for f in findings])
    scheduled = agreement.scheduled(number)
    basis = "协议约定"
    if number == 2:
        # 2.3b: a second tranche the department reduced pays exactly the reduced amount, once.
        outcome = performance_plan.current_expected_results(locked)
        if outcome is not None and outcome.is_reduced:
            scheduled, basis = tranche_2_due(agreement, outcome), "职工发展部核减后"
    if scheduled <= 0:
        raise ValidationError("协议约定的本笔金额为 0，无需拨付。")
    if amount != scheduled:
        raise ValidationError(f"拨付金额 {yuan(amount)}与{basis}的 {yuan(scheduled)}不一致。")
    voucher_no = (voucher_no or "").strip()
    if not voucher_no:
        raise ValidationError("请填写凭证号。")
    if not (payee.name.strip() and payee.bank.strip() and payee.account.strip()):
        raise ValidationError("请填写收款账户名称、开户银行和银行账号。")
    entry = LedgerEntry(
        tranche=tranche, kind=LedgerEntry.Kind.PAYMENT, settlement=settlement,
        amount=scheduled, paid_on=paid_on, voucher_no=voucher_no, payee_name=payee.name.strip(),
        payee_bank=payee.bank.strip(), payee_account=payee.account.strip(), note=(note or "").strip(),
        late_reason=late_reason if findings else "", agreement=agreement,
        idempotency_key=idempotency_key, created_by=user,
    )
    entry.save()
    partial_note = f"（{basis}部分拨付，协议约定 {yuan(agreement.scheduled(number))}，其余不再拨付）" if basis != "协议约定" else ""
    workflow_engine.perform(
        application=locked, name=PAY_TRANSITION[number], actor=user, comment=f"凭证号 {voucher_no}，金额 {yuan(scheduled)}{partial_note}"
    )
    application.status = locked.status
    return entry


@transaction.atomic
def reverse_payment(*, application: Application, number: int, actor, reason: str, reversed_on: date | None = None,
                    voucher_no: str = "") -> LedgerEntry:
    """A mistaken payment is undone by an entry of the opposite sign, with the reason, never by an edit."""
    require_role(actor, Role.FINANCE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写冲销原因。")
    locked, tranche = _lock(application, number)
    payment = effective_payment(tranche)
    if payment is None:
        raise ValidationError("该批次没有可冲销的拨付记录。")
    reversed_on = reversed_on or timezone.localdate()
    if reversed_on > timezone.localdate():
        raise ValidationError("冲销日期不能晚于今天。")
    if reversed_on < payment.paid_on:
        raise ValidationError("冲销日期不能早于原拨付日期。")
    entry = LedgerEntry(
        tranche=tranche, kind=LedgerEntry.Kind.REVERSAL, settlement=payment.settlement, amount=-payment.amount,
        paid_on=reversed_on, voucher_no=(voucher_no or "").strip(), payee_name=payment.payee_name,
        payee_bank=payment.payee_bank, payee_account=payment.payee_account, note=reason,
        agreement=payment.agreement, reverses=payment, created_by=actor,
    )
    entry.save()
    workflow_engine.perform(application=locked, name=REVERSE_TRANSITION[number], actor=actor, comment=reason)
    application.status = locked.status
    return entry


__all__ = [
    "AlreadyPaid", "StaleForm", "Payee", "record_agreement", "correct_agreement", "release_tranche", "reverse_payment",
]
