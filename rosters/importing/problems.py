"""Problems found in a workbook, by Excel row and column, worded in Chinese for the organizer."""

from dataclasses import dataclass, field

from haidian_contest.rules.people import id_number_problem, is_valid_id_number

from .columns import Column

PAGE_LIMIT = 300  # problems kept for the page; the annotated workbook carries all of them


@dataclass(frozen=True)
class Problem:
    row: int  # Excel row number; 0 for the file as a whole
    column: str  # column key, "" for the whole row
    message: str
    waivable: bool = False
    key: str = ""  # rules.Finding.key for a waivable finding


@dataclass
class Problems:
    columns: tuple[Column, ...]
    by_row: dict[int, list[Problem]] = field(default_factory=dict)
    hard_count: int = 0
    rows: int = 0  # data rows read
    waivable_count: int = 0

    def add(self, row: int, column: str, message: str, *, waivable: bool = False, key: str = "") -> None:
        self.by_row.setdefault(row, []).append(Problem(row, column, message, waivable, key))
        if waivable:
            self.waivable_count += 1
        else:
            self.hard_count += 1

    def header(self, key: str) -> str:
        for column in self.columns:
            if column.key == key:
                return column.header
        return ""

    def describe(self, problem: Problem) -> str:
        if problem.row == 0:
            return problem.message
        where = f"第 {problem.row} 行"
        if problem.column:
            where += f"“{self.header(problem.column)}”"
        return f"{where}：{problem.message}"

    def all(self) -> list[Problem]:
        return [p for row in sorted(self.by_row) for p in self.by_row[row]]

    def summary(self, limit: int = PAGE_LIMIT) -> list[dict]:
        out = []
        for problem in self.all()[:limit]:
            out.append({
                "row": problem.row,
                "column": self.header(problem.column),
                "message": problem.message,
                "text": self.describe(problem),
                "waivable": problem.waivable,
            })
        return out

    def __bool__(self) -> bool:
        return bool(self.by_row)


def id_problem(raw, normalized: str, today=None) -> str | None:
    """Why an ID number is refused (the rules module's words, citing 一（七）); None if valid.

    The one thing only a spreadsheet can do wrong is said here: a number cell has lost digits."""
    if is_valid_id_number(normalized, today=today):
        return None
    from .reading import lost_digits

    if lost_digits(raw):
        return "身份证号被保存为数字，末几位已丢失；请把该列设置为“文本”格式后重新填写"
    return id_number_problem(normalized, today=today)
