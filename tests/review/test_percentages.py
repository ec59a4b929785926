"""One rounding rule for every percentage: half up, two places, the same text on the page and in the packet."""

from decimal import Decimal
from types import SimpleNamespace

from django.template import Context, Template

from dashboard.charts import pct as chart_pct
from review.documents.packet import _plan

FIVE_OF_ELEVEN = Decimal(5) / Decimal(11)


def _page_text(share) -> str:
    return Template("{% load review_tags %}{{ share|pct }}").render(Context({"share": share}))


def _plan_with_certifiable_share(share):
    return SimpleNamespace(total=11, traditional=0, traditional_share=Decimal(0), innovative=11, certifiable=5,
                           certifiable_share=share, budget=Decimal("0"), subsidy=Decimal("0"))


def test_five_of_eleven_reads_the_same_on_the_page_in_the_packet_and_the_chart():
    packet = _plan(_plan_with_certifiable_share(FIVE_OF_ELEVEN))["certifiable_share"]
    assert packet == _page_text(FIVE_OF_ELEVEN) == chart_pct(FIVE_OF_ELEVEN) == "45.45%"


def test_a_share_on_the_half_is_rounded_up_everywhere():
    half = Decimal("0.123450")  # 12.345 %: half up gives 12.35, half even would give 12.34
    packet = _plan(_plan_with_certifiable_share(half))["certifiable_share"]
    assert packet == _page_text(half) == chart_pct(half) == "12.35%"
