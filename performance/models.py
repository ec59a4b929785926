"""What happens during and after the event: supervision, event documents, audit materials, the audit.

Everything hangs on applications.Application (the project record). Files live under MEDIA_ROOT with
generated names (the organizer's file name is kept as data) and are served only by permission-checked
views.
"""


from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application, BudgetLine, StatusChange, money_field
from haidian_contest.records import AppendOnlyModel
from haidian_contest.private_files import stored_name


def _stored_name(folder: str, instance_app_id, filename: str) -> str:
    # A generated name: organizers' names may collide, hold path tricks or be very long.
    return stored_name(f"performance/{instance_app_id}/{folder}", filename)


def photo_path(instance, filename):
    return _stored_name("photos", instance.application_id, filename)


def thumbnail_path(instance, filename):
    return _stored_name("thumbnails", instance.application_id, filename)


def document_path(instance, filename):
    return _stored_name(f"documents/{instance.kind}", instance.application_id, filename)


def materials_file_path(instance, filename):
    return _stored_name("materials", instance.application_id, filename)


def supervision_photo_path(instance, filename):
    return _stored_name("supervision", instance.visit.application_id, filename)


def job_file_path(instance, filename):
    # The file name holds the project title (user text): it is kept in job.filename for the download only.
    return stored_name(f"performance/exports/{instance.kind}", filename)


class SupervisionVisit(models.Model):
    """3.3: union staff supervise the event on site."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="supervision_visits")
    visited_on = models.DateField(_("督导日期"))
    staff = models.CharField(_("督导人员"), max_length=200)
    observations = models.TextField(_("督导情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("现场督导记录")
        verbose_name_plural = _("现场督导记录")
        ordering = ["visited_on", "id"]


class SupervisionPhoto(models.Model):
    visit = models.ForeignKey(SupervisionVisit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=supervision_photo_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["id"]


class EventDocument(models.Model):
    """3.3–3.4: documents of the event itself, handed in by the organizer while it runs."""

    KINDS = [
        ("agenda", "议程"),
        ("host_script", "主持词"),
        ("media_report", "媒体报道"),
        ("briefing", "信息简报"),
        ("other", "其他"),
    ]
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="event_documents")
    kind = models.CharField(_("类型"), max_length=16, choices=KINDS)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to=document_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("赛事文件")
        verbose_name_plural = _("赛事文件")
        ordering = ["kind", "id"]


class AuditMaterials(models.Model):
    """The performance-audit materials of one project (3.5, 4.1, 4.2, 1.8)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="audit_materials")
    # 4.1: {REPORT_SECTIONS key: text}; keys come from the rules module so a revision can add one.
    report = models.JSONField(_("总结报告"), default=dict, blank=True)
    stamped_report = models.FileField(_("盖章扫描件"), upload_to=materials_file_path, blank=True, max_length=255)
    stamped_report_name = models.CharField(max_length=255, blank=True)
    stamped_report_uploaded_at = models.DateTimeField(null=True, blank=True)
    # 4.2b: an uploaded file, or the path of one in the video archive; either way the length is read
    # from the file, never typed in.
    video_file = models.FileField(_("视频文件"), upload_to=materials_file_path, blank=True, max_length=255)
    video_name = models.CharField(_("视频文件名"), max_length=255, blank=True)
    video_location = models.CharField(_("视频存放位置"), max_length=500, blank=True)
    video_size = models.PositiveBigIntegerField(null=True, blank=True)
    video_seconds = models.FloatField(_("视频时长（秒）"), null=True, blank=True)
    # 1.8: where the full recording of the final is kept, and until when.
    recording_location = models.CharField(_("决赛全程录像存放位置"), max_length=500, blank=True)
    recording_kept_until = models.DateField(_("录像保存至"), null=True, blank=True)
    # Organizer's reasons for waivable findings, keyed by rules.Finding.key.
    justifications = models.JSONField(_("豁免理由"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_findings = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("绩效审核材料")
        verbose_name_plural = _("绩效审核材料")

    def section(self, key: str) -> str:
        return (self.report or {}).get(key, "")


class AuditPhoto(models.Model):
    """4.2a: one on-site photo, with what Pillow read from the file itself."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="audit_photos")
    file = models.FileField(upload_to=photo_path, max_length=255)
    thumbnail = models.FileField(upload_to=thumbnail_path, blank=True, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("文件大小"))
    image_format = models.CharField(_("格式"), max_length=16)
    dpi_x = models.FloatField(null=True, blank=True)
    dpi_y = models.FloatField(null=True, blank=True)
    mode = models.CharField(_("色彩模式"), max_length=16)
    colour = models.BooleanField(_("彩色"))
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        ordering = ["id"]

    @property
    def dpi(self):
        """As Pillow reports it, for rules.check_photo; None when the file carries no resolution."""
        if self.dpi_x is None or self.dpi_y is None:
            return None
        return (self.dpi_x, self.dpi_y)


class ActualSpending(models.Model):
    """Actual use of funds per approved budget line (4.1 资金使用)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="actual_spending")
    budget_line = models.OneToOneField(BudgetLine, on_delete=models.CASCADE, related_name="actual_spending")
    amount = money_field(_("实际支出（元）"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("实际支出")
        verbose_name_plural = _("实际支出")


class AuditDecision(AppendOnlyModel):
    """The department's decision on the materials; the state change itself is in StatusChange. Append-only."""

    DECISIONS = [("audit_pass", "通过"), ("audit_return", "退回补充"), ("audit_fail", "不通过")]
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="audit_decisions")
    decision = models.CharField(_("审核结论"), max_length=16, choices=DECISIONS)
    comment = models.TextField(_("意见"), blank=True)
    # Judgement items (RULES.md: judgement kinds are decided by people, not read from files).
    banner_confirmed = models.BooleanField(_("照片可见“海淀区职工职业技能竞赛”横幅或易拉宝（四（二））"), default=False)
    branding_confirmed = models.BooleanField(_("区总工会标识或落款符合承办角色（一（五））"), default=False)
    findings = models.JSONField(default=list, blank=True)
    status_change = models.OneToOneField(StatusChange, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("绩效审核结论")
        verbose_name_plural = _("绩效审核结论")
        ordering = ["decided_at", "id"]


class MaterialReminder(models.Model):
    """A deadline reminder already sent: the daily task must never send one twice."""

    MILESTONES = [("due_in_7", "截止前7天"), ("due_in_2", "截止前2天"), ("overdue", "已逾期")]
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="material_reminders")
    milestone = models.CharField(max_length=16, choices=MILESTONES)
    deadline = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "milestone", "deadline"], name="one_reminder_per_milestone")
        ]


class ExportJob(models.Model):
    """A generated file (PDF summary, year summary, audit bundle), built by a Celery task.

    `fingerprint` hashes everything the file shows, so a finished job is reused until the project
    changes.
    """

    KINDS = [
        ("summary_pdf", "项目审计摘要（PDF）"),
        ("bundle", "审计资料包（ZIP）"),
        ("year_pdf", "年度汇总（PDF）"),
        ("year_xlsx", "年度汇总（Excel）"),
    ]
    STATUSES = [("pending", "排队中"), ("running", "生成中"), ("done", "已完成"), ("failed", "失败")]
    kind = models.CharField(max_length=16, choices=KINDS)
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    cycle = models.PositiveSmallIntegerField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=STATUSES, default="pending")
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True)
    file = models.FileField(upload_to=job_file_path, blank=True, max_length=255)
    filename = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "application", "cycle", "fingerprint"])]

    @property
    def finished(self) -> bool:
        return self.status in {"done", "failed"}


# --- self-evaluation (项目支出绩效自评表) ---------------------------------------------------------


class EvaluationEntry(models.Model):
    """What the organizer fills in for one target: the actual value the system cannot know (with its
    evidence), and for any deviation its reason and the corrective step."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evaluation_entries")
    target = models.OneToOneField("applications.PerformanceTarget", on_delete=models.CASCADE,
                                  related_name="evaluation_entry")
    actual = models.DecimalField(_("实际完成值（填报）"), max_digits=14, decimal_places=2, null=True, blank=True)
    evidence = models.TextField(_("佐证材料"), blank=True)
    deviation_reason = models.TextField(_("偏差原因分析"), blank=True)
    corrective_step = models.TextField(_("改进措施"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("绩效自评填报")
        verbose_name_plural = _("绩效自评填报")


class CertificateRecord(models.Model):
    """A winner's skill-level certificate (取证), the evidence of the certificate indicator.

    The person is picked from the roster (no ID number typed again); the ID shows masked from there.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="certificate_records")
    participant = models.OneToOneField("rosters.Participant", verbose_name=_("获证选手"), on_delete=models.CASCADE,
                                       related_name="certificate_record")
    certificate_number = models.CharField(_("证书编号"), max_length=64)
    level = models.CharField(_("技能等级"), max_length=2, choices=[
        ("5", "五级/初级工"), ("4", "四级/中级工"), ("3", "三级/高级工"), ("2", "二级/技师"), ("1", "一级/高级技师")])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("取证记录")
        verbose_name_plural = _("取证记录")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["application", "certificate_number"],
                                               name="one_certificate_number_per_project")]


class ScoreAdjustment(AppendOnlyModel):
    """The reviewer's change of one line's score: who, when, from, to, why. Append-only; the latest counts."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="score_adjustments")
    target = models.ForeignKey("applications.PerformanceTarget", on_delete=models.PROTECT,
                               related_name="score_adjustments")
    from_score = models.DecimalField(_("调整前得分"), max_digits=5, decimal_places=2)
    to_score = models.DecimalField(_("调整后得分"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("调整理由"))
    adjusted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    adjusted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评分调整")
        verbose_name_plural = _("评分调整")
        ordering = ["adjusted_at", "id"]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="score_adjustment_has_reason")]
# The participants' satisfaction survey lives in its own module; imported here so the app finds its models.
from .survey.models import Survey, SurveyAnswer, SurveyReceipt  # noqa: E402,F401
