"""一、申报条件: 1.1, 1.2, 1.4, 1.6, 1.7 and 2.2."""

import pytest

from haidian_contest import rules

RS = rules.RULESET_2026


@pytest.mark.parametrize("certifiable, total", [(3, 10), (10, 10), (1, 3), (0, 0)])
def test_certifiable_share_at_or_above_30_percent_passes(certifiable, total):
    assert rules.check_certifiable_share(certifiable, total, ruleset=RS) == []


@pytest.mark.parametrize("certifiable, total", [(2, 7), (29, 100), (0, 1)])
def test_certifiable_share_below_30_percent_is_waivable(certifiable, total):
    [finding] = rules.check_certifiable_share(certifiable, total, ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("1.4", "certifiable_share_low", True)


def test_certifiable_share_message_states_share_and_threshold():
    [finding] = rules.check_certifiable_share(1, 4, ruleset=RS)
    assert finding.message.startswith("一（四）取证工种占比 25.00%")
    assert "低于 30%" in finding.message


def test_certifiable_cannot_exceed_total():
    with pytest.raises(ValueError):
        rules.check_certifiable_share(5, 4, ruleset=RS)


def test_judges_at_minimum_pass():
    assert rules.check_judges(3, ruleset=RS) == []


def test_judges_one_below_minimum_is_waivable():
    [finding] = rules.check_judges(2, ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("1.6", "too_few_judges", True)
    assert "少于 3 名" in finding.message


def test_participants_at_minimum_pass():
    assert rules.check_participants(200, ruleset=RS) == []


def test_participants_one_below_minimum_is_waivable():
    [finding] = rules.check_participants(199, ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("1.7", "too_few_participants", True)


def test_counts_accept_the_count_keyword():
    assert rules.check_judges(count=3) == rules.check_participants(count=200) == []


@pytest.mark.parametrize("bad", [2.5, True, "3"])
def test_non_integer_count_is_rejected(bad):
    with pytest.raises(TypeError):
        rules.check_judges(bad, ruleset=RS)


def test_negative_count_is_rejected():
    with pytest.raises(ValueError):
        rules.check_participants(-1, ruleset=RS)


@pytest.mark.parametrize("org_type", [key for key, _ in rules.ORG_TYPES if key != "social_org"])
@pytest.mark.parametrize("co_applicants", [0, 2])
def test_any_other_organization_type_may_lead(org_type, co_applicants):
    assert rules.check_lead_organization(org_type, co_applicants, ruleset=RS) == []


@pytest.mark.parametrize("co_applicants", [0, 3])
def test_social_organization_cannot_lead(co_applicants):
    [finding] = rules.check_lead_organization("social_org", co_applicants, ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("1.1", "social_org_cannot_lead", False)
    assert "街镇" in finding.message


def test_unknown_organization_type_is_an_error():
    with pytest.raises(ValueError):
        rules.check_lead_organization("club", 0, ruleset=RS)


def test_org_types_are_in_the_published_order():
    assert [key for key, _ in rules.ORG_TYPES] == [
        "commission", "grassroots_union", "industry_association", "park",
        "enterprise", "subdistrict", "social_org",
    ]


def test_standard_trade_needs_no_reference():
    assert rules.check_trade_standard("4-04-05-05", "", ruleset=RS) == []


def test_non_standard_trade_with_reference_passes():
    assert rules.check_trade_standard("", "T/ZGCX 001-2025", ruleset=RS) == []


def test_non_standard_trade_without_reference_is_hard():
    [finding] = rules.check_trade_standard("", "  ", ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("1.2", "standard_missing", False)


@pytest.mark.parametrize("field", [key for key, _ in rules.INNOVATIVE_FIELDS])
def test_innovative_trade_with_a_known_field_passes(field):
    assert rules.check_innovative_field("innovative", field, ruleset=RS) == []


def test_innovative_trade_without_field_is_hard():
    [finding] = rules.check_innovative_field("innovative", "", ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("2.2", "field_missing", False)


def test_innovative_trade_with_unknown_field_is_hard():
    [finding] = rules.check_innovative_field("innovative", "biotech", ruleset=RS)
    assert (finding.clause, finding.code) == ("2.2", "field_invalid")


def test_traditional_trade_needs_no_field():
    assert rules.check_innovative_field("traditional", "", ruleset=RS) == []


def test_choice_lists_have_the_published_keys():
    assert rules.CATEGORIES == (("traditional", "传统类"), ("innovative", "创新类"))
    assert rules.INNOVATIVE_FIELDS == (
        ("ai", "人工智能产业"), ("emerging", "战略性新兴产业和未来产业"), ("tech_services", "科技服务业"))
    assert rules.PRIZE_RANKS == ((1, "一等奖"), (2, "二等奖"), (3, "三等奖"))
