"""Feasibility review (3.1b), collective decision (3.1c) and the party-group meeting (3.1c/3.2).

The application's state lives in applications.Application.status and moves only through the
workflow engine; these records keep what each role decided and why, so the project page can show
it and the guards can check it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from haidian_contest.records import AppendOnlyModel, AppendOnlyQuerySet

UNION_ROLES = [("host", "主办"), ("co_host", "联合主办"), ("support", "协办")]
UNION_ROLE_LABELS = dict(UNION_ROLES)

# 3.1b judgement items: no rule can decide them, so the reviewer answers each on the record.
CHECKLIST = (
    ("industry_fit", "1.3", "职业（工种）符合海淀区产业布局和“1+X+1”现代化产业体系"),
    ("judges_authority", "1.6", "评委为专家或高级技师，具有权威性（优先有评审经验）"),
    ("venue", "1.5", "有专门的竞赛场地及参赛材料"),
    ("plan_complete", "3.1a", "竞赛方案与预算明细完整（目的、范围、人员、单位、评比办法、时间、地点、资金及来源）"),
)
CHECKLIST_KEYS = tuple(key for key, _clause, _label in CHECKLIST)


class Review(models.Model):
    """One round of feasibility review: one per submitted version of the application."""

    class Outcome(models.TextChoices):
        PENDING = "", _("审核中")
        RECOMMENDED = "recommended", _("审核通过，提交集体决策")
        RETURNED = "returned", _("退回修改")
        REJECTED = "rejected", _("不予通过")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveIntegerField(_("审核轮次（提交版本）"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("审核人"))
    opinion = models.TextField(_("审核意见"), blank=True)
    # {item key: {"met": bool, "note": str}} for the items of CHECKLIST.
    checklist = models.JSONField(_("审核要点"), default=dict, blank=True)
    outcome = models.CharField(_("审核结论"), max_length=16, choices=Outcome.choices, blank=True, default="")
    comment = models.TextField(_("结论说明"), blank=True)
    created_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(_("结论时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("可行性审核")
        verbose_name_plural = _("可行性审核")
        ordering = ["application", "round"]
        constraints = [models.UniqueConstraint(fields=["application", "round"], name="one_review_per_round")]

    def __str__(self):
        return f"{self.application} 第{self.round}轮审核"

    def current_waivers(self) -> list["WaiverDecision"]:
        """The waiver decision in force for each finding, each with `.history`: the earlier ones, newest first.

        Reads ``self.waivers.all()``, so a ``prefetch_related("waivers")`` serves every review in one query.
        """
        chains: dict[str, list[WaiverDecision]] = {}
        for decision in sorted(self.waivers.all(), key=lambda w: w.pk):
            chains.setdefault(decision.finding_key, []).append(decision)
        current = []
        for rows in chains.values():
            latest = rows[-1]
            latest.history = rows[-2::-1]
            current.append(latest)
        return current

    def checklist_rows(self):
        rows = []
        for key, clause, label in CHECKLIST:
            answer = self.checklist.get(key) or {}
            rows.append({"key": key, "clause": clause, "label": label, "met": answer.get("met"), "note": answer.get("note", "")})
        return rows


class WaiverDecisionQuerySet(AppendOnlyQuerySet):
    def current(self):
        """The decisions in force: the latest of each chain (a changed decision supersedes the old row)."""
        return self.filter(superseded_by__isnull=True)


class WaiverDecision(AppendOnlyModel):
    """The reviewer's answer to one waivable finding and the organizer's justification for it.

    Append-only: changing a decision adds a row that names the one it supersedes, so the latest
    row is in force and the earlier ones stay as its history.
    """

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="waivers")
    finding_key = models.CharField(max_length=200)
    clause = models.CharField(_("条款"), max_length=16)
    clause_label = models.CharField(_("条款"), max_length=32)
    subject = models.CharField(_("涉及工种"), max_length=100, blank=True)
    message = models.TextField(_("问题"))
    justification = models.TextField(_("申报单位说明理由"), blank=True)
    accepted = models.BooleanField(_("同意豁免"))
    reason = models.TextField(_("审核说明"), blank=True)
    carried_from_round = models.PositiveIntegerField(_("沿用轮次"), null=True, blank=True)
    # One-to-one so the chain cannot fork: each decision is changed at most once, by the next one.
    supersedes = models.OneToOneField(
        "self", verbose_name=_("变更的决定"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = WaiverDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("豁免审核")
        verbose_name_plural = _("豁免审核")
        ordering = ["review", "id"]
        constraints = [
            # One first decision per finding; later ones hang on the chain.
            models.UniqueConstraint(
                fields=["review", "finding_key"], condition=models.Q(supersedes__isnull=True),
                name="one_first_decision_per_finding",
            )
        ]


class CollectiveDecision(AppendOnlyModel):
    """3.1c: the union leadership's collective decision procedure, recorded by the department (append-only)."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("通过，提交党组会")
        REJECTED = "rejected", _("不通过")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="collective_decisions")
    outcome = models.CharField(_("决策结果"), max_length=16, choices=Outcome.choices)
    date = models.DateField(_("决策日期"))
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("集体决策")
        verbose_name_plural = _("集体决策")
        ordering = ["application", "recorded_at", "id"]


class Meeting(models.Model):
    """A party-group meeting (党组会) that decides 立项."""

    date = models.DateField(_("会议日期"))
    session = models.CharField(_("会议名称"), max_length=100, unique=True, help_text=_("例如：2026年第15次党组会"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党组会")
        verbose_name_plural = _("党组会")
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.session

    @property
    def cycle(self) -> int:
        return self.date.year


class AgendaItem(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("待审议")
        APPROVED = "approved", _("批准立项")
        NOT_APPROVED = "not_approved", _("不予立项")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    decision = models.CharField(_("审议结果"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    # Whether the portfolio panel counts this pending item in the "after" plan.
    include_in_projection = models.BooleanField(_("计入会后计划"), default=True)
    union_role = models.CharField(_("区总工会角色"), max_length=16, blank=True, choices=UNION_ROLES)
    note = models.TextField(_("会议意见"), blank=True)
    # Waivable subsidy findings (二（一）) the group approved anyway, with the decision note as reason.
    group_waivers = models.JSONField(_("党组会同意的豁免"), default=list, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "application"], name="one_item_per_application")]

    @property
    def is_pending(self) -> bool:
        return self.decision == self.Decision.PENDING

    @property
    def union_role_label(self) -> str:
        return UNION_ROLE_LABELS.get(self.union_role, "")


class NoticeSequence(models.Model):
    """The last 发文字号 sequence number given out in a year; issuing locks this row (one per year)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("发文字号序列")
        verbose_name_plural = _("发文字号序列")


class ApprovalNotice(AppendOnlyModel):
    """立项通知书 (3.2): its document number, given once when the department first issues it.

    The text is generated from the approved data on every download; the number, who issued it and
    when stay as recorded, so a reissue carries the same 发文字号.
    """

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="approval_notice")
    year = models.PositiveSmallIntegerField(_("发文年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("发文字号"), max_length=50, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("签发人"))
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("立项通知书")
        verbose_name_plural = _("立项通知书")
        ordering = ["year", "sequence"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="one_notice_number_per_year")]

    def __str__(self):
        return self.number
