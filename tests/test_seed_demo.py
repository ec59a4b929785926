import pytest
from django.core.management import call_command

from accounts.models import User
from applications.models import Application, Occupation, StatusChange
from haidian_contest.workflow import State

pytestmark = pytest.mark.django_db


def counts():
    return User.objects.count(), Application.objects.count(), StatusChange.objects.count()


def test_seed_demo_plays_the_scenario_and_is_idempotent(settings, tmp_path):
    # A clone on its own: no shared/ folder beside the project.
    settings.BASE_DIR = tmp_path / "haidian-contest"
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    statuses = dict(Application.objects.values_list("title", "status"))
    assert sorted(statuses.values()) == sorted([State.CLOSED, State.APPROVED, State.PENDING_PARTY])
    assert User.objects.get(username="wangfang").check_password("Haidian-2026")
    assert Occupation.objects.count() >= 1636
    assert Occupation.objects.get(code="4-14-01-03").name == "健康照护师"
    from performance.survey.models import SurveyAnswer, SurveyReceipt
    from performance.survey.selectors import satisfaction_rate

    a = Application.objects.get(status=State.CLOSED)
    assert SurveyAnswer.objects.filter(application=a).count() == SurveyReceipt.objects.filter(application=a).count() == 6
    assert satisfaction_rate(a) is not None
    # Project A's winners were published (2026-09-21, to 9-29 17:00 over Mid-Autumn) and one objection answered.
    from datetime import date

    from rosters.models import Objection, PublicNotice

    notice = PublicNotice.objects.get()
    assert (notice.starts_on, notice.ends_on) == (date(2026, 9, 22), date(2026, 9, 29))
    assert Objection.objects.get().outcome == "rejected"
