"""Performance targets (绩效目标表) of an application and the department's "expected results" outcome.

Both live with the application, the project record every later stage reads: the targets are part of
the plan (edited, versioned and returned with it); the outcome (2.3b 达到预期效果) is what funding
reads before releasing the second tranche, so funding never needs the performance app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haidian_contest.records import AppendOnlyModel
from haidian_contest.rules import performance_targets as pt


class PerformanceTarget(models.Model):
    """One line of the plan's 绩效目标表. ``key`` names a system indicator; blank: the organizer's own."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="performance_targets")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    key = models.CharField(_("系统指标"), max_length=32, blank=True,
                           choices=[(k, v[2]) for k, v in pt.SYSTEM_INDICATORS.items()])
    category_1 = models.CharField(_("一级指标"), max_length=16, choices=pt.CATEGORY_1)
    category_2 = models.CharField(_("二级指标"), max_length=16, choices=pt.CATEGORY_2_CHOICES)
    name = models.CharField(_("三级指标（指标名称）"), max_length=100)
    comparison = models.CharField(_("比较"), max_length=2, choices=pt.COMPARISONS, default=pt.GE)
    target_value = models.DecimalField(_("年度指标值"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    points = models.PositiveSmallIntegerField(_("分值"))

    class Meta:
        verbose_name = _("绩效目标")
        verbose_name_plural = _("绩效目标")
        ordering = ["application", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "key"], condition=~Q(key=""),
                                    name="one_target_per_system_indicator"),
        ]

    def __str__(self):
        return self.name

    @property
    def category_1_label(self) -> str:
        return pt.CATEGORY_1_LABELS.get(self.category_1, self.category_1)

    @property
    def category_2_label(self) -> str:
        return pt.CATEGORY_2_LABELS.get(self.category_2, self.category_2)

    @property
    def sign(self) -> str:
        return pt.COMPARISON_SIGNS.get(self.comparison, self.comparison)

    @property
    def target_text(self) -> str:
        return f"{self.sign}{self.target_value.normalize():f}{self.unit}"


class ExpectedResults(AppendOnlyModel):
    """2.3b: the department's outcome on "达到预期效果", recorded after the audit passes.

    reached: the self-evaluation score is at or above the rule set's threshold; waived: below it, the
    second tranche paid in full on a written reason; reduced: below it, a smaller second tranche
    (``tranche_2_amount``) decided with a reason — paid once, and the rest never. Append-only: a
    changed outcome supersedes the old row while tranche 2 is unpaid.
    """

    class Outcome(models.TextChoices):
        REACHED = "reached", _("达到预期效果")
        WAIVED = "waived", _("未达到预期效果，同意豁免，全额拨付剩余资金")
        REDUCED = "reduced", _("未达到预期效果，核减剩余资金")

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="expected_results")
    outcome = models.CharField(_("结论"), max_length=16, choices=Outcome.choices)
    score = models.DecimalField(_("绩效自评得分"), max_digits=5, decimal_places=2)
    threshold = models.DecimalField(_("达到预期效果分数线"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("理由"), blank=True)
    tranche_2_amount = models.DecimalField(_("核减后剩余资金（元）"), max_digits=14, decimal_places=2,
                                           null=True, blank=True)
    scheduled_tranche_2 = models.DecimalField(_("协议约定剩余资金（元）"), max_digits=14, decimal_places=2,
                                              null=True, blank=True)
    # The lines as scored when the outcome was recorded (target, actual, score), for the record.
    lines = models.JSONField(default=list, blank=True)
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("预期效果结论")
        verbose_name_plural = _("预期效果结论")
        ordering = ["application", "decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(supersedes__isnull=True),
                                    name="one_first_expected_results"),
            models.CheckConstraint(
                condition=Q(outcome="reached") | ~Q(reason=""), name="expected_results_reason_unless_reached"),
            models.CheckConstraint(
                condition=(Q(outcome="reduced", tranche_2_amount__gt=0)
                           | (~Q(outcome="reduced") & Q(tranche_2_amount__isnull=True))),
                name="expected_results_amount_only_when_reduced"),
        ]

    @property
    def is_reduced(self) -> bool:
        return self.outcome == self.Outcome.REDUCED
