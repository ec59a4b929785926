"""1.8 retention, 3.5 deadline, 4.1 report, 4.2 photos and video."""

from datetime import date

import pytest

from haidian_contest import rules

RS = rules.RULESET_2026
MIB = 1024 * 1024
GOOD_PHOTO = (2 * MIB, 300)


def test_materials_are_due_fourteen_days_after_the_event():
    assert rules.materials_deadline(date(2026, 6, 20), ruleset=RS) == date(2026, 7, 4)


def test_materials_deadline_crosses_the_year_end():
    assert rules.materials_deadline(date(2026, 12, 25), ruleset=RS) == date(2027, 1, 8)


def test_records_are_kept_one_year():
    assert rules.retention_until(date(2026, 6, 20), ruleset=RS) == date(2027, 6, 20)


def test_leap_day_retention_ends_on_28_february():
    assert rules.retention_until(date(2028, 2, 29), ruleset=RS) == date(2029, 2, 28)


def test_retention_to_the_required_day_passes():
    assert rules.check_retention(date(2026, 6, 20), date(2027, 6, 20), ruleset=RS) == []


def test_retention_one_day_short_is_hard():
    [finding] = rules.check_retention(date(2026, 6, 20), date(2027, 6, 19), ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("1.8", "retention_too_short", False)
    assert "2027-06-20" in finding.message


def test_unrecorded_retention_is_hard():
    [finding] = rules.check_retention(date(2026, 6, 20), None, ruleset=RS)
    assert (finding.clause, finding.waivable) == ("1.8", False)


# 4.1

def test_report_sections_are_the_nine_published_ones_in_order():
    assert [label for _, label in rules.REPORT_SECTIONS] == [
        "比赛名称", "目的", "参与人数", "比赛经过", "获奖名单", "资金使用", "成果收获", "选手建议", "不足"]
    assert [key for key, _ in rules.REPORT_SECTIONS] == [
        "name", "purpose", "participants", "course", "winners", "funds", "results", "suggestions",
        "shortcomings"]


@pytest.mark.parametrize("chars", [1200, 1500, 1800])
def test_complete_report_within_the_band_passes(chars):
    assert rules.check_report(chars, [], ruleset=RS) == []


@pytest.mark.parametrize("chars", [1199, 1801])
def test_report_length_outside_the_band_is_waivable(chars):
    [finding] = rules.check_report(chars, [], ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("4.1", "report_length", True)
    assert "1500 字左右" in finding.message


def test_missing_report_sections_are_one_hard_finding_listing_them():
    [finding] = rules.check_report(1500, ["funds", "不足"], ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("4.1", "report_sections_missing", False)
    assert "资金使用" in finding.message and "不足" in finding.message


# 4.2a

def test_fifty_good_photos_pass():
    assert rules.check_photos([GOOD_PHOTO] * 50, ruleset=RS) == []


def test_hundred_good_photos_pass():
    assert rules.check_photos([GOOD_PHOTO] * 100, ruleset=RS) == []


@pytest.mark.parametrize("n", [0, 49, 101])
def test_photo_count_outside_fifty_to_hundred_is_hard(n):
    [finding] = rules.check_photos([GOOD_PHOTO] * n, ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("4.2a", "photo_count", False)


def test_photo_of_exactly_ten_mib_passes():
    assert rules.check_photo(10 * MIB, 300, ruleset=RS) == []


def test_photo_one_byte_over_ten_mib_is_hard():
    [finding] = rules.check_photo(10 * MIB + 1, 300, ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("4.2a", "photo_too_large", False)


def test_photo_at_299_dpi_is_hard():
    [finding] = rules.check_photo(MIB, 299, ruleset=RS)
    assert finding.code == "photo_dpi_low"


def test_png_300_dpi_stored_as_pixels_per_metre_passes():
    # 11811 px/m reads back through Pillow as 299.9994 dpi.
    assert rules.check_photo(MIB, 299.9994, ruleset=RS) == []


def test_unreadable_dpi_is_hard():
    [finding] = rules.check_photo(MIB, None, ruleset=RS)
    assert finding.code == "photo_dpi_unreadable"


def test_dpi_pair_is_judged_by_the_weaker_axis():
    [finding] = rules.check_photo(MIB, (300, 72), ruleset=RS)
    assert finding.code == "photo_dpi_low"


def test_black_and_white_photo_is_hard():
    [finding] = rules.check_photo(MIB, 300, colour=False, ruleset=RS)
    assert (finding.code, finding.waivable) == ("photo_not_colour", False)


def test_photo_set_groups_problems_and_names_the_photos():
    photos = [GOOD_PHOTO] * 60
    photos[2] = (10 * MIB + 1, 300)
    photos[9] = (MIB, None)
    photos[10] = (11 * MIB, 150)
    findings = {f.code: f for f in rules.check_photos(photos, ruleset=RS)}
    assert set(findings) == {"photo_too_large", "photo_dpi_unreadable", "photo_dpi_low"}
    assert "第 3、11 张" in findings["photo_too_large"].message
    assert all(f.clause == "4.2a" and not f.waivable for f in findings.values())


# 4.2b

@pytest.mark.parametrize("seconds", [1200, 1200.0, 3600])
def test_video_of_twenty_minutes_or_more_passes(seconds):
    assert rules.check_video(seconds, ruleset=RS) == []


@pytest.mark.parametrize("seconds", [1199, 1199.9, 0])
def test_video_under_twenty_minutes_is_hard(seconds):
    [finding] = rules.check_video(seconds, ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("4.2b", "video_too_short", False)


def test_unreadable_video_length_is_hard():
    [finding] = rules.check_video(None, ruleset=RS)
    assert (finding.clause, finding.waivable) == ("4.2b", False)


def test_video_duration_must_be_a_number():
    with pytest.raises(TypeError):
        rules.check_video("1200", ruleset=RS)
