"""The columns of each workbook kind: Chinese header, the aliases people type, and template hints.

Columns are found by header text, not by position, so a user may reorder them, add their own, or
re-upload the annotated workbook with its extra “错误说明” column.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    text: bool = False  # typed as text in the template, so Excel keeps every digit
    width: int = 16
    hint: str = ""


ERROR_HEADER = "错误说明"

ROSTER_COLUMNS = (
    Column("name", "姓名", aliases=("选手姓名", "参赛选手姓名"), width=12, hint="与身份证一致的真实姓名"),
    Column("id_number", "身份证号", aliases=("身份证号码", "公民身份号码", "居民身份证号码", "证件号码"), text=True,
           width=22, hint="18 位居民身份证、港澳台居民居住证或外国人永久居留身份证号码，末位可为 X；"
                          "旧版永居证为 15 位；仅持护照的填护照号码并在“证件类型”列注明"),
    Column("id_type", "证件类型", required=False, aliases=("证件种类", "身份证件类型"), width=18,
           hint="可不填，按号码识别；填写时应为：居民身份证、港澳台居民居住证、外国人永久居留身份证或护照"),
    Column("phone", "手机号", required=False, aliases=("手机号码", "联系电话", "电话"), text=True, width=15,
           hint="可不填"),
    Column("employer", "工作单位", aliases=("单位", "所在单位"), width=30),
    Column("trade", "职业（工种）代码",
           aliases=("职业代码", "工种代码", "职业（工种）", "职业", "工种", "参赛职业（工种）"),
           width=30, hint="从下拉列表选择本项目的职业（工种）"),
    Column("is_member", "是否工会会员", aliases=("工会会员", "是否会员", "会员"), width=14,
           hint="填“是”或“否”；非会员可以个人身份参赛（一（九））"),
)

WINNER_COLUMNS = (
    Column("name", "姓名", aliases=("获奖选手姓名", "选手姓名"), width=12),
    Column("id_number", "身份证号", aliases=("身份证号码", "公民身份号码", "居民身份证号码", "证件号码"), text=True,
           width=22),
    Column("trade", "职业（工种）代码", aliases=("职业代码", "工种代码", "职业（工种）", "职业", "工种"), width=30),
    Column("rank", "奖项", aliases=("获奖等级", "奖项等级", "等次"), width=10, hint="一等奖、二等奖或三等奖"),
    Column("amount", "奖金（元）", aliases=("奖金", "每人奖金（元）", "奖金金额", "奖金(元)"), width=12),
    Column("note", "参赛经历说明", aliases=("参赛经历", "参赛记录"), width=40,
           hint="参加初赛、决赛的时间和成绩等（一（七））"),
    Column("waiver", "豁免理由", required=False, aliases=("说明理由",), width=30,
           hint="奖金超过一般标准时填写理由（二（四））"),
)

FIRST_PRIZE_COLUMNS = (
    Column("name", "姓名", width=12),
    Column("id_number", "身份证号", aliases=("身份证号码", "公民身份号码", "居民身份证号码"), text=True, width=22),
    Column("trade", "职业（工种）代码", aliases=("职业代码", "工种代码"), width=16),
    Column("trade_name", "职业（工种）名称", required=False, aliases=("职业名称", "工种名称"), width=24),
    Column("year", "获奖年度", aliases=("年度", "获奖年份"), width=10),
)


def _squash(text: str) -> str:
    """Header text as people type it: half/full-width brackets, stray spaces and asterisks."""
    return (
        str(text).strip().replace("(", "（").replace(")", "）").replace(" ", "").replace("\u3000", "")
        .replace("*", "").replace("\n", "")
    )


def header_map(cells, columns) -> dict[str, int]:
    """Column key → index in the row, for the headers recognised in ``cells``."""
    wanted = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            wanted.setdefault(_squash(name), column.key)
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = wanted.get(_squash(cell)) if isinstance(cell, str) else None
        if key and key not in found:
            found[key] = index
    return found
