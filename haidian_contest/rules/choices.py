"""Choice lists shared with the web apps' forms and models (key, Chinese label)."""

from __future__ import annotations

TRADITIONAL = "traditional"
INNOVATIVE = "innovative"

CATEGORIES: tuple[tuple[str, str], ...] = ((TRADITIONAL, "传统类"), (INNOVATIVE, "创新类"))

# 2.2: the three fields of the "1+X+1" system an innovative trade must name.
INNOVATIVE_FIELDS: tuple[tuple[str, str], ...] = (
    ("ai", "人工智能产业"),
    ("emerging", "战略性新兴产业和未来产业"),
    ("tech_services", "科技服务业"),
)

PRIZE_RANKS: tuple[tuple[int, str], ...] = ((1, "一等奖"), (2, "二等奖"), (3, "三等奖"))

# 1.1. The order is the order of the measures; social_org comes last because it
# may only take part through one of the others.
ORG_TYPES: tuple[tuple[str, str], ...] = (
    ("commission", "委办局"),
    ("grassroots_union", "直属基层工会"),
    ("industry_association", "行业协会"),
    ("park", "园区"),
    ("enterprise", "企业"),
    ("subdistrict", "街镇"),
    ("social_org", "社会组织"),
)

CATEGORY_LABELS = dict(CATEGORIES)
FIELD_LABELS = dict(INNOVATIVE_FIELDS)
RANK_LABELS = dict(PRIZE_RANKS)
ORG_TYPE_LABELS = dict(ORG_TYPES)


def require_category(value: str) -> str:
    """Validate a category key; an unknown one is a programming error, not a finding."""
    if value not in CATEGORY_LABELS:
        raise ValueError(f"unknown category {value!r}; expected one of {sorted(CATEGORY_LABELS)}")
    return value
