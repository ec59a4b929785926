"""The year's self-evaluations (项目支出绩效自评表, 2.3b): average score, projects below the threshold,
and the indicators most often missed — read from the department's recorded outcomes, in one query."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from applications.models import ExpectedResults


@dataclass
class YearPerformance:
    cycle: int | None
    outcomes: list[ExpectedResults] = field(default_factory=list)
    missed: list[tuple[str, int]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.outcomes)

    @property
    def average(self) -> Decimal | None:
        if not self.outcomes:
            return None
        return (sum((o.score for o in self.outcomes), Decimal(0)) / len(self.outcomes)).quantize(
            Decimal("0.01"), ROUND_HALF_UP)

    @property
    def below(self) -> list[ExpectedResults]:
        return [o for o in self.outcomes if o.score < o.threshold]


def year_performance(cycle: int | None, *, top: int = 5) -> YearPerformance:
    qs = (ExpectedResults.objects.filter(superseded_by__isnull=True)
          .select_related("application__lead_organization").order_by("score", "application_id"))
    if cycle:
        qs = qs.filter(application__cycle=cycle)
    outcomes = list(qs)
    missed = Counter(line["name"] for o in outcomes for line in o.lines if not line.get("met", True))
    return YearPerformance(cycle, outcomes, missed.most_common(top))
