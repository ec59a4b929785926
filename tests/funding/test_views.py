import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding.models import LedgerEntry
from haidian_contest.workflow import State
from tests.review.stages import approved_application

from .stages import PAYEE_ACCOUNT, PAYEE_BANK, agreement_signed

pytestmark = pytest.mark.django_db


def release_data(token, **kw):
    data = {
        "token": str(token), "round": "0", "paid_on": "2026-06-15", "voucher_no": "记-2026-0615-03",
        "payee_name": "中关村智造产业园工会联合会", "payee_bank": PAYEE_BANK, "payee_account": PAYEE_ACCOUNT,
        "amount": "128000.00", "note": "", "late_reason": "",
    }
    data.update(kw)
    return data


def test_finance_queue_lists_the_payable_tranche_and_why_the_other_is_locked(client, signed, finance):
    client.force_login(finance)
    html = client.get(reverse("funding:queue")).content.decode()
    payable = html.split('data-testid="payable"')[1].split("</table>")[0]
    locked = html.split('data-testid="locked"')[1].split("</table>")[0]
    assert signed.title in payable and "128,000.00" in payable
    assert "绩效审核材料尚未审核通过" in locked and "不可豁免" in locked


def test_the_release_form_is_prefilled_with_the_scheduled_amount_and_a_token(client, signed, finance):
    client.force_login(finance)
    html = client.get(reverse("funding:release", args=[signed.pk, 1])).content.decode()
    assert re.search(r'name="amount" value="128000.00"[^>]*readonly', html)
    assert re.search(r'name="token" value="[0-9a-f-]{36}"', html)


def test_a_double_submission_pays_once_and_says_so(client, signed, finance):
    client.force_login(finance)
    url = reverse("funding:release", args=[signed.pk, 1])
    token = uuid.uuid4()
    first = client.post(url, release_data(token), follow=True)
    assert "已拨付首笔资金（50%） 128,000.00 元" in first.content.decode()
    second = client.post(url, release_data(token), follow=True)
    assert second.status_code == 200
    assert "该笔资金已拨付" in second.content.decode()
    assert LedgerEntry.objects.filter(tranche__application=signed).count() == 1


def test_a_refused_release_shows_the_reason_not_an_error_page(client, signed, finance):
    client.force_login(finance)
    response = client.post(
        reverse("funding:release", args=[signed.pk, 1]), release_data(uuid.uuid4(), amount="1.00")
    )
    assert response.status_code == 200
    assert "不一致" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_reverse_form_requires_a_reason(client, in_progress, finance):
    client.force_login(finance)
    url = reverse("funding:reverse", args=[in_progress.pk, 1])
    response = client.post(url, {"reason": "", "reversed_on": "2026-06-16"})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    client.post(url, {"reason": "账号错误", "reversed_on": "2026-06-16"})
    in_progress.refresh_from_db()
    assert in_progress.status == State.AGREEMENT_SIGNED


def test_the_department_records_the_agreement_in_the_browser_form(client, approved, reviewer):
    from .stages import scan_upload

    client.force_login(reviewer)
    response = client.post(
        reverse("funding:agreement", args=[approved.pk]),
        {"number": "HDZGH-2026-007", "signed_on": "2026-06-10", "union_role": "co_host", "scan": scan_upload()},
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == State.AGREEMENT_SIGNED


def test_organizer_sees_its_own_schedule_and_payment_status(client, in_progress, organizer):
    client.force_login(organizer)
    html = client.get(reverse("funding:project", args=[in_progress.pk])).content.decode()
    assert "HDZGH-2026-007" in html and "已拨付" in html and "128,000.00" in html
    assert reverse("funding:release", args=[in_progress.pk, 2]) not in html


def test_organizer_downloads_its_own_signed_scan(client, signed, organizer):
    from funding.selectors import current_agreement

    client.force_login(organizer)
    response = client.get(reverse("funding:agreement_scan", args=[current_agreement(signed).pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_organizer_of_another_unit_gets_404(client, in_progress, other_organizer):
    from funding.selectors import current_agreement

    client.force_login(other_organizer)
    assert client.get(reverse("funding:project", args=[in_progress.pk])).status_code == 404
    scan = reverse("funding:agreement_scan", args=[current_agreement(in_progress).pk])
    assert client.get(scan).status_code == 404


def test_organizer_may_not_release(client, signed, organizer):
    client.force_login(organizer)
    response = client.post(reverse("funding:release", args=[signed.pk, 1]), release_data(uuid.uuid4()))
    assert response.status_code == 403
    assert not LedgerEntry.objects.exists()


def test_the_project_panel_shows_the_schedule(rf, in_progress, organizer):
    from applications import panels
    from funding.panels import PANEL

    request = rf.get("/")
    request.user = organizer
    # Other apps' panels are theirs to test; this one must be registered and show the payment.
    assert panels._PANELS["funding"] is PANEL
    context = PANEL.context(request, in_progress)
    assert context["ledger"].tranche(1).is_paid and not context["is_finance"]


def test_year_ledger_totals_by_category_and_union_role(client, in_progress, auditor):
    client.force_login(auditor)
    response = client.get(reverse("funding:ledger"), {"cycle": 2026})
    year = response.context["year"]
    assert year.total.paid == 128000
    by_category = dict(year.by_category)
    assert by_category["创新类"].paid + by_category["传统类"].paid == 128000
    assert by_category["传统类"].scheduled == 40000 and by_category["传统类"].paid == 20000
    assert dict(year.by_role)["联合主办"].paid == 128000


def test_queue_and_ledger_pages_use_a_constant_number_of_queries(
    client, organizer, reviewer, approver, finance, django_assert_max_num_queries
):
    from accounts.roles import Role
    from tests.factories import user_with_role

    client.force_login(finance)
    urls = (reverse("funding:queue"), reverse("funding:ledger") + "?cycle=2026")
    agreement_signed(approved_application(organizer, reviewer, approver, "A"), reviewer)
    with_one_project = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        with_one_project.append(len(ctx.captured_queries))
    for key in ("B", "C"):
        agreement_signed(approved_application(user_with_role(Role.ORGANIZER), reviewer, approver, key), reviewer)
    for url, limit in zip(urls, with_one_project, strict=True):
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_year_ledger_lists_projects_a_page_at_a_time_with_totals_for_the_whole_year(
    client, organizer, reviewer, approver, auditor, monkeypatch
):
    from accounts.roles import Role
    from funding import views
    from tests.factories import user_with_role

    monkeypatch.setattr(views, "LEDGER_PAGE_SIZE", 2)
    agreement_signed(approved_application(organizer, reviewer, approver, "A"), reviewer)
    for key in ("B", "C"):
        agreement_signed(approved_application(user_with_role(Role.ORGANIZER), reviewer, approver, key), reviewer)
    client.force_login(auditor)
    first = client.get(reverse("funding:ledger"), {"cycle": 2026})
    last = client.get(reverse("funding:ledger"), {"cycle": 2026, "page": 2})
    assert [first.content.decode().count('data-testid="ledger-row"'),
            last.content.decode().count('data-testid="ledger-row"')] == [2, 1]
    assert "合计（3 个项目）" in last.content.decode()
    assert "?cycle=2026&page=2" in first.content.decode()


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_a_payment_form_left_open_across_a_pay_then_reverse_cycle_is_refused(client, signed, finance):
    client.force_login(finance)
    url = reverse("funding:release", args=[signed.pk, 1])
    stale = client.get(url).content.decode()
    # Meanwhile another form pays the tranche and the payment is reversed: round 1 is open.
    client.post(url, release_data(uuid.uuid4()))
    client.post(reverse("funding:reverse", args=[signed.pk, 1]), {"reason": "账号错误", "reversed_on": "2026-06-16"})

    response = client.post(url, release_data(_hidden(stale, "token"), round=_hidden(stale, "round")))

    html = response.content.decode()
    assert response.status_code == 200
    assert "此付款表单已过期" in html and "请刷新后重新提交" in html
    assert LedgerEntry.objects.filter(tranche__application=signed, kind="payment").count() == 1
    assert 'value="记-2026-0615-03"' in html  # what was typed is kept


def test_the_refreshed_form_after_a_stale_one_pays_the_new_round_once(client, signed, finance):
    client.force_login(finance)
    url = reverse("funding:release", args=[signed.pk, 1])
    stale = client.get(url).content.decode()
    client.post(url, release_data(uuid.uuid4()))
    client.post(reverse("funding:reverse", args=[signed.pk, 1]), {"reason": "账号错误", "reversed_on": "2026-06-16"})
    refreshed = client.post(url, release_data(_hidden(stale, "token"), round=_hidden(stale, "round"))).content.decode()

    again = release_data(_hidden(refreshed, "token"), round=_hidden(refreshed, "round"))
    client.post(url, again)
    client.post(url, again)  # a double click of the refreshed form

    payments = LedgerEntry.objects.filter(tranche__application=signed, kind="payment")
    assert [p.settlement for p in payments.order_by("id")] == [0, 1]
    assert _hidden(refreshed, "round") == "1"


def test_the_tranche_2_form_does_not_carry_tranche_1s_lateness_help(client, organizer, reviewer, approver, finance):
    from tests.performance import stages

    app = stages.in_progress(organizer, reviewer, approver, finance)
    app = stages.audit_passed(stages.materials_submitted(stages.materials_complete(app, organizer), organizer), reviewer)
    stages.expected_results_recorded(app, reviewer)
    client.force_login(finance)
    html = client.get(reverse("funding:release", args=[app.pk, 2])).content.decode()
    assert 'data-testid="release-form"' in html
    assert "首笔资金应在比赛启动前拨付" not in html and "逾期拨付原因" not in html
