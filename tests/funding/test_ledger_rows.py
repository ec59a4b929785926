"""The year ledger page's rows (funding.ledger_page.ledger_rows): one plain statement a page, the same figures
as the project's own ledger (project_ledgers), exact to the fen, and cached HTML that is never stale."""

import os
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications import workflow_engine
from funding import selectors, services
from funding.ledger_page import ledger_page
from haidian_contest.workflow import State
from tests.factories import user_with_role
from tests.performance.stages import expected_results_recorded
from tests.review.stages import approved_application

from .stages import _pay, agreement_signed, scan_upload, tranche_1_paid

pytestmark = pytest.mark.django_db


def _approved(reviewer, approver, **kw):
    return approved_application(organizer=user_with_role(Role.ORGANIZER), reviewer=reviewer, approver=approver, **kw)


@pytest.fixture
def odd_fen(reviewer, approver, finance):
    """109,000.01 approved (54,500.01 + 54,500.00); tranche 1 paid, reversed and paid again."""
    app = _approved(reviewer, approver, key="A", subsidies={
        "人工智能训练师": "69000.01", "工业机器人系统运维员": "40000.00", "多工序数控机床操作调整工": "0.00"})
    app = tranche_1_paid(application=agreement_signed(application=app, reviewer=reviewer), finance=finance)
    services.reverse_payment(application=app, number=1, actor=finance, reason="收款账户有误，冲销后重新拨付。")
    return tranche_1_paid(application=app, finance=finance, voucher_no="记-2026-0616-01")


@pytest.fixture
def reduced(in_progress, organizer, reviewer, finance, monkeypatch):
    """Scenario A, audit passed, tranche 2 reduced by the department to 12,345.29 and paid."""
    monkeypatch.setitem(workflow_engine.GUARDS, "materials_complete", lambda application: [])
    workflow_engine.perform(application=in_progress, name="submit_materials", actor=organizer)
    workflow_engine.perform(application=in_progress, name="audit_pass", actor=reviewer, comment="材料齐全，审核通过。")
    in_progress.refresh_from_db()
    app = expected_results_recorded(in_progress, reviewer, outcome="reduced", reason="部分指标未达到，核减剩余资金。",
                                    tranche_2_amount="12345.29")
    return _pay(app, finance, 2, paid_on=date(2026, 10, 15), voucher_no="记-2026-1015-01", late_reason="")


@pytest.fixture
def corrected(reviewer, approver):
    """An agreement superseded by a correction with another number."""
    app = agreement_signed(application=_approved(reviewer, approver, key="A", union_role="co_host"),
                           reviewer=reviewer, number="HDZGH-2026-201")
    services.correct_agreement(application=app, actor=reviewer, reason="协议编号登记有误。",
                               number="HDZGH-2026-201-更正", signed_on=date(2026, 6, 11), union_role="co_host",
                               scan=scan_upload())
    app.refresh_from_db()
    return app


@pytest.fixture
def unsigned(reviewer, approver):
    return _approved(reviewer, approver, key="C", union_role="host")


def rows(per_page=50, number=1):
    return ledger_page(selectors.scope_of(selectors.year_projects(2026)), number, per_page=per_page)


def figures_of_ledger(p):
    return (p.application.pk, p.application.title, p.application.lead_organization.name, p.union_role_label,
            p.agreement.number if p.agreement else "", p.agreement is not None, p.scheduled, p.paid,
            p.outstanding, [(t.scheduled, t.paid) for t in p.tranches], p.application.status_label)


def figures_of_row(r):
    return (r.pk, r.title, r.organization, r.union_role_label, r.agreement_number, r.has_agreement, r.scheduled,
            r.paid, r.outstanding, [(t.scheduled, t.paid) for t in r.tranches], r.status_label)


def test_each_row_shows_what_the_projects_own_ledger_gives_in_the_ledgers_order(odd_fen, reduced, corrected,
                                                                                  unsigned):
    page = rows()
    ledgers = selectors.project_ledgers(selectors.year_projects(2026))
    assert len(ledgers) == 4
    assert [figures_of_row(r) for r in page.object_list] == [figures_of_ledger(p) for p in ledgers]


def test_odd_fen_are_summed_exactly_over_a_payment_its_reversal_and_the_new_payment(odd_fen):
    (row,) = rows().object_list
    assert [(str(t.scheduled), str(t.paid)) for t in row.tranches] == [("54500.01", "54500.01"), ("54500.00", "0.00")]
    assert (str(row.scheduled), str(row.paid), str(row.outstanding)) == ("109000.01", "54500.01", "54500.00")


def test_a_reduced_second_tranche_is_what_the_row_schedules_and_pays(reduced):
    (row,) = rows().object_list
    assert [(t.scheduled, t.paid) for t in row.tranches] == [(Decimal("128000.00"), Decimal("128000.00")),
                                                             (Decimal("12345.29"), Decimal("12345.29"))]
    assert (row.scheduled, row.outstanding, row.status_label) == (Decimal("140345.29"), 0, State.CLOSED.label)


def test_a_corrected_agreement_shows_the_corrections_number(corrected):
    (row,) = rows().object_list
    assert (row.agreement_number, row.union_role_label) == ("HDZGH-2026-201-更正", "联合主办")


def test_a_project_without_agreement_shows_its_own_union_role_and_no_schedule(unsigned):
    (row,) = rows().object_list
    assert (row.has_agreement, row.agreement_number, row.union_role_label) == (False, "", "主办")
    assert [(t.scheduled, t.paid) for t in row.tranches] == [(None, 0), (None, 0)] and row.scheduled == 0


def test_the_pages_follow_the_ledgers_order_and_count_the_whole_year(odd_fen, reduced, corrected, unsigned):
    order = list(selectors.year_projects(2026).values_list("pk", flat=True))
    first, second = rows(per_page=3), rows(per_page=3, number=2)
    assert first.paginator.count == 4 and first.paginator.num_pages == 2
    assert [r.pk for r in first.object_list + second.object_list] == order


def row_cells(html: str) -> list[str]:
    start = html.index('data-testid="ledger-row"')
    return re.findall(r"<td[^>]*>(.*?)</td>", html[start:html.index("</tr>", start)])


def test_a_payment_and_a_renamed_unit_show_on_their_row_at_once(client, signed, finance):
    """The row's HTML is cached under a digest of its values: a change of any of them is a new entry."""
    client.force_login(finance)
    url = reverse("funding:ledger")
    before = row_cells(client.get(url, {"cycle": 2026}).content.decode())
    assert before[4:10] == ["256,000.00", "128,000.00", "0.00", "128,000.00", "0.00", "256,000.00"]
    tranche_1_paid(application=signed, finance=finance)
    signed.lead_organization.name = "海淀区某某单位（更名）"
    signed.lead_organization.save()
    after = row_cells(client.get(url, {"cycle": 2026}).content.decode())
    assert after[1] == "海淀区某某单位（更名）"
    assert after[4:10] == ["256,000.00", "128,000.00", "128,000.00", "128,000.00", "0.00", "128,000.00"]
    assert after[10] == State.IN_PROGRESS.label


def test_the_summary_cards_show_a_payment_at_once(client, signed, finance):
    client.force_login(finance)
    url = reverse("funding:ledger")
    client.get(url, {"cycle": 2026})
    tranche_1_paid(application=signed, finance=finance)
    html = client.get(url, {"cycle": 2026}).content.decode()
    cards = html[html.index('data-testid="summary-3"'):html.index("</table>", html.index('data-testid="summary-3"'))]
    assert "<td>首笔资金（50%）</td><td class=\"text-end\">1</td><td class=\"money\">128,000.00</td>" \
           "<td class=\"money\">128,000.00</td><td class=\"money\">0.00</td>" in cards


def test_every_process_computes_the_same_totals_key_whatever_its_hash_seed():
    """The scope's SQL is part of the totals' cache key: a set's order (PYTHONHASHSEED) must not reach it."""
    code = ("import django; django.setup(); from funding.selectors import year_projects; "
            "print(year_projects(2026).order_by().values('pk').query.sql_with_params())")
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": "haidian_contest.settings",
               "DEBUG": "true"}
        env.pop("DATABASE_URL", None)
        outputs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                                   cwd=Path(__file__).resolve().parents[2]).stdout)
    assert len(outputs) == 1


def test_the_year_totals_owe_a_reduced_second_tranche_as_the_rows_do(reduced):
    year = selectors.year_totals(selectors.year_projects(2026))
    (row,) = rows().object_list
    assert (year.total.scheduled, year.total.paid) == (row.scheduled, row.paid) == (Decimal("140345.29"),) * 2
    assert dict(year.tranche_totals)["剩余资金（50%）"].scheduled == Decimal("12345.29")
    # The categories share the reduced total to the fen, as the payments are shared.
    assert sum((t.scheduled for _label, t in year.by_category), Decimal("0.00")) == Decimal("140345.29")


def test_a_reduction_recorded_later_changes_the_cached_year_totals(in_progress, organizer, reviewer, monkeypatch):
    monkeypatch.setitem(workflow_engine.GUARDS, "materials_complete", lambda application: [])
    workflow_engine.perform(application=in_progress, name="submit_materials", actor=organizer)
    workflow_engine.perform(application=in_progress, name="audit_pass", actor=reviewer, comment="材料齐全，审核通过。")
    in_progress.refresh_from_db()
    before = selectors.year_totals(selectors.year_projects(2026)).total.scheduled
    expected_results_recorded(in_progress, reviewer, outcome="reduced", reason="部分指标未达到，核减剩余资金。",
                              tranche_2_amount="12345.29")
    after = selectors.year_totals(selectors.year_projects(2026)).total.scheduled
    assert before - after == Decimal("128000.00") - Decimal("12345.29")
