"""The application (申报) and everything an organizer declares in it.

An Application is also the project record the later stages hang on (review, funding, performance
point at it); its `status` is the workflow state declared in haidian_contest.workflow.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from haidian_contest import rules
from haidian_contest.money import MoneySum
from haidian_contest.records import AppendOnlyModel
from haidian_contest.private_files import stored_name
from haidian_contest.workflow import STATE_CHOICES, State

ZERO = Decimal("0.00")


def money_field(verbose_name, **kwargs):
    kwargs.setdefault("validators", [MinValueValidator(ZERO)])
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class Occupation(models.Model):
    """Catalogue of occupations: the 2022 classification and the MOHRSS new-occupation lists (1.2)."""

    class Source(models.TextChoices):
        CLASSIFICATION_2022 = "2022", _("职业分类大典（2022年版）")
        NEW_OCCUPATION = "new", _("新职业目录")

    code = models.CharField(_("职业编码"), max_length=16, unique=True)
    name = models.CharField(_("职业名称"), max_length=100, db_index=True)
    major = models.CharField(_("大类"), max_length=100, blank=True)
    medium = models.CharField(_("中类"), max_length=100, blank=True)
    minor = models.CharField(_("小类"), max_length=100, blank=True)
    marks = models.CharField(_("标识"), max_length=8, blank=True, help_text=_("L 绿色职业，S 数字职业"))
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.CLASSIFICATION_2022)
    is_active = models.BooleanField(_("可选用"), default=True)

    class Meta:
        verbose_name = _("职业")
        verbose_name_plural = _("职业目录")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Application(models.Model):
    PLAN_SECTIONS = (
        ("purpose", "竞赛目的"),
        ("scope", "参与范围"),
        ("personnel", "参与人员"),
        ("participating_units", "参与单位"),
        ("judging_method", "评比办法"),
        ("schedule", "竞赛时间"),
        ("location", "竞赛地点"),
        ("funding_source", "所需资金及资金来源"),
    )

    cycle = models.PositiveSmallIntegerField(_("竞赛年度"), db_index=True)
    title = models.CharField(_("竞赛名称"), max_length=200)
    lead_organization = models.ForeignKey(
        Organization, verbose_name=_("申报（牵头）单位"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(_("状态"), max_length=32, choices=STATE_CHOICES, default=State.DRAFT, db_index=True)
    # 3.1a plan sections
    purpose = models.TextField(_("竞赛目的"), blank=True)
    scope = models.TextField(_("参与范围"), blank=True)
    personnel = models.TextField(_("参与人员"), blank=True)
    participating_units = models.TextField(_("参与单位"), blank=True)
    judging_method = models.TextField(_("评比办法"), blank=True)
    schedule = models.TextField(_("竞赛时间"), blank=True)
    location = models.TextField(_("竞赛地点"), blank=True)
    funding_source = models.TextField(_("所需资金及资金来源"), blank=True)
    start_date = models.DateField(_("竞赛开始日期"), null=True, blank=True)
    end_date = models.DateField(_("竞赛结束日期"), null=True, blank=True)
    contact_person = models.CharField(_("项目联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # Organizer's written reasons for waivable findings, keyed by rules.Finding.key.
    justifications = models.JSONField(_("豁免理由"), default=dict, blank=True)
    # 1.5: set by the party group at approval.
    union_role = models.CharField(
        _("区总工会角色"),
        max_length=16,
        blank=True,
        choices=[("host", "主办"), ("co_host", "联合主办"), ("support", "协办")],
    )
    submitted_version = models.PositiveIntegerField(_("已提交版本"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("申报项目")
        verbose_name_plural = _("申报项目")
        ordering = ["-cycle", "-updated_at"]
        indexes = [
            models.Index(fields=["cycle", "status"]),
            # The project list's order: lets the database read the first page off the index instead
            # of computing the list's per-row totals for every project and sorting them all.
            models.Index(fields=["-cycle", "-updated_at", "-id"], name="application_list_order"),
            # The year ledger: its totals' fingerprint (count, ids, latest change of a year's projects in
            # given states) and its page of ids in unit order are read off this index, not the table.
            models.Index(fields=["cycle", "status", "lead_organization", "updated_at"], name="application_year_ledger"),
        ]

    def __str__(self):
        return f"{self.cycle}年 {self.title}"

    @property
    def state(self) -> State:
        return State(self.status)

    @property
    def status_label(self) -> str:
        return self.state.label

    def plan_sections(self):
        return [(key, label, getattr(self, key)) for key, label in self.PLAN_SECTIONS]


class CoApplicant(models.Model):
    """A unit that joins a joint application (1.1); small firms need not have an account."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="co_applicants")
    name = models.CharField(_("联合申报单位名称"), max_length=200)
    org_type = models.CharField(_("单位类型"), max_length=32, choices=rules.ORG_TYPES)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("联合申报单位")
        verbose_name_plural = _("联合申报单位")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Trade(models.Model):
    LEVELS = [("5", "五级/初级工"), ("4", "四级/中级工"), ("3", "三级/高级工"), ("2", "二级/技师"), ("1", "一级/高级技师")]

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="trades")
    position = models.PositiveSmallIntegerField(default=0)
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("职业（工种）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    custom_name = models.CharField(_("非标准职业名称"), max_length=100, blank=True)
    standard_reference = models.CharField(_("参照的行业标准"), max_length=200, blank=True)
    level = models.CharField(_("职业技能等级"), max_length=2, blank=True, choices=LEVELS)
    certifiable = models.BooleanField(_("可取得技能等级证书（取证工种）"), default=False)
    category = models.CharField(_("类别"), max_length=16, choices=rules.CATEGORIES)
    field = models.CharField(_("创新类所属领域"), max_length=16, blank=True, choices=rules.INNOVATIVE_FIELDS)
    planned_participants = models.PositiveIntegerField(_("计划参赛人数"), default=0)
    venue = models.CharField(_("竞赛场地"), max_length=200, blank=True)
    preliminary_date = models.DateField(_("初赛日期"), null=True, blank=True)
    final_date = models.DateField(_("决赛日期"), null=True, blank=True)
    judging_method = models.TextField(_("评审方式"), blank=True)
    subsidy_requested = money_field(_("申请区总工会补助（元）"), default=ZERO)
    # Set by the party group (二（一）), checked again against the trade's budget.
    approved_subsidy = money_field(_("批准补助（元）"), null=True, blank=True)

    class Meta:
        verbose_name = _("竞赛职业（工种）")
        verbose_name_plural = _("竞赛职业（工种）")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if self.occupation_id:
            return self.occupation.name
        return self.custom_name or "（未命名工种）"

    @property
    def code(self) -> str:
        return self.occupation.code if self.occupation_id else ""

    @property
    def budget_total(self) -> Decimal:
        # Uses the prefetched lines when present (list pages prefetch them).
        return sum((line.amount for line in self.budget_lines.all()), ZERO)


class Judge(models.Model):
    trade = models.ForeignKey(Trade, on_delete=models.CASCADE, related_name="judges")
    name = models.CharField(_("姓名"), max_length=50)
    employer = models.CharField(_("工作单位"), max_length=200)
    title = models.CharField(_("职称/资格"), max_length=100)
    experience = models.TextField(_("评审经历"), blank=True)

    class Meta:
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        ordering = ["id"]


class PrizeTier(models.Model):
    trade = models.ForeignKey(Trade, on_delete=models.CASCADE, related_name="prize_tiers")
    rank = models.PositiveSmallIntegerField(_("奖项"), choices=rules.PRIZE_RANKS)
    count = models.PositiveIntegerField(_("获奖人数"), default=0)
    amount = money_field(_("每人奖金（元）"), default=ZERO)

    class Meta:
        verbose_name = _("奖项设置")
        verbose_name_plural = _("奖项设置")
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["trade", "rank"], name="one_tier_per_rank")]


class BudgetLine(models.Model):
    ITEMS = [
        ("venue", "场地"),
        ("judges", "评委费"),
        ("prizes", "奖金"),
        ("materials", "材料"),
        ("filming", "摄像"),
        ("publicity", "宣传"),
        ("other", "其他"),
    ]
    trade = models.ForeignKey(Trade, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("预算科目"), max_length=16, choices=ITEMS)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    amount = money_field(_("金额（元）"))

    class Meta:
        verbose_name = _("预算明细")
        verbose_name_plural = _("预算明细")
        ordering = ["id"]


def attachment_path(instance, filename):
    # The stored name is random: the uploader's file name is kept in original_name and never reaches the disk.
    return stored_name(f"applications/{instance.application_id}/{instance.kind}", filename)


class Attachment(models.Model):
    KINDS = [("plan", "竞赛方案"), ("budget", "预算明细表"), ("other", "其他材料")]
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=16, choices=KINDS)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Removed from the draft but kept on disk: a submitted version may still list it.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["kind", "id"]


class ApplicationVersion(AppendOnlyModel):
    """The frozen application as submitted: later edits never change it (append-only)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    findings = models.JSONField(default=list)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("申报版本")
        verbose_name_plural = _("申报版本")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="one_version_number")]


class StatusChange(AppendOnlyModel):
    """The audit trail of the workflow: who, when, from, to, why. Written only by the engine; append-only."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="status_changes")
    transition = models.CharField(max_length=40)
    from_status = models.CharField(max_length=32, choices=STATE_CHOICES)
    to_status = models.CharField(max_length=32, choices=STATE_CHOICES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["at", "id"]

    @property
    def from_label(self):
        return State(self.from_status).label

    @property
    def to_label(self):
        return State(self.to_status).label


def call_attachment_path(instance, filename):
    return stored_name("calls", filename)


class Call(models.Model):
    """The year's call for applications (年度申报通知): its notice, window, planned count and budget."""

    cycle = models.PositiveIntegerField(_("年度"), unique=True)
    title = models.CharField(_("通知标题"), max_length=200)
    notice = models.TextField(_("通知正文"))
    opens_at = models.DateTimeField(_("申报开始时间"))
    closes_at = models.DateTimeField(_("申报截止时间"))
    planned_competitions = models.PositiveIntegerField(_("计划举办竞赛数"))
    budget = money_field(_("年度补助预算（元）"))
    # Empty only for a call recorded by the system (e.g. loaded with the reference data), not by a person.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the background job that sends the notices, so each goes out once.
    opening_notice_sent_at = models.DateTimeField(null=True, blank=True)
    closing_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("年度申报通知")
        verbose_name_plural = _("年度申报通知")
        ordering = ["-cycle"]
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")),
                                              name="call_closes_after_it_opens")]

    def __str__(self):
        return self.title

    def is_open(self, at) -> bool:
        return self.opens_at <= at <= self.closes_at


class CallAttachment(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=call_attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class CallExtension(models.Model):
    """A moved deadline, on the record: from, to, why, who."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="extensions")
    previous_closes_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    reason = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


def trade_totals(applications_qs):
    """Budget and subsidy totals per application, in one query (for list pages)."""
    return applications_qs.annotate(
        budget_sum=MoneySum("trades__budget_lines__amount"),
    )


__all__ = ["Application", "Trade", "Occupation", "Q"]


# The plan's performance targets and the 2.3b outcome (applications/targets.py), registered with this app.
from .targets import ExpectedResults, PerformanceTarget  # noqa: E402,F401
