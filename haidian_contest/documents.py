"""What every generated document shares: amounts in Chinese capitals, dates in Chinese numerals, the
GB/T 9704-2012 page (A4, margins, 2号 title, 3号 body, 22 lines × 28 characters) for .docx, and
render_pdf, through which every PDF is made (in a renderer child process, haidian_contest/pdf.py).

The packet and the approval notice (review) and the agreement draft (funding) build their content as
plain data and hand it to these helpers, so the PDF and the .docx of one document say the same thing.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from . import rules

FEN = Decimal("0.01")

# The free CJK faces Debian ships (fonts-noto-cjk): serif stands in for 小标宋/仿宋/宋体, sans for 黑体.
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"

# GB/T 9704-2012 5.2: A4, 天头 37 mm, 订口 28 mm; the type area 156 × 225 mm leaves 35 mm and 26 mm.
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_PT = 22  # 2号
BODY_PT = 16  # 3号
PAGE_NUMBER_PT = 14  # 4号
LINE_PITCH_PT = Decimal("28.95")  # 225 mm / 22 lines

_DIGITS = "〇一二三四五六七八九"
_MONTHS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")


# ---------------------------------------------------------------- words

def capital_amount(value) -> str:
    """128000.00 → 壹拾贰万捌仟元整 (人民币大写, 《支付结算办法》附件一 rules).

    cn2an writes the figures right, but where the 元 digit is 0 and 角 is not (100,000.10) it leaves
    the 零 out. The rules allow both forms; the one with 零 (壹拾万元零壹角) is the one that cannot be
    altered by writing a figure in front of 壹角, so it is added here. After 角 the rules leave 整
    optional; like cn2an, none is written (壹拾万元零壹角).
    """
    import cn2an

    amount = Decimal(str(value)).quantize(FEN, ROUND_HALF_UP)
    if amount < 0:
        return "负" + capital_amount(-amount)
    text = cn2an.an2cn(f"{amount:.2f}", "rmb")
    yuan, fen = divmod(int(amount * 100), 100)
    jiao = fen // 10
    if yuan and yuan % 10 == 0 and jiao and "元零" not in text:
        text = text.replace("元", "元零", 1)
    return text


def chinese_numeral_date(day: date) -> str:
    """2026-12-01 → 二〇二六年十二月一日, as an official document's date is written (GB/T 9704 7.3.5.3)."""
    year = "".join(_DIGITS[int(c)] for c in str(day.year))
    d = day.day
    if d < 10:
        days = _DIGITS[d]
    elif d < 20:
        days = "十" + (_DIGITS[d - 10] if d > 10 else "")
    else:
        days = _DIGITS[d // 10] + "十" + (_DIGITS[d % 10] if d % 10 else "")
    return f"{year}年{_MONTHS[day.month]}月{days}日"


def money(value) -> str:
    """The figure as the union's forms write it: 128,000.00."""
    return f"{Decimal(str(value)).quantize(FEN, ROUND_HALF_UP):,.2f}"


# ---------------------------------------------------------------- the measures' duties, worded once

ISSUER = "海淀区总工会"
ROLE_LABELS = {"host": "主办", "co_host": "联合主办", "support": "协办"}


def branding_duty(role: str) -> str:
    """1.5: what the union's role obliges the organizer to show."""
    label = ROLE_LABELS.get(role, "")
    if role in ("host", "co_host"):
        return (f"区总工会为本竞赛{label}单位。竞赛现场须醒目展示区总工会会徽，并标明“海淀区总工会{label}”字样"
                f"（{rules.chinese_clause('1.5')}）。")
    if role == "support":
        return f"区总工会为本竞赛协办单位，竞赛相关材料落款须署明海淀区总工会（{rules.chinese_clause('1.5')}）。"
    return ""


def tranche_schedule(total, *, ruleset=None) -> list[dict]:
    """2.3b: the two tranches of ``total`` (rules.split_tranches), each with when it is paid."""
    first, second = rules.split_tranches(Decimal(str(total)), ruleset=ruleset)
    share = (rules.RULESET_2026 if ruleset is None else ruleset).first_tranche_share
    pct_1, pct_2 = percent(share), percent(1 - share)
    return [
        {"label": f"首笔资金（{pct_1}）", "amount": money(first), "capital": capital_amount(first),
         "when": "合作协议签订后、竞赛开始前拨付"},
        {"label": f"剩余资金（{pct_2}）", "amount": money(second), "capital": capital_amount(second),
         "when": "绩效审核材料审核通过、达到预期效果后拨付"},
    ]


def percent(share: Decimal) -> str:
    value = share * 100
    return f"{value:.0f}%" if value == value.to_integral_value() else f"{value.normalize():f}%"


def materials_rule(end: date | None, *, ruleset=None) -> str:
    """3.5: the materials deadline, with the day it falls on when the end date is known."""
    days = (rules.RULESET_2026 if ruleset is None else ruleset).materials_days
    text = f"竞赛结束后{days}日（两周）内" if days == 14 else f"竞赛结束后{days}日内"
    if end:
        due = rules.materials_deadline(end, ruleset=ruleset)
        text += f"（即{chinese_numeral_date(due)}前）"
    return (text + "，向区总工会职工发展部报送纸质版和电子版绩效审核材料：盖章的总结报告（1500字左右）、"
            f"现场照片50至100张、不少于20分钟的视频一部（{rules.chinese_clause('3.5')}、{rules.chinese_clause('4.1')}、"
            f"{rules.chinese_clause('4.2a')}）。")


# ---------------------------------------------------------------- PDF

def render_pdf(template: str, context: dict) -> bytes:
    """HTML template → PDF bytes, the one way every PDF of the system is made.

    The template is rendered here; WeasyPrint runs in a renderer child process (haidian_contest/pdf.py),
    so its memory never stays in a web worker. Every style is inline, images are data: URIs and fonts are
    installed: the renderer fetches nothing, from the server or elsewhere. Raises pdf.RenderError (a
    Chinese message; RenderErrorMiddleware shows it) when the document cannot be made.
    """
    from .pdf import html_to_pdf

    return html_to_pdf(render_to_string(template, {**context, "generated_at": timezone.localtime()}))


class RenderErrorMiddleware:
    """A document that could not be made is a page that says so (503), never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .pdf import RenderError

        if isinstance(exception, RenderError):
            return render(request, "503.html", {"message": str(exception)}, status=503)
        return None


# ---------------------------------------------------------------- .docx

def _east_asian(run_or_style, face: str) -> None:
    """python-docx sets only the Latin face; Word and LibreOffice take CJK glyphs from w:eastAsia."""
    from docx.oxml.ns import qn

    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) the reader fills in when it lays the pages out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == code:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {code} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    run.font.size = _pt(PAGE_NUMBER_PT)


def _pt(value):
    from docx.shared import Pt

    return Pt(float(value))


def new_document(*, marking: str = "", page_numbers: str = "dash"):
    """A python-docx Document laid out per GB/T 9704: A4, the margins, 3号 serif body on a 22-line grid.

    ``marking`` goes top right of every page's header (e.g. 内部资料 注意保存); ``page_numbers`` is
    "dash" (— 1 —, the official-document form) or "of" (第 1 页 共 3 页, for a packet).
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(20), Mm(20)

    normal = doc.styles["Normal"]
    normal.font.size = _pt(BODY_PT)
    _east_asian(normal, SERIF)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = _pt(LINE_PITCH_PT)
    fmt.space_before = fmt.space_after = 0
    for name in ("Table Grid",):
        if name in [s.name for s in doc.styles]:
            _east_asian(doc.styles[name], SERIF)

    if marking:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = header.add_run(marking)
        run.font.size = _pt(12)
        run.bold = True
        _east_asian(run, SANS)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if page_numbers == "of":
        footer.add_run("第 ").font.size = _pt(PAGE_NUMBER_PT)
        _field(footer, "PAGE")
        footer.add_run(" 页 共 ").font.size = _pt(PAGE_NUMBER_PT)
        _field(footer, "NUMPAGES")
        footer.add_run(" 页").font.size = _pt(PAGE_NUMBER_PT)
    else:
        footer.add_run("— ").font.size = _pt(PAGE_NUMBER_PT)
        _field(footer, "PAGE")
        footer.add_run(" —").font.size = _pt(PAGE_NUMBER_PT)
    return doc


def add_title(doc, text: str) -> None:
    """The document's title: 2号, bold serif (小标宋 stands for a bold Song), centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = _pt(TITLE_PT * 1.5)
    p.paragraph_format.space_after = _pt(LINE_PITCH_PT)
    run = p.add_run(text)
    run.font.size = _pt(TITLE_PT)
    run.bold = True
    _east_asian(run, SERIF)


def add_heading(doc, text: str, *, level: int = 1) -> None:
    """一级标题 in 黑体 (sans here), 二级 in bold serif, both 3号 and indented two characters."""
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = _pt(BODY_PT * 2)
    run = p.add_run(text)
    run.font.size = _pt(BODY_PT)
    run.bold = level > 1
    _east_asian(run, SANS if level == 1 else SERIF)


def add_body(doc, text: str, *, indent: bool = True, align: str = "justify", bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    p.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                   "left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}[align]
    if indent:
        p.paragraph_format.first_line_indent = _pt(BODY_PT * 2)
    run = p.add_run(text)
    run.font.size = _pt(BODY_PT)
    run.bold = bold
    _east_asian(run, SERIF)


def add_table(doc, header: list[str], rows: list[list[str]], *, size_pt: int = 12) -> None:
    """A ruled table in a smaller size (tables of figures do not fit 3号), header row bold."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        _cell_text(cell, text, size_pt, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            _cell_text(cell, text, size_pt)
    doc.add_paragraph()


def _cell_text(cell, text: str, size_pt: int, *, bold: bool = False, align=None) -> None:
    from docx.enum.text import WD_LINE_SPACING

    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.first_line_indent = 0
    if align is not None:
        p.alignment = align
    run = p.add_run(str(text))
    run.font.size = _pt(size_pt)
    run.bold = bold
    _east_asian(run, SERIF)


def add_masthead(doc, issuer_mark: str, number: str) -> None:
    """版头 (GB/T 9704 7.2): the red issuer mark, the 发文字号 centred under it, then the red rule."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = _pt(54)
    run = p.add_run(issuer_mark)
    run.font.size = _pt(36)
    run.bold = True
    run.font.color.rgb = RGBColor(0xE0, 0, 0)
    _east_asian(run, SERIF)
    doc.add_paragraph()
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(number)
    run.font.size = _pt(BODY_PT)
    _east_asian(run, SERIF)
    # The red rule: a bottom border on the number's paragraph, 4 mm below it.
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "E00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)
    doc.add_paragraph()


def add_signoff(doc, issuer: str, day_text: str) -> None:
    """发文机关署名 and 成文日期 (7.3.5): right-aligned, four characters in from the right margin."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc.add_paragraph()
    for text in (issuer, day_text):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = _pt(BODY_PT * 4)
        run = p.add_run(text)
        run.font.size = _pt(BODY_PT)
        _east_asian(run, SERIF)


def page_break(doc) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def docx_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
