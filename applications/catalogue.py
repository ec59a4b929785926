"""The occupation catalogue (1.2): search for the trade picker, and the import staff use to load the
official list (columns code,name,major,medium,minor,marks, as in applications/data/occupations-2022.csv).

An import is all or nothing: the first bad row stops it, names its row and column, and nothing is
written, so the catalogue never holds half of a file.
"""

import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts.permissions import require_role
from accounts.roles import Role

from .models import Occupation

SEARCH_LIMIT = 20
# The catalogue shipped with the product (applications/data/README.md says where each file comes from).
SHIPPED = Path(__file__).resolve().parent / "data"
SHIPPED_FILES = ("occupations-2022.csv", "occupations-new-2024-2025.csv")
CODE_RE = re.compile(r"^[1-8]-\d{2}-\d{2}-\d{2}$")
MARKS = {"", "L", "S", "L/S"}
COLUMNS = {
    # column key: (Chinese name shown in errors, accepted header spellings)
    "code": ("职业编码", {"code", "职业编码", "编码"}),
    "name": ("职业名称", {"name", "职业名称", "名称"}),
    "major": ("大类", {"major", "大类"}),
    "medium": ("中类", {"medium", "中类"}),
    "minor": ("小类", {"minor", "小类"}),
    "marks": ("标识", {"marks", "标识"}),
    "source": ("来源", {"source", "来源"}),
}
REQUIRED = ("code", "name")
SOURCES = {value: value for value, _label in Occupation.Source.choices} | {
    str(label): value for value, label in Occupation.Source.choices
} | {"新职业": Occupation.Source.NEW_OCCUPATION, "大典": Occupation.Source.CLASSIFICATION_2022}


def search(query: str, limit: int = SEARCH_LIMIT):
    """By code prefix when the query starts with a digit, else by name; active occupations only."""
    query = (query or "").strip()
    qs = Occupation.objects.filter(is_active=True)
    if not query:
        return qs.none()
    if query[0].isdigit():
        # "4-04-05-05 人工智能训练师" (what the picker fills in) searches by its code.
        qs = qs.filter(code__startswith=query.split()[0])
    else:
        qs = qs.filter(Q(name__icontains=query) | Q(minor__icontains=query)).order_by("code")
    return qs[:limit]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(content: bytes, filename: str) -> list[list[str]]:
    suffix = PurePosixPath(filename or "").suffix.lower()
    if suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError:
                raise ValidationError("CSV 文件编码无法识别，请另存为 UTF-8 编码。") from None
        return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text))]
    if suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        from haidian_contest import inspection

        try:
            inspection.check_workbook(content)
        except inspection.FileRefused as exc:
            raise ValidationError(str(exc)) from None
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
            sheet = workbook.get_sheet_by_index(0)
            return [[_cell(c) for c in row] for row in sheet.to_python(skip_empty_area=False)]
        except Exception as exc:  # calamine raises its own error types for damaged files
            raise ValidationError(f"无法读取 Excel 文件：{exc}") from None
    raise ValidationError("只支持 .xlsx 或 .csv 文件。")


def _header_map(header: list[str]) -> dict[str, int]:
    found = {}
    for index, title in enumerate(header):
        for key, (_label, spellings) in COLUMNS.items():
            if title.strip().lower() in spellings and key not in found:
                found[key] = index
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in found]
    if missing:
        raise ValidationError(
            f"第 1 行应为表头，缺少“{'”“'.join(missing)}”列（可用列名：code,name,major,medium,minor,marks）。"
        )
    return found


def parse(rows: list[list[str]], default_source: str) -> list[dict]:
    if not rows:
        raise ValidationError("文件为空。")
    columns = _header_map(rows[0])
    out, seen = [], {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        values = {key: (row[i] if i < len(row) else "") for key, i in columns.items()}

        def bad(key, why):
            return ValidationError(f"第 {line} 行“{COLUMNS[key][0]}”列：{why}")

        code = values["code"]
        if not CODE_RE.match(code):
            raise bad("code", f"格式应为 X-XX-XX-XX（如 4-04-05-05），实为“{code}”")
        if code in seen:
            raise bad("code", f"“{code}”与第 {seen[code]} 行重复")
        seen[code] = line
        if not values["name"]:
            raise bad("name", "不能为空")
        for key, limit in (("name", 100), ("major", 100), ("medium", 100), ("minor", 100)):
            if len(values.get(key, "")) > limit:
                raise bad(key, f"不能超过 {limit} 个字")
        marks = values.get("marks", "").upper().replace("／", "/")
        if marks not in MARKS:
            raise bad("marks", f"只能为空或 L、S、L/S，实为“{values.get('marks')}”")
        source = SOURCES.get(values.get("source", "").strip(), None) if values.get("source") else default_source
        if source is None:
            raise bad("source", "应为“2022”或“new”（新职业目录）")
        out.append({"code": code, "name": values["name"], "major": values.get("major", ""),
                    "medium": values.get("medium", ""), "minor": values.get("minor", ""), "marks": marks,
                    "source": source})
    if not out:
        raise ValidationError("文件中没有数据行。")
    return out


FIELDS = ("name", "major", "medium", "minor", "marks", "source")


@functools.cache
def _shipped() -> tuple[dict, ...]:
    records = []
    for name in SHIPPED_FILES:
        path = SHIPPED / name
        records += parse(read_rows(path.read_bytes(), path.name), Occupation.Source.CLASSIFICATION_2022)
    return tuple(records)


def shipped_records() -> list[dict]:
    """The shipped catalogue as import records (read through the same parser as an upload), parsed
    once per process: the data migration and the tests' reference data both load it."""
    return [dict(record) for record in _shipped()]


def load_shipped(model=Occupation) -> int:
    """Create the shipped occupations a database lacks; `model` is the historical model in a
    migration. Rows already present are left alone: staff may have imported a newer file."""
    records = shipped_records()
    present = set(model.objects.values_list("code", flat=True))
    new = [model(is_active=True, **record) for record in records if record["code"] not in present]
    model.objects.bulk_create(new, batch_size=500)
    return len(new)


@transaction.atomic
def load_occupations(content: bytes, filename: str, *, source: str = Occupation.Source.CLASSIFICATION_2022) -> ImportResult:
    """Upsert by code. Used by the staff page and `manage.py import_occupations`."""
    records = parse(read_rows(content, filename), source)
    existing = {o.code: o for o in Occupation.objects.filter(code__in=[r["code"] for r in records])}
    new, changed, unchanged = [], [], 0
    for record in records:
        current = existing.get(record["code"])
        if current is None:
            new.append(Occupation(is_active=True, **record))
            continue
        if all(getattr(current, f) == record[f] for f in FIELDS) and current.is_active:
            unchanged += 1
            continue
        for f in FIELDS:
            setattr(current, f, record[f])
        current.is_active = True
        changed.append(current)
    Occupation.objects.bulk_create(new, batch_size=500)
    Occupation.objects.bulk_update(changed, [*FIELDS, "is_active"], batch_size=500)
    return ImportResult(len(new), len(changed), unchanged)


def import_occupations(*, actor, uploaded, source: str = Occupation.Source.CLASSIFICATION_2022) -> ImportResult:
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    return load_occupations(uploaded.read(), uploaded.name, source=source)
