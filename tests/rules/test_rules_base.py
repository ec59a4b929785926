"""Finding, clause labels, the money guard, and that the package stays Django-free."""

import ast
import os
import subprocess
import sys
from dataclasses import FrozenInstanceError
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from haidian_contest import rules

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = PROJECT_ROOT / "haidian_contest" / "rules"


@pytest.mark.parametrize(
    ("clause", "label"),
    [
        ("1.1", "一（一）"),
        ("1.4", "一（四）"),
        ("1.9", "一（九）"),
        ("2.1.1a", "二（一）1"),
        ("2.1.1b", "二（一）1"),
        ("2.1.2b", "二（一）2"),
        ("2.3b", "二（三）"),
        ("2.4c", "二（四）"),
        ("3.5", "三（五）"),
        ("4.2a", "四（二）"),
    ],
)
def test_clause_label_is_the_chinese_form(clause, label):
    assert rules.Finding(clause, "x", "m", True).clause_label == label


def test_clause_label_handles_numbers_above_ten():
    assert rules.chinese_clause("1.12") == "一（十二）"
    assert rules.chinese_clause("21.20") == "二十一（二十）"


def test_malformed_clause_id_is_rejected():
    with pytest.raises(ValueError):
        rules.chinese_clause("一.4")


def test_finding_key_combines_code_and_subject():
    finding = rules.Finding("1.6", "too_few_judges", "m", True, subject="人工智能训练师")
    assert finding.key == "too_few_judges:人工智能训练师"


def test_finding_subject_defaults_to_empty():
    assert rules.Finding("1.6", "too_few_judges", "m", True).key == "too_few_judges:"


def test_finding_is_frozen():
    finding = rules.Finding("1.6", "too_few_judges", "m", True)
    with pytest.raises(FrozenInstanceError):
        finding.waivable = False


def test_finding_is_hashable_so_it_can_be_deduplicated():
    finding = rules.Finding("1.6", "too_few_judges", "m", True)
    assert len({finding, rules.Finding("1.6", "too_few_judges", "m", True)}) == 1


def test_hard_message_says_it_cannot_be_waived():
    [finding] = rules.check_video(60, ruleset=rules.RULESET_2026)
    assert not finding.waivable
    assert "不可豁免" in finding.message


def test_waivable_message_invites_a_justification():
    [finding] = rules.check_judges(2, ruleset=rules.RULESET_2026)
    assert finding.waivable
    assert "可说明理由申请豁免" in finding.message


def test_message_starts_with_the_chinese_clause():
    [finding] = rules.check_certifiable_share(1, 4, ruleset=rules.RULESET_2026)
    assert finding.message.startswith("一（四）")


MONEY_CALLS = {
    "subsidy budget": lambda: rules.check_subsidy_share("traditional", 100.0, Decimal(40)),
    "subsidy amount": lambda: rules.check_subsidy_share("traditional", Decimal(100), 40.0),
    "prize amount": lambda: rules.check_prize("traditional", 1, 5000.0),
    "tranche total": lambda: rules.split_tranches(100.0),
    "plan budget": lambda: rules.evaluate_plan([rules.PlanTrade("innovative", True, 1.0, Decimal(1))]),
    "application subsidy": lambda: rules.evaluate_application(rules.ApplicationInput(trades=(
        rules.TradeInput("钳工", "traditional", True, 200, 3, Decimal(100), 40.0, "6-18-01-01"),
    ))),
    "application prize": lambda: rules.evaluate_application(rules.ApplicationInput(trades=(
        rules.TradeInput("钳工", "traditional", True, 200, 3, Decimal(100), Decimal(40), "6-18-01-01",
                         prizes=(rules.PrizeTier(1, 1, 5000.0),)),
    ))),
    "empty prize tier": lambda: rules.evaluate_application(rules.ApplicationInput(trades=(
        rules.TradeInput("钳工", "traditional", True, 200, 3, Decimal(100), Decimal(40), "6-18-01-01",
                         prizes=(rules.PrizeTier(1, 0, 5000.0),)),
    ))),
}


@pytest.mark.parametrize("call", MONEY_CALLS.values(), ids=MONEY_CALLS.keys())
def test_float_money_raises_type_error(call):
    with pytest.raises(TypeError):
        call()


@pytest.mark.parametrize("value", ["100", True, None])
def test_non_numeric_money_raises_type_error(value):
    with pytest.raises(TypeError):
        rules.split_tranches(value)


def test_int_money_is_accepted():
    assert rules.split_tranches(100) == (Decimal("50.00"), Decimal("50.00"))


def test_nan_money_is_rejected():
    with pytest.raises(ValueError):
        rules.check_prize("traditional", 1, Decimal("NaN"))


def test_import_does_not_load_django():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    code = "import sys; from haidian_contest import rules; assert 'django' not in sys.modules, 'django loaded'"
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def _imported_modules(source: str):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("path", sorted(PACKAGE_DIR.glob("*.py")), ids=lambda p: p.name)
def test_no_module_imports_django_even_lazily(path):
    modules = list(_imported_modules(path.read_text(encoding="utf-8")))
    assert not [m for m in modules if m == "django" or m.startswith("django.")]


@pytest.mark.parametrize("path", sorted(PACKAGE_DIR.glob("*.py")), ids=lambda p: p.name)
def test_modules_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) < 400


def test_every_public_name_is_exported():
    for name in rules.__all__:
        assert hasattr(rules, name), name


def test_defaults_use_the_ruleset_in_force_today():
    assert rules.ruleset_for(date.today()) is rules.CURRENT
