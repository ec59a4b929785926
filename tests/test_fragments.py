"""Cached template fragments: keys are digests of what they print; the cache is prefixed by the templates."""

from datetime import date
from decimal import Decimal

from haidian_contest.fragments import fragment_digest, release_digest


def test_the_digest_changes_with_any_value_it_covers():
    row = (7, "竞赛", Decimal("0.01"), date(2026, 12, 1))
    assert fragment_digest(row) == fragment_digest((7, "竞赛", Decimal("0.01"), date(2026, 12, 1)))
    for changed in ((8, *row[1:]), (7, "竞赛 ", *row[2:]), (*row[:2], Decimal("0.02"), row[3]), (*row[:3], date(2026, 12, 2))):
        assert fragment_digest(changed) != fragment_digest(row)


def test_two_values_cannot_trade_a_separator():
    assert fragment_digest("a:b", "c") != fragment_digest("a", "b:c")


def test_the_release_digest_changes_when_a_template_or_the_code_does(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("", encoding="utf-8")
    labels = tmp_path / "app" / "labels.py"
    labels.write_text('DONE = "已结项"', encoding="utf-8")
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>{{ a }}</p>", encoding="utf-8")
    before = release_digest(tmp_path)
    page.write_text("<p class='x'>{{ a }}</p>", encoding="utf-8")
    after_template = release_digest(tmp_path)
    labels.write_text('DONE = "已结束"', encoding="utf-8")
    assert len({before, after_template, release_digest(tmp_path)}) == 3


def test_the_release_digest_leaves_out_the_tests_and_the_virtualenv(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "__init__.py").write_text("", encoding="utf-8")
    before = release_digest(tmp_path)
    (tmp_path / "tests" / "test_x.py").write_text("x = 1", encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "lib.py").write_text("y = 2", encoding="utf-8")
    assert release_digest(tmp_path) == before


def test_the_fragment_cache_is_prefixed_by_the_shipped_templates(settings):
    from django.conf import settings as live

    assert live.CACHES["template_fragments"]["KEY_PREFIX"] == "fragments-" + release_digest(live.BASE_DIR)


def test_a_lazy_translation_counts_by_its_text():
    from django.utils.translation import gettext_lazy

    assert fragment_digest([("a", gettext_lazy("全部单位"))]) == fragment_digest([("a", "全部单位")])


def test_an_object_printed_by_its_address_is_refused():
    import pytest

    with pytest.raises(ValueError):
        fragment_digest([object()])
