"""The winners' public notice (获奖名单公示) and the objections lodged against it.

A notice is a snapshot, taken at publication, of what the public may see of the winners list in
force: per trade the prize, the name and the unit, nothing else of the roster. A correction is a
withdrawal (with its reason) and a new notice with a new period; both stay on the record.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from haidian_contest import rules
from haidian_contest.private_files import encrypted_storage, stored_name
from haidian_contest.records import AppendOnlyModel


class PublicNotice(models.Model):
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="public_notices")
    winners_version = models.ForeignKey("rosters.RosterVersion", on_delete=models.PROTECT, related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间")
    working_days = models.PositiveSmallIntegerField("公示期（工作日）")
    starts_on = models.DateField("公示期起")
    ends_on = models.DateField("公示期止")
    ends_at = models.DateTimeField("公示截止时间")
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    withdraw_reason = models.TextField("撤回原因", blank=True)

    class Meta:
        verbose_name = "获奖名单公示"
        verbose_name_plural = "获奖名单公示"
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return f"{self.application.title} 获奖名单公示"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def in_period(self, now=None) -> bool:
        return not self.withdrawn and (now or timezone.now()) < self.ends_at

    def ended(self, now=None) -> bool:
        return not self.withdrawn and (now or timezone.now()) >= self.ends_at

    @property
    def status_label(self) -> str:
        if self.withdrawn:
            return "已撤回"
        return "公示中" if self.in_period() else "公示期已结束"


class NoticeEntry(models.Model):
    """One line of the notice as published: only what the public may read."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField()
    trade_name = models.CharField("职业（工种）", max_length=100)
    rank = models.PositiveSmallIntegerField("奖项", choices=rules.PRIZE_RANKS)
    name = models.CharField("姓名", max_length=50)
    employer = models.CharField("工作单位", max_length=200)

    class Meta:
        ordering = ["notice", "position"]


def objection_file_path(instance, filename):
    return stored_name(f"objections/{instance.notice.application_id}", filename)


class Objection(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", "待处理"
        ACCEPTED = "accepted", "已受理，核查中"
        UPHELD = "upheld", "经核查属实"
        PARTLY = "partly", "部分属实"
        REJECTED = "rejected", "经核查不属实，不予采纳"
        OUT_OF_SCOPE = "out_of_scope", "不属于公示异议，不予受理"
        # Set in bulk from the queue (services.dismiss_objections), so that a flood cannot hold up the audit.
        DUPLICATE = "duplicate", "重复提交，并入同一异议处理"
        ABUSIVE = "abusive", "恶意或无实质内容的提交，不予处理"

    # Outcomes that close an objection; "pending" and "accepted" still await the department.
    FINAL = ("upheld", "partly", "rejected", "out_of_scope", "duplicate", "abusive")
    DISMISSALS = ("duplicate", "abusive")

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    name = models.CharField("姓名", max_length=50)
    contact = models.CharField("联系方式", max_length=100)
    text = models.TextField("异议内容")
    file = models.FileField("证明材料", upload_to=objection_file_path, storage=encrypted_storage, max_length=300,
                            blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    text_digest = models.CharField(max_length=64)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    outcome = models.CharField("处理结果", max_length=16, choices=Outcome.choices, default=Outcome.PENDING)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["ip_address", "submitted_at"], name="objection_ip_time")]

    @property
    def settled(self) -> bool:
        return self.outcome in self.FINAL


class ObjectionHandling(AppendOnlyModel):
    """Each step the department takes on an objection: outcome, written result, who, when."""

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="handlings")
    outcome = models.CharField("处理结果", max_length=16, choices=Objection.Outcome.choices)
    result = models.TextField("处理意见")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "异议处理记录"
        verbose_name_plural = "异议处理记录"
        ordering = ["at", "id"]
