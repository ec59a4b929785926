"""The application as submitted, as the review page prints it: a trade's line of facts (issue 26 §3)."""

import re

from django.template.loader import render_to_string

TRADE = {"name": "医用设备维护技能", "code": "", "standard_reference": "医用设备维护技能", "level": "",
         "category": "创新类", "field": "", "certifiable": False, "planned_participants": 200,
         "budget_total": "20000.01", "subsidy_requested": "10000.00", "judges": [], "prizes": [], "budget_lines": []}


def _meta(**trade) -> str:
    html = render_to_string("review/_frozen_application.html", {"data": {"trades": [{**TRADE, **trade}], "plan": {}}})
    trade = html.split('data-testid="frozen-trade"')[1]
    meta = re.search(r'<span class="small text-muted"[^>]*>(.*?)</span>', trade, re.S).group(1)
    return re.sub(r"\s+", " ", meta).strip()


def test_a_non_standard_trade_whose_reference_repeats_its_name_shows_the_name_once():
    html = render_to_string("review/_frozen_application.html", {"data": {"trades": [TRADE], "plan": {}}})
    assert html.count("医用设备维护技能") == 1
    assert _meta() == "非标准职业 · 创新类 · 非取证工种"


def test_an_empty_part_leaves_no_double_separator():
    assert "· ·" not in _meta(level="")
    assert _meta(code="4-04-05-05", level="三级/高级工") == "4-04-05-05 · 三级/高级工 · 创新类 · 非取证工种"
    assert _meta(standard_reference="WS/T 1-2020") == "参照：WS/T 1-2020 · 创新类 · 非取证工种"
