"""RuleSet values, versioning by effective date."""

from dataclasses import FrozenInstanceError, replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from haidian_contest import rules

RS = rules.RULESET_2026
LATER = replace(RS, title="修订版", effective_from=date(2028, 1, 1), min_participants=150)
BOTH = (RS, LATER)


def test_2026_ruleset_holds_the_published_thresholds():
    assert RS.title == "海淀区总工会鼓励开展职工职业技能竞赛管理办法（试行）"
    assert RS.effective_from == date(2026, 4, 20)
    assert (RS.min_certifiable_share, RS.min_judges, RS.min_participants) == (Decimal("0.30"), 3, 200)
    assert RS.max_traditional_share == Decimal("0.40")
    assert (RS.traditional_subsidy_cap, RS.innovative_subsidy_floor) == (Decimal("0.40"), Decimal("0.60"))
    assert dict(RS.prize_caps) == {1: Decimal(5000), 2: Decimal(3000), 3: Decimal(2000)}
    assert RS.first_tranche_share == Decimal("0.5")
    assert (RS.materials_days, RS.retention_years) == (14, 1)
    assert (RS.min_photos, RS.max_photos, RS.max_photo_bytes, RS.min_photo_dpi) == (50, 100, 10 * 1024 * 1024, 300)
    assert RS.min_video_seconds == 1200
    assert (RS.report_chars, RS.report_min_chars, RS.report_max_chars) == (1500, 1200, 1800)


def test_rulesets_are_ordered_by_effective_date():
    dates = [r.effective_from for r in rules.RULESETS]
    assert dates == sorted(dates)


def test_ruleset_is_frozen():
    with pytest.raises(FrozenInstanceError):
        RS.min_judges = 2


def test_prize_caps_cannot_be_mutated():
    with pytest.raises(TypeError):
        RS.prize_caps[1] = Decimal(1)


def test_ruleset_is_hashable():
    assert hash(RS) == hash(rules.RuleSet())


def test_ruleset_for_picks_the_revision_in_force_on_the_day():
    assert rules.ruleset_for(date(2027, 12, 31), BOTH) is RS
    assert rules.ruleset_for(date(2028, 1, 1), BOTH) is LATER
    assert rules.ruleset_for(date(2030, 6, 1), BOTH) is LATER


def test_ruleset_for_before_the_first_revision_returns_the_first():
    assert rules.ruleset_for(date(2020, 1, 1), BOTH) is RS


def test_ruleset_for_accepts_a_datetime():
    assert rules.ruleset_for(datetime(2028, 1, 1, 9, 30), BOTH) is LATER


def test_ruleset_for_defaults_to_the_published_rulesets():
    assert rules.ruleset_for(date(2026, 4, 20)) is RS


def test_a_revision_changes_the_threshold_and_the_message():
    assert rules.check_participants(160, ruleset=LATER) == []
    [finding] = rules.check_participants(149, ruleset=LATER)
    assert "少于 150 人" in finding.message


def test_ruleset_rejects_a_share_above_one():
    with pytest.raises(ValueError):
        replace(RS, max_traditional_share=Decimal("1.5"))


def test_ruleset_rejects_a_report_band_not_containing_the_nominal_length():
    with pytest.raises(ValueError):
        replace(RS, report_min_chars=1600)
