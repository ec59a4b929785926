"""Survey benchmark: 10,000 answers in one project; the results page timed against the project page.

    python bench/survey.py                       # temporary SQLite database
    DATABASE_URL=postgres://u:p@host/db python bench/survey.py   # also PostgreSQL (scratch database)
    python bench/survey.py --answers 2000 --repeats 10           # a quick look

Seeds with bulk inserts (bench data only): one in-progress project with ten trades, its opened
survey and N anonymous answers (about a third with a suggestion). Both pages are requested through
Django's test client as the department's reviewer (view, queries and template; no network), after
two warm-up requests each, alternating so drift hits both; prints the median and p95 of each, and the
ratio of the medians. Target (issue 17): the results page under 3× the project page.
"""

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _setup import django_on, run_each_database  # noqa: E402

TARGET_RATIO = 3.0
SUGGESTIONS = ["希望增加实操练习时间", "提前公布评分标准", "场地有些拥挤，建议分批次比赛", "赛后组织优秀选手经验交流",
               "评委点评很专业，收获很大", "希望每年都举办", "饮水和休息区可以再改善", "理论考试题量偏大"]


def seed(n_answers: int, rnd: random.Random) -> dict:
    from django.contrib.auth.models import Group

    from accounts.models import Organization, User
    from accounts.roles import Role
    from accounts.validators import credit_code_check_char
    from applications.models import Application, BudgetLine, Occupation, Trade
    from haidian_contest.workflow import State
    from performance.survey.models import LIKERT_QUESTIONS, Survey, SurveyAnswer

    body = "91110108MA0000001"
    org = Organization.objects.create(name="基准单位", org_type="park", credit_code=body + credit_code_check_char(body),
                                      contact_person="联系人", contact_phone="010-1")
    organizer = User.objects.create(username="bench-org", organization=org)
    organizer.groups.set([Group.objects.get(name=Role.ORGANIZER.group_name)])
    reviewer = User.objects.create(username="bench-reviewer", full_name="基准审核")
    reviewer.groups.set([Group.objects.get(name=Role.REVIEWER.group_name)])
    app = Application.objects.create(cycle=2026, title="基准项目：满意度调查", lead_organization=org, status=State.IN_PROGRESS,
                                     created_by=organizer, purpose="目的", start_date="2026-07-01", end_date="2026-09-20")
    occupations = list(Occupation.objects.all()[:10])
    Trade.objects.bulk_create([
        Trade(application=app, position=j, occupation=occupations[j], category="innovative" if j % 5 else "traditional",
              field="ai" if j % 5 else "", certifiable=j % 2 == 0, planned_participants=1000 + j,
              subsidy_requested=Decimal("60000.00"), approved_subsidy=Decimal("60000.00")) for j in range(10)])
    BudgetLine.objects.bulk_create([BudgetLine(trade=t, item="venue", amount=Decimal("100000.00"))
                                    for t in Trade.objects.filter(application=app)])
    Survey.objects.create(application=app, opened_by=organizer)
    keys = [key for key, _q in LIKERT_QUESTIONS]
    answers = [SurveyAnswer(application=app, again=rnd.choice(["yes", "yes", "unsure", "no"]),
                            suggestion=rnd.choice(SUGGESTIONS) + f"（{i}）" if i % 3 == 0 else "",
                            **{k: rnd.choices([5, 4, 3, 2, 1], weights=[45, 30, 15, 7, 3])[0] for k in keys})
               for i in range(n_answers)]
    SurveyAnswer.objects.bulk_create(answers, batch_size=2000)
    return {"application": app, "reviewer": reviewer}


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(label: str, n_answers: int, repeats: int) -> float:
    from django.test import Client
    from django.urls import reverse

    from performance.survey.selectors import satisfaction_rate

    started = time.perf_counter()
    data = seed(n_answers, random.Random(17))
    app = data["application"]
    print(f"  {label}: seeded {n_answers:,} answers in {time.perf_counter() - started:.1f} s; "
          f"satisfaction rate {satisfaction_rate(app)}%", flush=True)
    client = Client()
    client.force_login(data["reviewer"])
    pages = {"project page": reverse("applications:detail", args=[app.pk]),
             "survey results": reverse("performance:survey", args=[app.pk])}
    times = {name: [] for name in pages}
    for url in pages.values():
        for _ in range(2):
            assert client.get(url).status_code == 200, url
    for _ in range(repeats):
        for name, url in pages.items():
            t = time.perf_counter()
            response = client.get(url)
            times[name].append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    for name, values in times.items():
        print(f"  {label:<10} {name:<16} median {statistics.median(values):7.1f} ms   "
              f"p95 {percentile(values, 0.95):7.1f} ms", flush=True)
    from performance.survey.selectors import results

    aggregate = []
    for _ in range(repeats):
        t = time.perf_counter()
        results(app)
        aggregate.append((time.perf_counter() - t) * 1000)
    print(f"  {label:<10} {'the one query':<16} median {statistics.median(aggregate):7.1f} ms   "
          f"p95 {percentile(aggregate, 0.95):7.1f} ms", flush=True)
    ratio = statistics.median(times["survey results"]) / statistics.median(times["project page"])
    print(f"  {label:<10} ratio results / project page: {ratio:.2f}× (target < {TARGET_RATIO:.0f}×): "
          f"{'OK' if ratio < TARGET_RATIO else 'OVER'}", flush=True)
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--database", choices=["sqlite", "postgresql"],
                        help="internal: one database per process, since Django is set up once")
    args = parser.parse_args()
    if args.database is None:
        return run_each_database(__file__)
    with django_on(args.database, "survey_bench"):
        ratio = run(args.database, args.answers, args.repeats)
    return 0 if ratio < TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
