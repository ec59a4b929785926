"""Cached template fragments: keys are digests of what they print; the cache is prefixed by the templates."""

from datetime import date
from decimal import Decimal

from haidian_contest.fragments import fragment_digest, templates_digest


def test_the_digest_changes_with_any_value_it_covers():
    row = (7, "竞赛", Decimal("0.01"), date(2026, 12, 1))
    assert fragment_digest(row) == fragment_digest((7, "竞赛", Decimal("0.01"), date(2026, 12, 1)))
    for changed in ((8, *row[1:]), (7, "竞赛 ", *row[2:]), (*row[:2], Decimal("0.02"), row[3]), (*row[:3], date(2026, 12, 2))):
        assert fragment_digest(changed) != fragment_digest(row)


def test_two_values_cannot_trade_a_separator():
    assert fragment_digest("a:b", "c") != fragment_digest("a", "b:c")


def test_the_templates_digest_changes_when_a_template_does(tmp_path):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>{{ a }}</p>", encoding="utf-8")
    before = templates_digest(tmp_path)
    page.write_text("<p class='x'>{{ a }}</p>", encoding="utf-8")
    assert templates_digest(tmp_path) != before


def test_the_fragment_cache_is_prefixed_by_the_shipped_templates(settings):
    from django.conf import settings as live

    assert live.CACHES["template_fragments"]["KEY_PREFIX"] == "fragments-" + templates_digest(live.BASE_DIR)
