"""Survey results: every figure from one aggregate query over the project's answers.

satisfaction_rate and suggestions are read by the self-evaluation (performance targets) as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from applications.models import Application

from .models import AGAIN_CHOICES, LIKERT_CHOICES, LIKERT_QUESTIONS, Survey, SurveyAnswer

HUNDREDTH = Decimal("0.01")
SATISFIED = (4, 5)
RATE_RULE = "满意率 = 5 道评分题中选“满意”或“非常满意”的人次 ÷ 全部评分人次"


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: Decimal  # of the question's answers, two places


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    bars: list[Bar]
    satisfied_percent: Decimal | None


@dataclass(frozen=True)
class Results:
    count: int
    rate: Decimal | None
    questions: list[Question]
    again: Question
    suggestion_count: int


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(HUNDREDTH, ROUND_HALF_UP)


def _tallies(application: Application) -> dict[str, int]:
    counts = {"n": Count("pk"), "suggestions": Count("pk", filter=~Q(suggestion=""))}
    for key, _text in LIKERT_QUESTIONS:
        for value, _label in LIKERT_CHOICES:
            counts[f"{key}_{value}"] = Count("pk", filter=Q(**{key: value}))
    for value, _label in AGAIN_CHOICES:
        counts[f"again_{value}"] = Count("pk", filter=Q(again=value))
    return SurveyAnswer.objects.filter(application=application).aggregate(**counts)


def results(application: Application) -> Results:
    t = _tallies(application)
    n = t["n"]
    questions = []
    satisfied_total = 0
    for key, text in LIKERT_QUESTIONS:
        satisfied = sum(t[f"{key}_{v}"] for v in SATISFIED)
        satisfied_total += satisfied
        bars = [Bar(label, t[f"{key}_{value}"], _percent(t[f"{key}_{value}"], n) or Decimal("0.00"))
                for value, label in LIKERT_CHOICES]
        questions.append(Question(key, text, bars, _percent(satisfied, n)))
    again = Question("again", "今后是否愿意再次参加此类竞赛？",
                     [Bar(label, t[f"again_{v}"], _percent(t[f"again_{v}"], n) or Decimal("0.00"))
                      for v, label in AGAIN_CHOICES], None)
    return Results(count=n, rate=_percent(satisfied_total, n * len(LIKERT_QUESTIONS)), questions=questions,
                   again=again, suggestion_count=t["suggestions"])


def satisfaction_rate(application: Application) -> Decimal | None:
    """Percent (two places) of Likert answers rated 4 or 5 across the five questions; None with no answers."""
    return results(application).rate


def suggestions(application: Application) -> list[str]:
    """The free-text suggestions, in the order of their text (never the order they came in)."""
    return list(SurveyAnswer.objects.filter(application=application).exclude(suggestion="")
                .order_by("suggestion").values_list("suggestion", flat=True))


def suggestions_page(application: Application):
    return SurveyAnswer.objects.filter(application=application).exclude(suggestion="").order_by("suggestion")


def survey_of(application: Application) -> Survey | None:
    return Survey.objects.filter(application=application).first()
