"""The findings of a project's performance-audit materials, through the rules module (4.1, 4.2, 1.8).

Pure reads: the guard `materials_complete`, the organizer's page and the reviewer's page all call
`materials_findings`, so what blocks submission is exactly what is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from applications.models import Application
from haidian_contest import rules
from haidian_contest.rules.base import hard

from .models import AuditMaterials, AuditPhoto


def ruleset_for_project(application: Application) -> rules.RuleSet:
    # Judged by the measures in force when the application was submitted, not by a later revision.
    day = timezone.localtime(application.submitted_at).date() if application.submitted_at else timezone.localdate()
    return rules.ruleset_for(day)


def report_char_count(report: dict) -> int:
    """Characters of the report's text, whitespace not counted (the template's live counter agrees)."""
    return sum(len("".join((text or "").split())) for text in (report or {}).values())


def missing_sections(report: dict) -> list[str]:
    return [key for key, _label in rules.REPORT_SECTIONS if not (report or {}).get(key, "").strip()]


def photo_findings(photo: AuditPhoto, ruleset: rules.RuleSet) -> list[rules.Finding]:
    return rules.check_photo(photo.size_bytes, photo.dpi, photo.colour, ruleset=ruleset)


def _not_colour(photos: list[AuditPhoto], ruleset: rules.RuleSet) -> list[rules.Finding]:
    # check_photos judges size and resolution over the set; colour is judged per file by check_photo.
    numbers = [
        n for n, p in enumerate(photos, 1)
        if any(f.code == "photo_not_colour" for f in photo_findings(p, ruleset))
    ]
    if not numbers:
        return []
    return [hard("4.2a", "photo_not_colour", f"第 {'、'.join(map(str, numbers))} 张照片不是彩色照片")]


def _report(materials: AuditMaterials, ruleset) -> list[rules.Finding]:
    findings = rules.check_report(
        report_char_count(materials.report), missing_sections(materials.report), ruleset=ruleset
    )
    if not materials.stamped_report:
        findings.append(hard("4.1", "report_not_stamped", "未上传盖章的竞赛总结报告扫描件（PDF）"))
    return findings


def _video(materials: AuditMaterials, ruleset) -> list[rules.Finding]:
    if not (materials.video_file or materials.video_location):
        return [hard("4.2b", "video_missing", "未上传剪辑视频，也未登记视频存放位置")]
    return rules.check_video(materials.video_seconds, ruleset=ruleset)


def _retention(application: Application, materials: AuditMaterials, ruleset) -> list[rules.Finding]:
    if application.end_date is None:
        return [hard("1.8", "event_end_missing", "项目未登记竞赛结束日期，无法计算录像保存期限")]
    findings = []
    if not materials.recording_location.strip():
        findings.append(hard("1.8", "recording_location_missing", "未登记决赛全程录像的存放位置"))
    findings += rules.check_retention(application.end_date, materials.recording_kept_until, ruleset=ruleset)
    return findings


@dataclass
class MaterialsState:
    """Everything the pages need about the materials, read once."""

    materials: AuditMaterials
    photos: list[AuditPhoto]
    ruleset: rules.RuleSet
    findings: list[rules.Finding]

    @property
    def hard(self) -> list[rules.Finding]:
        return [f for f in self.findings if not f.waivable]

    @property
    def waivable(self) -> list[rules.Finding]:
        return [f for f in self.findings if f.waivable]

    @property
    def char_count(self) -> int:
        return report_char_count(self.materials.report)

    def unmet(self) -> list[str]:
        """Why the materials cannot be submitted: hard findings, then waivable ones without a reason."""
        reasons = [f.message for f in self.hard]
        justifications = self.materials.justifications or {}
        reasons += [
            f"{f.message}：须填写豁免理由"
            for f in self.waivable
            if not (justifications.get(f.key) or "").strip()
        ]
        return reasons


def materials_state(application: Application, materials: AuditMaterials | None = None,
                    photos: list[AuditPhoto] | None = None) -> MaterialsState:
    if materials is None:
        materials = AuditMaterials.objects.filter(application=application).first() or AuditMaterials(
            application=application
        )
    if photos is None:
        photos = list(AuditPhoto.objects.filter(application=application).order_by("id"))
    ruleset = ruleset_for_project(application)
    findings = _report(materials, ruleset)
    findings += rules.check_photos([(p.size_bytes, p.dpi) for p in photos], ruleset=ruleset)
    findings += _not_colour(photos, ruleset)
    findings += _video(materials, ruleset)
    findings += _retention(application, materials, ruleset)
    findings += rules.check_materials_on_time(application.end_date, handed_in_on(materials), ruleset=ruleset)
    return MaterialsState(materials, photos, ruleset, findings)


def handed_in_on(materials: AuditMaterials) -> date:
    """3.5 counts to the day the materials were (last) submitted, or to today while they are not."""
    if materials.submitted_at:
        return timezone.localtime(materials.submitted_at).date()
    return timezone.localdate()


def deadline_for(application: Application) -> date | None:
    if application.end_date is None:
        return None
    return rules.materials_deadline(application.end_date, ruleset=ruleset_for_project(application))


def retention_date_for(application: Application) -> date | None:
    if application.end_date is None:
        return None
    return rules.retention_until(application.end_date, ruleset=ruleset_for_project(application))

