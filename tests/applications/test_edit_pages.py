from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application
from haidian_contest.workflow import State
from tests.lifecycle import build_application

from .posts import application_post, trade_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_save_draft_creates_an_application_from_incomplete_input(client_for, organizer):
    client = client_for(organizer)
    response = client.post(reverse("applications:create"), application_post(purpose="", scope=""))
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("applications:edit", args=[app.pk])
    assert (app.status, app.lead_organization, app.purpose) == (State.DRAFT, organizer.organization, "")


def test_validation_error_saves_nothing_and_shows_everything_typed(client_for, organizer):
    client = client_for(organizer)
    data = application_post(title="", purpose="目的：独一无二的文字甲",
                            co=[{"name": "北京示例餐饮管理有限公司", "org_type": "enterprise", "credit_code": "BAD"},
                                {"name": "北京示例养老服务中心", "org_type": "social_org"}])
    response = client.post(reverse("applications:create"), data)
    assert response.status_code == 200
    assert not Application.objects.exists()
    html = response.content.decode()
    for typed in ("目的：独一无二的文字甲", "北京示例餐饮管理有限公司", "北京示例养老服务中心", 'value="BAD"'):
        assert typed in html
    assert "统一社会信用代码无效" in html


def test_co_applicant_rows_added_and_removed_keep_input_and_save_only_kept_rows(client_for, organizer):
    client = client_for(organizer)
    rows = [{"name": "甲公司", "org_type": "enterprise"}, {"name": "乙中心", "org_type": "social_org"},
            {"name": "丙公司", "org_type": ""}]
    # Row 2 removed, row 3 incomplete: nothing is saved and every row comes back, the removed one marked.
    response = client.post(reverse("applications:create"), application_post(co=rows, co_deleted={1}))
    html = response.content.decode()
    assert response.status_code == 200 and "乙中心" in html and "丙公司" in html
    assert 'name="co-1-DELETE" id="id_co-1-DELETE" checked' in html and "撤销删除" in html
    rows[2]["org_type"] = "enterprise"
    client.post(reverse("applications:create"), application_post(co=rows, co_deleted={1}))
    app = Application.objects.get()
    assert [c.name for c in app.co_applicants.all()] == ["甲公司", "丙公司"]


def test_trade_formset_add_and_remove_rows_keeps_input(client_for, organizer):
    app = build_application(organizer, "A")
    client = client_for(organizer)
    url = reverse("applications:trade_create", args=[app.pk])
    judges = [
        {"name": "评委甲", "employer": "单位甲", "title": "高级工程师", "experience": "市赛裁判"},
        {"name": "评委乙", "employer": "单位乙", "title": "教授", "experience": ""},
        {"name": "", "employer": "单位丙（忘了写姓名）", "title": "技师", "experience": ""},
        {"name": "评委丁", "employer": "单位丁", "title": "高级技师", "experience": "国赛评委"},  # added in the browser
    ]
    response = client.post(url, trade_post(judges=judges, judges_deleted={1}))
    html = response.content.decode()
    assert response.status_code == 200
    assert all(text in html for text in ("评委甲", "评委乙", "单位丙（忘了写姓名）", "评委丁"))
    assert "请填写评委姓名" in html
    judges[2]["name"] = "评委丙"
    response = client.post(url, trade_post(judges=judges, judges_deleted={1}))
    trade = app.trades.order_by("-pk").first()
    assert response.status_code == 302
    assert [j.name for j in trade.judges.all()] == ["评委甲", "评委丙", "评委丁"]


def test_trade_page_saves_prizes_budget_and_blank_numbers_as_zero(client_for, organizer):
    app = build_application(organizer, "A")
    client = client_for(organizer)
    data = trade_post(participants="", subsidy="", prizes=((3, "5000.00"), ("", ""), ("", "")),
                      budget=[{"item": "venue", "description": "场地", "amount": "1000.50"},
                              {"item": "other", "description": "", "amount": ""}])
    client.post(reverse("applications:trade_create", args=[app.pk]), data)
    trade = app.trades.order_by("-pk").first()
    assert (trade.planned_participants, trade.subsidy_requested) == (0, Decimal("0.00"))
    assert [(p.rank, p.count, p.amount) for p in trade.prize_tiers.all()] == [(1, 3, Decimal("5000.00"))]
    assert [(b.item, b.amount) for b in trade.budget_lines.all()] == [("venue", Decimal("1000.50"))]


def test_unknown_occupation_is_refused_with_the_text_kept(client_for, organizer):
    app = build_application(organizer, "A")
    client = client_for(organizer)
    response = client.post(reverse("applications:trade_create", args=[app.pk]), trade_post(occupation="火星种植员"))
    assert response.status_code == 200 and "职业目录中没有“火星种植员”" in response.content.decode()
    assert 'value="火星种植员"' in response.content.decode()


def test_non_standard_trade_saves_name_and_standard(client_for, organizer):
    app = build_application(organizer, "A")
    client = client_for(organizer)
    client.post(reverse("applications:trade_create", args=[app.pk]),
                trade_post(occupation="", custom_name="无人机植保员", standard_reference="T/CAAA 001-2025 无人机植保作业规范",
                           category="traditional", field="", subsidy="30000.00"))
    trade = app.trades.order_by("-pk").first()
    assert (trade.occupation, trade.name, trade.standard_reference) == (None, "无人机植保员", "T/CAAA 001-2025 无人机植保作业规范")


def test_add_trade_button_saves_the_page_first(client_for, organizer):
    app = build_application(organizer, "A")
    client = client_for(organizer)
    response = client.post(reverse("applications:edit", args=[app.pk]),
                           application_post("add_trade", title="改过的名称"))
    assert response["Location"] == reverse("applications:trade_create", args=[app.pk])
    app.refresh_from_db()
    assert app.title == "改过的名称"


def test_delete_trade_button_removes_the_trade(client_for, organizer):
    app = build_application(organizer, "A")
    trade = app.trades.first()
    client = client_for(organizer)
    client.post(reverse("applications:edit", args=[app.pk]), application_post(f"delete_trade:{trade.pk}"))
    assert not app.trades.filter(pk=trade.pk).exists()


def test_submitted_application_is_not_editable(client_for, organizer):
    from tests.lifecycle import submitted_application

    app = submitted_application(organizer, "A")
    client = client_for(organizer)
    response = client.get(reverse("applications:edit", args=[app.pk]))
    assert response["Location"] == reverse("applications:detail", args=[app.pk])
    response = client.post(reverse("applications:trade_edit", args=[app.pk, app.trades.first().pk]), trade_post())
    assert response.status_code == 302
    assert app.trades.first().planned_participants == 320


def test_staff_cannot_edit(client_for, organizer, reviewer):
    app = build_application(organizer, "A")
    assert client_for(reviewer).get(reverse("applications:edit", args=[app.pk])).status_code == 403
