"""Business actions on rosters, winners and the first-prize register. Permission-checked, transactional."""

import logging
import os
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.permissions import require_role
from accounts.security import log_event
from accounts.roles import ROLES_SEEING_FULL_ID, Role
from applications import workflow_engine
from applications.models import Application
from haidian_contest import crypto, inspection, rules
from haidian_contest.queue import enqueue_on_commit
from haidian_contest.workflow import EXECUTION_STATES, State

from .importing.columns import FIRST_PRIZE_COLUMNS
from .importing.first_prizes import read_first_prizes
from .importing.problems import Problems
from .importing.reading import EXTENSIONS, WorkbookError, open_sheet
from .models import FirstPrizeRecord, FullIdView, Participant, RosterVersion, Winner

logger = logging.getLogger(__name__)
Kind = RosterVersion.Kind
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# The roster may be filed from 立项 on (registration often opens before the first tranche), and
# corrected while the audit sends materials back; winners only once the event is running.
ROSTER_STATES = frozenset({State.APPROVED, State.AGREEMENT_SIGNED, *EXECUTION_STATES})
WINNER_STATES = frozenset(EXECUTION_STATES)


def upload_allowed(*, application: Application, kind: str) -> bool:
    """The one place that says in which project states a roster or winners list may be uploaded."""
    states = ROSTER_STATES if kind == Kind.ROSTER else WINNER_STATES
    return application.state in states


def _require_own_project(application: Application, user) -> None:
    require_role(user, Role.ORGANIZER)
    if application.lead_organization_id != user.organization_id:
        raise PermissionDenied("只能为本单位的项目上传名单。")


def _require_upload_state(application: Application, kind: str) -> None:
    if not upload_allowed(application=application, kind=kind):
        what = Kind(kind).label
        raise ValidationError(f"项目当前状态为“{application.state.label}”，不能上传{what}。")


def _check_file(uploaded_file) -> str:
    name = Path(getattr(uploaded_file, "name", "") or "名单.xlsx").name
    if Path(name).suffix.lower() not in EXTENSIONS:
        raise ValidationError("请上传 .xlsx、.xls 或 .ods 格式的表格文件。")
    try:
        # Name, size and kind here; what it unpacks to is measured by the worker before reading.
        inspection.check_document(uploaded_file, allowed=dict.fromkeys(EXTENSIONS, "Excel/WPS 表格"),
                                  max_bytes=MAX_UPLOAD_BYTES, what="名单文件")
    except inspection.FileRefused as exc:
        raise ValidationError(str(exc)) from None
    return name


def _new_version(application, user, kind, name, content, waivers=None) -> RosterVersion:
    # Lock the project row so two uploads at once get distinct version numbers.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    number = (RosterVersion.objects.filter(application=application, kind=kind).aggregate(n=Max("number"))["n"] or 0) + 1
    version = RosterVersion(application=application, kind=kind, number=number, original_name=name[:255],
                            uploaded_by=user, waivers=waivers or {})
    version.file.save(name, content, save=False)
    version.save()
    _enqueue(version.pk)
    return version


def _enqueue(version_id: int) -> None:
    # After commit, so the worker finds the row; through the queue helper, so a broker outage keeps
    # the job for later instead of failing a request whose upload is already saved.
    from .tasks import process_version

    enqueue_on_commit(process_version, version_id)


@transaction.atomic
def start_import(*, application: Application, actor, uploaded_file, kind: str) -> RosterVersion:
    """Store the upload as a new pending version; a Celery task checks it after commit."""
    kind = Kind(kind)
    _require_own_project(application, actor)
    _require_upload_state(application, kind)
    if kind == Kind.WINNERS:
        workflow_engine.require_date_gate(application, "import_winners")
    name = _check_file(uploaded_file)
    return _new_version(application, actor, kind, name, uploaded_file)


@transaction.atomic
def retry_import(*, version: RosterVersion, actor) -> RosterVersion:
    """Run a stalled import again (its worker died, or the job was lost): the same file, the same version.

    The stalled run stored nothing (its writes were one transaction that never committed), and if it
    wakes up after all, it finds the version claimed by the new run and stores nothing.
    """
    application = version.application
    _require_own_project(application, actor)
    _require_upload_state(application, version.kind)
    locked = RosterVersion.objects.select_for_update().get(pk=version.pk)
    if not locked.stalled:
        if locked.done:
            raise ValidationError(f"该版本已处理完毕（{locked.get_status_display()}），无需重新处理。")
        raise ValidationError("该版本正在处理，请稍候；如长时间无进展，可稍后重新处理。")
    RosterVersion.objects.filter(pk=locked.pk).update(
        status=RosterVersion.Status.PENDING, progress=0, heartbeat_at=timezone.now()
    )
    logger.warning("roster import %s retried by %s after stalling", locked.pk, actor)
    _enqueue(locked.pk)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def resubmit_with_waivers(*, version: RosterVersion, actor, reasons: dict) -> RosterVersion:
    """2.4c: the same winners file again, with the organizer's reason for each over-cap prize."""
    application = version.application
    _require_own_project(application, actor)
    _require_upload_state(application, version.kind)
    if version.status != RosterVersion.Status.FAILED or not version.pending_waivers:
        raise ValidationError("该版本没有待说明的豁免事项。")
    waivers = dict(version.waivers)
    for item in version.pending_waivers:
        reason = (reasons.get(str(item["row"])) or "").strip()
        if not reason:
            raise ValidationError(f"第 {item['row']} 行：请填写豁免理由。")
        waivers[str(item["row"])] = reason
    with version.file.open("rb") as handle:
        content = ContentFile(handle.read())
    return _new_version(application, actor, version.kind, version.original_name, content, waivers)


@transaction.atomic
def set_count_justification(*, application: Application, actor, trade_key: str, reason: str) -> None:
    """1.7 (in principle): why a trade has fewer participants than the minimum."""
    _require_own_project(application, actor)
    version = RosterVersion.objects.select_for_update().filter(
        application=application, kind=Kind.ROSTER, is_current=True
    ).first()
    if version is None:
        raise ValidationError("尚未导入参赛选手名单。")
    reason = (reason or "").strip()
    justifications = dict(version.count_justifications)
    if reason:
        justifications[trade_key] = reason
    else:
        justifications.pop(trade_key, None)
    version.count_justifications = justifications
    version.save(update_fields=["count_justifications"])


@transaction.atomic
def decide_plan_waiver(*, application: Application, actor, key: str, accepted: bool, reason: str = "") -> dict:
    """The department's answer to a waiver the organizer explained on a list in force: a departure
    from the plan on the winners list (三（二）), a participant entered by passport on the roster (一（七））.

    As with the application's waivers (review.WaiverDecision), refusing needs a written reason.
    """
    require_role(actor, Role.REVIEWER)
    version, entries, entry = None, [], None
    for version in RosterVersion.objects.select_for_update().filter(
            application=application, kind__in=[Kind.WINNERS, Kind.ROSTER], is_current=True):
        entries = list(version.plan_waivers)
        entry = next((e for e in entries if e.get("key") == key), None)
        if entry is not None:
            break
    if entry is None:
        raise ValidationError("该事项不在当前名单的豁免申请中。")
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise ValidationError(f"不同意 {entry['clause_label']} 的豁免申请，须写明理由。")
    entry.update(accepted=bool(accepted), reason=reason, decided_by=str(actor), decided_by_id=actor.pk,
                 decided_at=timezone.now().isoformat(timespec="seconds"))
    version.plan_waivers = entries
    version.save(update_fields=["plan_waivers"])
    verdict = "同意豁免" if accepted else "不同意豁免"
    logger.info("plan waiver %s on application %s: %s by %s", key, application.pk, verdict, actor.pk)
    return entry


def may_see_full_id(*, actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.role in ROLES_SEEING_FULL_ID)


def reveal_full_id(*, actor, participant: Participant, ip: str = "") -> str:
    """The full number, for the roles that need it; each reveal is written down first (user, IP, path)."""
    if not may_see_full_id(actor=actor):
        raise PermissionDenied("您的角色不能查看完整身份证号。")
    FullIdView.objects.create(user=actor, participant=participant, version_id=participant.version_id,
                              detail=f"{participant.name} {participant.id_masked}")
    log_event("full_id_view", ip=ip, user=actor, detail=f"{participant.name} {participant.id_masked}")
    return participant.id_number


def log_full_export(*, actor, version: RosterVersion, count: int, ip: str = "") -> None:
    if not may_see_full_id(actor=actor):
        raise PermissionDenied("您的角色不能导出完整身份证号。")
    FullIdView.objects.create(user=actor, version=version, detail=f"导出{version}（含完整身份证号，{count} 人）")
    log_event("export", ip=ip, user=actor, detail=f"导出{version}（含完整身份证号，{count} 人）")


FILE_LABELS = {"original": "下载原文件", "errors": "下载错误标注文件"}


def open_version_file(*, actor, version: RosterVersion, which: str, ip: str = ""):
    """The uploaded workbook or its annotated copy, decrypted: both hold every full ID number of the
    file, so each download is a full-ID release on the record (FullIdView and a security event)."""
    require_role(actor, Role.ORGANIZER, Role.REVIEWER)
    field = {"original": version.file, "errors": version.error_file}[which]
    if not field:
        raise FileNotFoundError(which)
    handle = field.open("rb")
    detail = f"{FILE_LABELS[which]}：{version.application_id}号项目{version}（{version.original_name}）"
    FullIdView.objects.create(user=actor, version=version, detail=detail[:200])
    log_event("full_id_view", ip=ip, user=actor, detail=detail)
    return handle


@transaction.atomic
def register_first_prizes(*, application: Application, actor=None) -> int:
    """2.4b: the project's current first-prize winners enter the register (called when the audit passes)."""
    winners = (
        Winner.objects.filter(application=application, is_current=True, rank=1)
        .select_related("participant", "trade__occupation")
    )
    records = [
        FirstPrizeRecord(
            id_hash=w.participant.id_hash, id_masked=w.participant.id_masked, name=w.participant.name,
            id_number_encrypted=crypto.encrypt(w.participant.id_number),
            trade_code=w.participant.trade_code, trade_name=w.trade.name, cycle=application.cycle,
            source=FirstPrizeRecord.Source.AUDIT, application=application, recorded_by=actor,
        )
        for w in winners
    ]
    before = FirstPrizeRecord.objects.filter(application=application).count()
    FirstPrizeRecord.objects.bulk_create(records, ignore_conflicts=True)
    return FirstPrizeRecord.objects.filter(application=application).count() - before


def import_first_prizes(*, actor, uploaded_file):
    """Staff enter past years' first-prize winners. All or nothing; returns (created, problems)."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    name = _check_file(uploaded_file)
    suffix = Path(name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as handle:
        for chunk in uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else [uploaded_file.read()]:
            handle.write(chunk)
        path = handle.name
    try:
        try:
            sheet = open_sheet(path, FIRST_PRIZE_COLUMNS)
        except WorkbookError as exc:
            problems = Problems(FIRST_PRIZE_COLUMNS)
            problems.add(0, "", str(exc))
            return 0, problems
        rows, problems = read_first_prizes(sheet)
        if not problems and not rows:
            problems.add(0, "", "表格中没有数据。")
        if problems:
            return 0, problems
        with transaction.atomic():
            existing = FirstPrizeRecord.objects.count()
            FirstPrizeRecord.objects.bulk_create(
                [
                    FirstPrizeRecord(id_hash=r.id_hash, id_masked=rules.mask_id_number(r.id_number), name=r.name,
                                     id_number_encrypted=crypto.encrypt(r.id_number),
                                     trade_code=r.trade_code, trade_name=r.trade_name, cycle=r.year,
                                     source=FirstPrizeRecord.Source.IMPORT, recorded_by=actor)
                    for r in rows
                ],
                batch_size=2000,
                ignore_conflicts=True,
            )
            return FirstPrizeRecord.objects.count() - existing, problems
    finally:
        os.unlink(path)


__all__ = [
    "upload_allowed", "start_import", "resubmit_with_waivers", "set_count_justification", "decide_plan_waiver", "reveal_full_id",
    "log_full_export", "open_version_file", "register_first_prizes", "import_first_prizes", "may_see_full_id",
]
