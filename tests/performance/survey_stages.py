"""Survey helpers shared by the survey tests: an open questionnaire over a 60-person roster, answers."""

from __future__ import annotations

import pytest

from performance.survey import services
from performance.survey.models import LIKERT_QUESTIONS

LIKERT_KEYS = [key for key, _q in LIKERT_QUESTIONS]


def answers(ratings=(5, 5, 5, 5, 5), again="yes", suggestion="") -> services.Answers:
    return services.Answers(likert=dict(zip(LIKERT_KEYS, ratings)), again=again, suggestion=suggestion)


def refused(survey, **kw) -> str:
    """The Chinese message submit_answer refuses with."""
    with pytest.raises(services.SurveyRefused) as exc:
        services.submit_answer(survey=survey, **kw)
    return str(exc.value)


def person(project, n: int = 0) -> dict:
    return project.roster_rows[n]


def answer_as(survey, row: dict, *, ratings=(5, 5, 5, 5, 5), again="yes", suggestion="", tail=None,
              address="203.0.113.7"):
    services.submit_answer(survey=survey, name=row["name"], id_tail=tail or row["id_number"][-6:],
                           answers=answers(ratings, again, suggestion), address=address)


def post_data(row: dict, *, ratings=(5, 5, 5, 5, 5), again="yes", suggestion="", tail=None) -> dict:
    data = {"name": row["name"], "id_tail": tail or row["id_number"][-6:], "again": again, "suggestion": suggestion}
    data.update({key: str(value) for key, value in zip(LIKERT_KEYS, ratings)})
    return data
