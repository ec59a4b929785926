"""Business actions of the event and the materials: transactional, permission-checked.

The organizer edits the materials only while they are outstanding (EXECUTION_STATES) and only for
their own unit; the department records supervision visits. State changes go through
applications.workflow_engine.perform; the guard `materials_complete` is registered here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import require_role
from accounts.roles import Role
from applications import workflow_engine
from applications.evaluation import finding_dict
from applications.models import Application, BudgetLine
from haidian_contest import inspection, rules
from haidian_contest.private_files import local_path
from haidian_contest.queue import enqueue_on_commit
from haidian_contest.workflow import EXECUTION_STATES, State

from . import roster_stats
from .evaluation import materials_state
from .models import (
    ActualSpending,
    AuditMaterials,
    AuditPhoto,
    EventDocument,
    SupervisionPhoto,
    SupervisionVisit,
)

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
DOCUMENT_SUFFIXES = {
    ".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".wps": "WPS 文字", ".xls": "Excel", ".xlsx": "Excel",
    ".ppt": "PPT", ".pptx": "PPT", ".jpg": "JPEG 图片", ".jpeg": "JPEG 图片", ".png": "PNG 图片", ".txt": "文本",
}
# 3.3: union staff supervise while the event runs; a visit may be written up after the materials are in.
SUPERVISION_STATES = frozenset({State.AGREEMENT_SIGNED, State.IN_PROGRESS, State.MATERIALS_SUBMITTED, State.AUDIT_RETURNED})
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".avi", ".mkv", ".wmv", ".mpg", ".mpeg", ".flv", ".webm", ".ts"}


def require_organizer_editing(*, application: Application, actor) -> None:
    require_role(actor, Role.ORGANIZER)
    if application.lead_organization_id != actor.organization_id:
        raise PermissionDenied("只能填报本单位项目的材料。")
    if application.state not in EXECUTION_STATES:
        raise ValidationError(f"项目当前状态为“{application.state.label}”，不能修改绩效审核材料。")


def _locked(application: Application) -> Application:
    # Lock the project row so a submission cannot slip between a check and an upload.
    locked = Application.objects.select_for_update().get(pk=application.pk)
    application.status = locked.status
    return locked


def _delete_after_commit(storage, name: str) -> None:
    # Only once the new record is committed: a rolled-back replacement must not lose the old file.
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _roster_sections(application: Application) -> dict[str, str]:
    return {
        "participants": roster_stats.participants_text(roster_stats.participant_stats(application)),
        "winners": roster_stats.winners_text(roster_stats.winner_rows(application)),
    }


def materials_for(*, application: Application) -> AuditMaterials:
    """The project's materials, created on first use; the participants and winners sections are
    pre-filled from the roster and winners import (4.1) while the organizer has left them empty."""
    materials = AuditMaterials.objects.filter(application=application).first()
    if materials is None:
        materials, _ = AuditMaterials.objects.get_or_create(
            application=application, defaults={"report": {"name": application.title}}
        )
    empty = [key for key in ("participants", "winners") if not materials.section(key).strip()]
    if empty:
        filled = {k: v for k, v in _roster_sections(application).items() if k in empty and v}
        if filled:
            materials.report = {**materials.report, **filled}
            materials.save(update_fields=["report", "updated_at"])
    return materials


# --- 4.1 report ---------------------------------------------------------------------------------


@transaction.atomic
def save_report(*, application: Application, actor, sections: dict[str, str]) -> AuditMaterials:
    require_organizer_editing(application=_locked(application), actor=actor)
    materials = materials_for(application=application)
    keys = {key for key, _label in rules.REPORT_SECTIONS}
    materials.report = {**materials.report, **{k: (v or "").strip() for k, v in sections.items() if k in keys}}
    materials.save()
    return materials


@transaction.atomic
def refill_from_roster(*, application: Application, actor) -> AuditMaterials:
    """Replace the participants and winners sections with the current roster and winners list."""
    require_organizer_editing(application=_locked(application), actor=actor)
    materials = materials_for(application=application)
    materials.report = {**materials.report, **_roster_sections(application)}
    materials.save()
    return materials


@transaction.atomic
def upload_stamped_report(*, application: Application, actor, upload) -> AuditMaterials:
    require_organizer_editing(application=_locked(application), actor=actor)
    try:
        inspection.check_document(upload, allowed={".pdf": "PDF"}, max_bytes=MAX_DOCUMENT_BYTES, what="盖章扫描件")
    except inspection.FileRefused as exc:
        raise ValidationError(str(exc)) from None
    materials = materials_for(application=application)
    previous = materials.stamped_report.name if materials.stamped_report else ""
    materials.stamped_report.save(upload.name, upload, save=False)
    materials.stamped_report_name = upload.name[:255]
    materials.stamped_report_uploaded_at = timezone.now()
    materials.save()
    _delete_after_commit(materials.stamped_report.storage, previous)
    return materials


@transaction.atomic
def set_justifications(*, application: Application, actor, justifications: dict[str, str]) -> AuditMaterials:
    require_organizer_editing(application=_locked(application), actor=actor)
    materials = materials_for(application=application)
    merged = {**materials.justifications, **justifications}
    materials.justifications = {k: v.strip() for k, v in merged.items() if (v or "").strip()}
    materials.save()
    return materials


# --- 4.2a photos --------------------------------------------------------------------------------


def add_photos(*, application: Application, actor, uploads) -> tuple[list[AuditPhoto], list[tuple[str, str]]]:
    """Store each file Pillow can read as a photo; refuse the rest. Returns (stored, [(name, reason)])."""
    from .tasks import make_photo_thumbnail

    stored, refused = [], []
    with transaction.atomic():
        require_organizer_editing(application=_locked(application), actor=actor)
        ruleset = rules.ruleset_for(timezone.localdate())
        existing = AuditPhoto.objects.filter(application=application).count()
        for upload in uploads:
            if existing + len(stored) >= ruleset.max_photos:
                refused.append((upload.name, f"已达 {ruleset.max_photos} 张上限（四（二））"))
                continue
            try:
                facts = inspection.inspect_image(upload)
            except inspection.FileRefused as exc:
                refused.append((upload.name, str(exc)))
                continue
            photo = AuditPhoto(
                application=application,
                original_name=upload.name[:255],
                size_bytes=upload.size,
                image_format=facts.image_format,
                dpi_x=facts.dpi[0] if facts.dpi else None,
                dpi_y=facts.dpi[1] if facts.dpi else None,
                mode=facts.mode,
                colour=facts.colour,
                width=facts.width,
                height=facts.height,
                uploaded_by=actor,
            )
            photo.file.save(upload.name, upload, save=False)
            photo.save()
            stored.append(photo)
        # Thumbnails are not made in the request: 100 photos of 10 MB would time it out.
        for photo in stored:
            enqueue_on_commit(make_photo_thumbnail, photo.pk)
    return stored, refused


@transaction.atomic
def delete_photo(*, application: Application, actor, photo_id: int) -> None:
    require_organizer_editing(application=_locked(application), actor=actor)
    photo = AuditPhoto.objects.filter(application=application, pk=photo_id).first()
    if photo is None:
        raise ValidationError("照片不存在。")
    files = [f for f in (photo.file, photo.thumbnail) if f]
    photo.delete()
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])


# --- 4.2b video, 1.8 recording ------------------------------------------------------------------


@transaction.atomic
def upload_video(*, application: Application, actor, upload) -> AuditMaterials:
    require_organizer_editing(application=_locked(application), actor=actor)
    name = upload.name.lower()
    if not any(name.endswith(s) for s in VIDEO_SUFFIXES):
        raise ValidationError("请上传常见格式的视频文件（MP4、MOV 等）。")
    materials = materials_for(application=application)
    previous = materials.video_file.name if materials.video_file else ""
    materials.video_file.save(upload.name, upload, save=False)
    # Read from the stored file itself, decoded to its end: the organizer never types the length,
    # and a truncated file's header is not believed.
    try:
        with local_path(materials.video_file) as path:
            seconds = inspection.inspect_video(path).seconds
    except inspection.FileRefused as exc:
        materials.video_file.delete(save=False)
        raise ValidationError(str(exc)) from None
    materials.video_name = upload.name[:255]
    materials.video_size = upload.size
    materials.video_location = ""
    materials.video_seconds = seconds
    materials.save()
    _delete_after_commit(materials.video_file.storage, previous)
    return materials


@transaction.atomic
def set_video_location(*, application: Application, actor, location: str) -> AuditMaterials:
    """A video too large to upload: its path in the union's video archive, read from there."""
    from .video_archive import resolve_archive_path

    require_organizer_editing(application=_locked(application), actor=actor)
    path = resolve_archive_path(location)
    try:
        seconds = inspection.inspect_video(str(path)).seconds
    except inspection.FileRefused as exc:
        raise ValidationError(f"视频存档目录中的该文件：{exc}") from None
    materials = materials_for(application=application)
    _delete_after_commit(materials.video_file.storage, materials.video_file.name if materials.video_file else "")
    materials.video_file = ""
    materials.video_name = path.name
    materials.video_location = location.strip()
    materials.video_size = path.stat().st_size
    materials.video_seconds = seconds
    materials.save()
    return materials


@transaction.atomic
def set_recording(*, application: Application, actor, location: str, kept_until: date | None) -> AuditMaterials:
    require_organizer_editing(application=_locked(application), actor=actor)
    materials = materials_for(application=application)
    materials.recording_location = (location or "").strip()[:500]
    materials.recording_kept_until = kept_until
    materials.save()
    return materials


# --- actual use of funds ------------------------------------------------------------------------


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError("金额格式不正确。") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError("金额须为不小于 0 的数，最多两位小数。")
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def save_spending(*, application: Application, actor, rows: dict[int, tuple[str, str]]) -> None:
    """rows: {budget line id: (amount text, note)}; an empty amount removes the line's entry."""
    require_organizer_editing(application=_locked(application), actor=actor)
    lines = {b.pk: b for b in BudgetLine.objects.filter(trade__application=application, pk__in=list(rows))}
    for line_id, (amount_text, note) in rows.items():
        line = lines.get(int(line_id))
        if line is None:
            raise PermissionDenied("预算科目不属于该项目。")
        if not (amount_text or "").strip():
            ActualSpending.objects.filter(budget_line=line).delete()
            continue
        ActualSpending.objects.update_or_create(
            budget_line=line,
            defaults={"application": application, "amount": _amount(amount_text), "note": (note or "")[:200],
                      "updated_by": actor},
        )


# --- 3.3 / 3.4 event documents, supervision -----------------------------------------------------


def _check_document(upload) -> None:
    try:
        inspection.check_document(upload, allowed=DOCUMENT_SUFFIXES, max_bytes=MAX_DOCUMENT_BYTES)
    except inspection.FileRefused as exc:
        raise ValidationError(str(exc)) from None


@transaction.atomic
def add_event_document(*, application: Application, actor, kind: str, title: str, upload) -> EventDocument:
    require_organizer_editing(application=_locked(application), actor=actor)
    if kind not in dict(EventDocument.KINDS):
        raise ValidationError("请选择文件类型。")
    _check_document(upload)
    document = EventDocument(application=application, kind=kind, title=(title or "").strip()[:200],
                             original_name=upload.name[:255], size=upload.size, uploaded_by=actor)
    document.file.save(upload.name, upload, save=False)
    document.save()
    return document


@transaction.atomic
def delete_event_document(*, application: Application, actor, document_id: int) -> None:
    require_organizer_editing(application=_locked(application), actor=actor)
    document = EventDocument.objects.filter(application=application, pk=document_id).first()
    if document is None:
        raise ValidationError("文件不存在。")
    file = document.file
    document.delete()
    transaction.on_commit(lambda: file.storage.delete(file.name))


@transaction.atomic
def record_supervision_visit(*, application: Application, actor, visited_on: date, staff: str,
                             observations: str, photos=()) -> SupervisionVisit:
    """3.3: the development department's on-site supervision."""
    require_role(actor, Role.REVIEWER)
    if application.state not in SUPERVISION_STATES:
        raise ValidationError("只能在竞赛实施期间登记现场督导。")
    if not (staff or "").strip() or not (observations or "").strip():
        raise ValidationError("请填写督导人员和督导情况。")
    visit = SupervisionVisit.objects.create(application=application, visited_on=visited_on, staff=staff.strip(),
                                            observations=observations.strip(), recorded_by=actor)
    for upload in photos:
        try:
            inspection.inspect_image(upload)
        except inspection.FileRefused as exc:
            raise ValidationError(f"{upload.name}：{exc}") from None
        photo = SupervisionPhoto(visit=visit, original_name=upload.name[:255], size=upload.size)
        photo.file.save(upload.name, upload, save=False)
        photo.save()
    return visit


# --- submission (3.5) ---------------------------------------------------------------------------


@workflow_engine.register_guard("materials_complete")
def _materials_complete(application: Application) -> list[str]:
    return materials_state(application).unmet()


@transaction.atomic
def submit_materials(*, application: Application, actor, comment: str = ""):
    require_organizer_editing(application=_locked(application), actor=actor)
    workflow_engine.require_date_gate(application, "submit_materials")
    materials = materials_for(application=application)
    change = workflow_engine.perform(application=application, name="submit_materials", actor=actor, comment=comment)
    state = materials_state(application, materials)
    materials.submitted_at = timezone.now()
    materials.submitted_findings = [
        finding_dict(f, materials.justifications.get(f.key, "")) for f in state.findings
    ]
    materials.save(update_fields=["submitted_at", "submitted_findings", "updated_at"])
    return change
