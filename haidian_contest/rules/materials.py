"""Records and performance-audit materials: retention (1.8), deadline (3.5), report (4.1), photos and video (4.2)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Iterable

from .base import Finding, hard, quantity, waivable
from .ruleset import RuleSet, resolve

REPORT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("name", "比赛名称"),
    ("purpose", "目的"),
    ("participants", "参与人数"),
    ("course", "比赛经过"),
    ("winners", "获奖名单"),
    ("funds", "资金使用"),
    ("results", "成果收获"),
    ("suggestions", "选手建议"),
    ("shortcomings", "不足"),
)
_SECTION_LABELS = dict(REPORT_SECTIONS)


def materials_deadline(event_end: date, *, ruleset: RuleSet | None = None) -> date:
    """3.5: last day to hand in the audit materials."""
    return event_end + timedelta(days=resolve(ruleset).materials_days)


def retention_until(event_end: date, *, ruleset: RuleSet | None = None) -> date:
    """1.8: records kept at least this long; 29 Feb maps to 28 Feb in a common year."""
    year = event_end.year + resolve(ruleset).retention_years
    try:
        return event_end.replace(year=year)
    except ValueError:
        return event_end.replace(year=year, day=28)


def check_retention(event_end: date, kept_until: date | None, *,
                    ruleset: RuleSet | None = None) -> list[Finding]:
    rs = resolve(ruleset)
    required = retention_until(event_end, ruleset=rs)
    if kept_until is None:
        return [hard("1.8", "retention_missing",
                     f"未登记影像记录保存期限，须保存至 {required.isoformat()}（至少 {rs.retention_years} 年）")]
    if kept_until < required:
        return [hard("1.8", "retention_too_short",
                     f"影像记录保存至 {kept_until.isoformat()}，早于 {required.isoformat()}"
                     f"（至少保存 {rs.retention_years} 年）")]
    return []


def check_report(char_count: int, missing_sections: Iterable[str], *,
                 ruleset: RuleSet | None = None) -> list[Finding]:
    """4.1: every section present (hard); length "about" the nominal one (in principle).

    ``missing_sections`` may hold REPORT_SECTIONS keys or Chinese labels.
    """
    rs = resolve(ruleset)
    quantity(char_count, "char_count")
    findings: list[Finding] = []
    missing = [_SECTION_LABELS.get(section, section) for section in missing_sections]
    if missing:
        findings.append(hard("4.1", "report_sections_missing",
                             f"竞赛总结报告缺少以下内容：{'、'.join(missing)}"))
    if not rs.report_min_chars <= char_count <= rs.report_max_chars:
        findings.append(waivable(
            "4.1", "report_length",
            f"竞赛总结报告 {char_count} 字，要求 {rs.report_chars} 字左右"
            f"（{rs.report_min_chars}–{rs.report_max_chars} 字）",
        ))
    return findings


def _dpi_value(dpi: object) -> float | None:
    """Pillow reports (x, y); the weaker axis decides. None means unreadable."""
    if dpi is None:
        return None
    if isinstance(dpi, tuple):
        values = [_dpi_value(axis) for axis in dpi]
        return None if not values or None in values else min(values)
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not math.isfinite(dpi):
        return None
    return float(dpi)


def _dpi_ok(dpi: float, minimum: int) -> bool:
    # PNG stores pixels per metre: a 300 dpi file reads back as 299.9994.
    return round(dpi) >= minimum


def _photo_problems(size_bytes: int, dpi: object, rs: RuleSet) -> list[tuple[str, str]]:
    quantity(size_bytes, "size_bytes")
    problems = []
    if size_bytes > rs.max_photo_bytes:
        problems.append(("photo_too_large", f"超过 {rs.max_photo_bytes // (1024 * 1024)} MB"))
    value = _dpi_value(dpi)
    if value is None:
        problems.append(("photo_dpi_unreadable", "无法读取分辨率"))
    elif not _dpi_ok(value, rs.min_photo_dpi):
        problems.append(("photo_dpi_low", f"分辨率低于 {rs.min_photo_dpi} dpi"))
    return problems


def check_photo(size_bytes: int, dpi: object, colour: bool = True, *,
                ruleset: RuleSet | None = None) -> list[Finding]:
    """4.2a for one uploaded file."""
    rs = resolve(ruleset)
    findings = [hard("4.2a", code, f"现场照片{text}") for code, text in _photo_problems(size_bytes, dpi, rs)]
    if not colour:
        findings.append(hard("4.2a", "photo_not_colour", "现场照片须为彩色照片"))
    return findings


def check_photos(photos: Iterable[tuple[int, object]], *,
                 ruleset: RuleSet | None = None) -> list[Finding]:
    """4.2a for the whole set: count, then one finding per kind of problem naming the photos (1-based)."""
    rs = resolve(ruleset)
    problems: dict[str, tuple[str, list[int]]] = {}
    total = 0
    for number, (size_bytes, dpi) in enumerate(photos, start=1):
        total = number
        for code, text in _photo_problems(size_bytes, dpi, rs):
            problems.setdefault(code, (text, []))[1].append(number)
    findings: list[Finding] = []
    if not rs.min_photos <= total <= rs.max_photos:
        findings.append(hard("4.2a", "photo_count",
                             f"现场照片 {total} 张，须为 {rs.min_photos}–{rs.max_photos} 张"))
    for code, (text, numbers) in problems.items():
        findings.append(hard("4.2a", code,
                             f"第 {'、'.join(map(str, numbers))} 张照片{text}"))
    return findings


def check_video(duration_seconds: int | float | None, *,
                ruleset: RuleSet | None = None) -> list[Finding]:
    """4.2b: one edited video of at least the minimum length. None means the length could not be read."""
    rs = resolve(ruleset)
    minutes = rs.min_video_seconds // 60
    if duration_seconds is None:
        return [hard("4.2b", "video_duration_unreadable", f"无法读取视频时长，须不少于 {minutes} 分钟")]
    if isinstance(duration_seconds, bool) or not isinstance(duration_seconds, (int, float)):
        raise TypeError(f"duration_seconds must be int or float, not {type(duration_seconds).__name__}")
    if math.isnan(duration_seconds) or duration_seconds < 0:
        raise ValueError(f"duration_seconds must be a non-negative number, got {duration_seconds}")
    if duration_seconds >= rs.min_video_seconds:
        return []
    shown = f"{int(duration_seconds) // 60} 分 {int(duration_seconds) % 60} 秒"
    return [hard("4.2b", "video_too_short", f"视频时长 {shown}，不足 {minutes} 分钟")]
