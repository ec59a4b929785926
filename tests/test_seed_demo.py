import subprocess

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from applications.models import Application, Occupation, StatusChange
from haidian_contest.workflow import State
from tests.test_settings import run_python

pytestmark = pytest.mark.django_db


def counts():
    return User.objects.count(), Application.objects.count(), StatusChange.objects.count()


def test_seed_demo_plays_the_scenario_and_is_idempotent(settings, tmp_path):
    settings.DEBUG = True  # as make run
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


def test_seed_demo_refuses_a_production_database(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=false"):
        call_command("seed_demo")
    assert not User.objects.filter(username="admin").exists()


def test_seed_demo_runs_without_debug_only_when_told_it_is_not_production(settings, tmp_path):
    settings.DEBUG = False
    settings.BASE_DIR = tmp_path / "haidian-contest"
    call_command("seed_demo", i_know_this_is_not_production=True)
    assert User.objects.get(username="admin").check_password("Haidian-2026")


# A production start needs its own keys (DEBUG=false); run in a fresh interpreter, as settings are read once.
PRODUCTION_KEYS = {"ID_HASH_KEY": "production-id-hash-" + "h" * 40,
                   "PII_ENCRYPTION_KEYS": "ZGV2LW9ubHktcGlpLWtleS1ub3QtZm9yLXByb2R1Y3Q="}
SETUP = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','haidian_contest.settings'); "


def _demo_installed(**env) -> bool:
    code = SETUP + "django.setup(); from django.conf import settings; print('demo' in settings.INSTALLED_APPS)"
    return run_python(code, **PRODUCTION_KEYS, **env).stdout.strip() == "True"


def test_the_demo_app_is_not_installed_in_production():
    assert not _demo_installed(DEBUG="false")
    assert _demo_installed(DEBUG="true")
    assert _demo_installed(DEBUG="false", DEMO_APP="true")


def test_production_has_no_seed_demo_command():
    code = SETUP + "from django.core.management import execute_from_command_line; execute_from_command_line(['manage.py', 'seed_demo'])"
    with pytest.raises(subprocess.CalledProcessError) as refused:
        run_python(code, DEBUG="false", **PRODUCTION_KEYS)
    assert "Unknown command: 'seed_demo'" in refused.value.stderr
