"""Rosters (参赛选手名单), winners (获奖名单) and the first-prize register (clauses 1.7, 1.9, 2.4).

Resident ID numbers are personal information: every table that needs to *match* people keeps a
keyed hash (HMAC-SHA256 with settings.ID_HASH_KEY) and a masked copy for display. The full number
(and the phone number) is stored only encrypted (haidian_contest.crypto, settings.PII_ENCRYPTION_KEYS),
for the roles in accounts.roles.ROLES_SEEING_FULL_ID; each reveal writes a FullIdView row and a
security event. The uploaded workbooks are stored encrypted too (haidian_contest.private_files).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Trade, money_field
from haidian_contest import crypto, rules
from haidian_contest.private_files import encrypted_storage, stored_name
from haidian_contest.records import AppendOnlyModel


def upload_path(instance, filename):
    # A generated name: the uploader's file name is kept in original_name for the download only.
    return stored_name(f"rosters/{instance.application_id}/{instance.kind}", filename)


def error_path(instance, filename):
    return stored_name(f"rosters/{instance.application_id}/{instance.kind}", suffix=".xlsx")


def stale_after() -> timedelta:
    return timedelta(seconds=settings.ROSTER_IMPORT_STALE_SECONDS)


class RosterVersion(models.Model):
    """One uploaded workbook and what became of it. Accepted versions are never deleted."""

    class Kind(models.TextChoices):
        ROSTER = "roster", _("参赛选手名单")
        WINNERS = "winners", _("获奖名单")

    class Status(models.TextChoices):
        PENDING = "pending", _("等待处理")
        PROCESSING = "processing", _("正在校验")
        FAILED = "failed", _("未通过校验")
        ACCEPTED = "accepted", _("已导入")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="roster_versions")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    number = models.PositiveIntegerField(_("版本号"))
    file = models.FileField(_("上传文件"), upload_to=upload_path, storage=encrypted_storage, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    # Written with every progress step: a version "processing" whose heartbeat stopped was dropped by
    # a worker that died, and may be run again (by the broker's redelivery or the organizer's retry).
    heartbeat_at = models.DateTimeField(_("最近处理时间"), null=True, blank=True)
    # Raised by every claim; a run stores its result only while the count is still its own, so a run
    # that was presumed dead and then woke up cannot store a second copy.
    attempt = models.PositiveSmallIntegerField(_("处理次数"), default=0)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    row_count = models.PositiveIntegerField(_("数据行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    # The first few hundred errors, for the page: [{"row", "column", "message"}]. The workbook has all.
    errors = models.JSONField(_("错误摘要"), default=list, blank=True)
    # Winners: waivable 2.4c findings still needing a reason: [{"row", "key", "message", "clause_label"}].
    pending_waivers = models.JSONField(default=list, blank=True)
    # Winners: reasons the organizer gave on the page, by Excel row number (as a string key).
    waivers = models.JSONField(_("豁免理由"), default=dict, blank=True)
    error_file = models.FileField(_("错误标注文件"), upload_to=error_path, storage=encrypted_storage, max_length=300,
                                  blank=True)
    is_current = models.BooleanField(_("当前版本"), default=False)
    # 1.7 participant count per trade below the minimum: the organizer's reason, by trade code.
    count_justifications = models.JSONField(_("参赛人数说明"), default=dict, blank=True)
    # Winners: departures from the approved plan (三（二）: more winners of a rank, more prize money);
    # rosters: participants entered by passport (一（七））. What the organizer explained, and the
    # department's decision on each: [{"key", "clause", "clause_label",
    # "subject", "message", "justification", "accepted" (None until decided), "reason", "decided_by",
    # "decided_at"}]. The same fields as review.WaiverDecision, kept with the version they belong to.
    plan_waivers = models.JSONField(_("须职工发展部审核的豁免"), default=list, blank=True)

    class Meta:
        verbose_name = _("名单版本")
        verbose_name_plural = _("名单版本")
        ordering = ["application", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "number"], name="one_roster_version_number"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} 第{self.number}版"

    @property
    def done(self) -> bool:
        return self.status in (self.Status.FAILED, self.Status.ACCEPTED)

    @property
    def stalled(self) -> bool:
        """Waiting or processing, with no sign of life for longer than a run ever goes quiet."""
        if self.done:
            return False
        last = self.heartbeat_at or self.uploaded_at
        return last is not None and timezone.now() - last > stale_after()


PERSONAL_SEPARATOR = "\n"  # never part of a validated ID or phone number


class Participant(models.Model):
    """A row of an accepted roster. Only rows of the current version count (is_current)."""

    # The three foreign keys carry neither a database constraint nor a single-column index: a roster
    # is written only by the import, with ids it has just read in the same transaction, and each
    # constraint or index would cost a lookup per row of a 100,000-row insert (PostgreSQL checks
    # them in triggers at commit). Deletion still cascades through the ORM. Reads go through the
    # composite indexes below.
    version = models.ForeignKey(RosterVersion, on_delete=models.CASCADE, related_name="participants",
                                db_index=False, db_constraint=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="participants",
                                    db_index=False, db_constraint=False)
    cycle = models.PositiveSmallIntegerField(_("竞赛年度"))
    trade = models.ForeignKey(Trade, on_delete=models.CASCADE, related_name="participants", db_index=False,
                              db_constraint=False)
    # The trade's occupation code (or its name when non-standard): what 2.4a/2.4b compare.
    trade_code = models.CharField(_("职业（工种）代码"), max_length=100)
    row_number = models.PositiveIntegerField(_("Excel 行号"))
    name = models.CharField(_("姓名"), max_length=50)
    id_hash = models.CharField(max_length=64)
    id_masked = models.CharField(_("身份证号"), max_length=18)
    # Which card (or passport) the number is of (rules.id_numbers): one keyed hash, mask and cipher for all.
    id_type = models.CharField(_("证件类型"), max_length=16, choices=rules.DOCUMENT_TYPES,
                               default=rules.RESIDENT_CARD)
    # The full ID and phone numbers, encrypted together (haidian_contest.crypto): one cipher operation per
    # row of a 100,000-row import instead of two. Read through id_number / phone.
    personal_encrypted = models.TextField(_("身份证号与手机号（加密）"))
    phone_masked = models.CharField(_("手机号"), max_length=30, blank=True)
    employer = models.CharField(_("工作单位"), max_length=200)
    is_member = models.BooleanField(_("工会会员"))
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("参赛选手")
        verbose_name_plural = _("参赛选手")
        ordering = ["version", "row_number"]
        indexes = [
            # 2.4a across projects reads the cycle's current rows: small integer keys, cheap to insert.
            models.Index(fields=["cycle", "application"], condition=Q(is_current=True),
                         name="participant_cycle_current"),
            models.Index(fields=["application", "is_current", "trade"], name="participant_app_current"),
            models.Index(fields=["version", "row_number"], name="participant_version_row"),
        ]

    def __str__(self):
        return f"{self.name} {self.id_masked}"

    @staticmethod
    def unseal(token: str) -> tuple[str, str]:
        id_number, _, phone = crypto.decrypt(token).partition(PERSONAL_SEPARATOR)
        return id_number, phone

    def _personal(self) -> tuple[str, str]:
        cached = getattr(self, "_unsealed", None)
        if cached is None or cached[0] != self.personal_encrypted:
            cached = (self.personal_encrypted, self.unseal(self.personal_encrypted))
            self._unsealed = cached
        return cached[1]

    @property
    def id_number(self) -> str:
        return self._personal()[0]

    @property
    def phone(self) -> str:
        return self._personal()[1]


class Winner(models.Model):
    version = models.ForeignKey(RosterVersion, on_delete=models.CASCADE, related_name="winners")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="winners")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="awards")
    trade = models.ForeignKey(Trade, on_delete=models.CASCADE, related_name="winners")
    row_number = models.PositiveIntegerField(_("Excel 行号"))
    rank = models.PositiveSmallIntegerField(_("奖项"), choices=rules.PRIZE_RANKS)
    amount = money_field(_("每人奖金（元）"))
    note = models.TextField(_("参赛经历说明"))
    waiver_reason = models.TextField(_("豁免理由"), blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("获奖选手")
        verbose_name_plural = _("获奖选手")
        ordering = ["version", "trade", "rank", "row_number"]
        indexes = [models.Index(fields=["application", "is_current", "rank"], name="winner_app_current")]


class FirstPrizeRecord(models.Model):
    """The first-prize register (2.4b): who won first prize in which trade, in any cycle."""

    class Source(models.TextChoices):
        AUDIT = "audit", _("绩效审核通过后登记")
        IMPORT = "import", _("历年名录导入")

    id_hash = models.CharField(max_length=64)
    id_masked = models.CharField(_("身份证号"), max_length=18)
    # Encrypted, never shown: only so that rotating ID_HASH_KEY can compute the new hash.
    id_number_encrypted = models.TextField(blank=True)
    name = models.CharField(_("姓名"), max_length=50)
    trade_code = models.CharField(_("职业（工种）代码"), max_length=100)
    trade_name = models.CharField(_("职业（工种）"), max_length=100, blank=True)
    cycle = models.PositiveSmallIntegerField(_("获奖年度"))
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="first_prize_records"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("一等奖名录")
        verbose_name_plural = _("一等奖名录")
        ordering = ["-cycle", "trade_code", "name"]
        indexes = [
            models.Index(fields=["id_hash", "trade_code"], name="first_prize_person_trade"),
            models.Index(fields=["trade_code", "id_hash"], name="first_prize_trade_person"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["id_hash", "trade_code", "cycle"], name="one_first_prize_per_cycle"),
        ]


class FullIdView(AppendOnlyModel):
    """Each time someone is shown full ID numbers: one participant, or a full export of a version.

    Append-only, and it keeps what it points at: a revealed participant cannot vanish from the log.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(RosterVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("完整身份证号查看记录")
        verbose_name_plural = _("完整身份证号查看记录")
        ordering = ["-at", "-id"]


from .publicity.models import NoticeEntry, Objection, ObjectionHandling, PublicNotice  # noqa: E402,F401
