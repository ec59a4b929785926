"""Cooperation agreement (2.3a), the two tranches (2.3b) and the ledger that pays each at most once.

Nothing here is ever edited or deleted once written: an agreement is corrected by a superseding
agreement, a payment by a reversal entry. The models refuse updates and deletes themselves (haidian_contest.records,
with a PostgreSQL trigger), so a careless caller cannot rewrite the books.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.lookups import Exact

from haidian_contest.money import in_fen
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Trade, money_field
from haidian_contest import rules
from haidian_contest.records import AppendOnlyModel, AppendOnlyQuerySet, ImmutableRecord  # noqa: F401 (re-exported)
from haidian_contest.private_files import stored_name

ZERO = Decimal("0.00")
UNION_ROLES = Application._meta.get_field("union_role").choices


def agreement_scan_path(instance, filename):
    # Never the agreement number: it is user text ("A/B" made folders, "../x" a bare 400). The number
    # names the download (funding.views.agreement_scan), the scan's own name is kept in scan_name.
    return stored_name(f"funding/agreements/{instance.application_id}", suffix=".pdf")


class Agreement(AppendOnlyModel):
    """合作协议 (2.3a). The current agreement of a project is the one nobody supersedes."""

    application = models.ForeignKey(
        Application, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="agreements"
    )
    number = models.CharField(_("协议编号"), max_length=50, unique=True)
    signed_on = models.DateField(_("签订日期"))
    union_role = models.CharField(_("区总工会角色"), max_length=16, choices=UNION_ROLES)
    total = money_field(_("核定补助总额（元）"))
    # The schedule from rules.split_tranches, frozen with the agreement it belongs to.
    tranche_1_amount = money_field(_("首笔（50%）"))
    tranche_2_amount = money_field(_("剩余（50%）"))
    scan = models.FileField(_("签署扫描件（PDF）"), upload_to=agreement_scan_path)
    scan_name = models.CharField(_("原文件名"), max_length=255)
    scan_size = models.PositiveIntegerField(_("文件大小"))
    # A correction names the agreement it replaces; one-to-one so the chain cannot fork.
    supersedes = models.OneToOneField(
        "self", verbose_name=_("更正的协议"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction_reason = models.TextField(_("更正原因"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("合作协议")
        verbose_name_plural = _("合作协议")
        ordering = ["application", "recorded_at", "id"]
        constraints = [
            # One original per project; with the one-to-one chain that leaves exactly one current agreement.
            models.UniqueConstraint(
                fields=["application"], condition=Q(supersedes__isnull=True), name="funding_one_original_agreement"
            ),
            models.CheckConstraint(
                condition=Q(tranche_1_amount__gte=0, tranche_2_amount__gte=0),
                name="funding_agreement_tranches_not_negative",
            ),
            # Compared in whole fen: SQLite holds a DECIMAL as a float, where 54,500.01 + 54,500.00
            # is not 109,000.01 (haidian_contest/money.py).
            models.CheckConstraint(
                condition=Exact(in_fen("total"), in_fen("tranche_1_amount") + in_fen("tranche_2_amount")),
                name="funding_agreement_schedule_sums_to_total",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="funding_correction_has_reason",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def union_role_label(self) -> str:
        return dict(UNION_ROLES).get(self.union_role, "")

    def scheduled(self, number: int) -> Decimal:
        return self.tranche_1_amount if number == 1 else self.tranche_2_amount


class AgreementLine(AppendOnlyModel):
    """The approved subsidy per trade as the agreement states it (a copy: later edits do not reach it)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="lines")
    trade = models.ForeignKey(Trade, verbose_name=_("工种"), on_delete=models.PROTECT, related_name="+")
    trade_name = models.CharField(_("工种名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=16, choices=rules.CATEGORIES)
    amount = money_field(_("核定补助（元）"))

    class Meta:
        verbose_name = _("协议补助明细")
        verbose_name_plural = _("协议补助明细")
        ordering = ["agreement", "id"]
        constraints = [models.UniqueConstraint(fields=["agreement", "trade"], name="funding_one_line_per_trade")]


class Tranche(AppendOnlyModel):
    """One of the two instalments of a project: the row that payments lock and hang on.

    Its amount is not stored here but read from the current agreement, so a correction of the
    agreement (allowed only while nothing is paid) never has to rewrite a tranche.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("批次"), choices=[(1, "首笔资金（50%）"), (2, "剩余资金（50%）")])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("拨付批次")
        verbose_name_plural = _("拨付批次")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="funding_one_tranche_per_number"),
            models.CheckConstraint(condition=Q(number__in=[1, 2]), name="funding_tranche_number_1_or_2"),
        ]

    def __str__(self):
        return f"{self.application_id}-{self.get_number_display()}"


class LedgerEntry(AppendOnlyModel):
    """A payment or the reversal of one. Amounts are signed: a reversal is the negative of its payment.

    Why a tranche can never be paid twice, even if the service's checks were skipped or raced:
    every entry carries ``settlement``, the round of paying it belongs to. The service puts a
    payment in round n = the number of reversals the tranche already has, and a reversal in the
    round of the payment it reverses. The database then allows one payment and one reversal per
    (tranche, round) — `funding_one_payment_per_round` — and each payment reversed at most once
    (`reverses` is one-to-one). Two racing payments compute the same round, so the second insert
    fails; a new payment is only possible after a reversal has opened the next round. Net paid per
    tranche is thus always the scheduled amount once or nothing. The row lock on the Tranche in
    the service makes the common case (double click, two finance users) a polite refusal instead
    of an integrity error.
    """

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("拨付")
        REVERSAL = "reversal", _("冲销")

    tranche = models.ForeignKey(Tranche, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    settlement = models.PositiveIntegerField(_("拨付轮次"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("日期"))
    voucher_no = models.CharField(_("凭证号"), max_length=50, blank=True)
    payee_name = models.CharField(_("收款账户名称"), max_length=200, blank=True)
    payee_bank = models.CharField(_("开户银行"), max_length=200, blank=True)
    payee_account = models.CharField(_("银行账号"), max_length=50, blank=True)
    note = models.TextField(_("备注/原因"), blank=True)
    late_reason = models.TextField(_("逾期拨付原因"), blank=True)
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("依据协议"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    reverses = models.OneToOneField(
        "self", verbose_name=_("冲销的拨付"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    # The one-time token of the form that created it: a browser retry of that form finds it here.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("入账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("台账记录")
        verbose_name_plural = _("资金台账")
        ordering = ["tranche", "settlement", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tranche", "settlement", "kind"], name="funding_one_payment_per_round"),
            models.CheckConstraint(
                condition=(Q(kind="payment", amount__gt=0, reverses__isnull=True))
                | (Q(kind="reversal", amount__lt=0, reverses__isnull=False) & ~Q(note="")),
                name="funding_entry_sign_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["paid_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def is_payment(self) -> bool:
        return self.kind == self.Kind.PAYMENT
