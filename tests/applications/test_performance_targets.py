"""The plan's 绩效目标表: prefilled from the application, edited, checked, versioned and shown to the reviewer."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import performance_plan, services
from applications.models import PerformanceTarget
from haidian_contest.rules import performance_targets as pt
from tests.clock import APPLIED, on_or_before
from tests.lifecycle import build_application, open_call_for

pytestmark = pytest.mark.django_db


def _rows(app):
    return performance_plan.target_rows(app)


def _post(rows, action="save"):
    data = {"targets-TOTAL_FORMS": str(len(rows)), "targets-INITIAL_FORMS": str(len(rows)),
            "targets-MIN_NUM_FORMS": "0", "targets-MAX_NUM_FORMS": "1000", "action": action}
    for n, r in enumerate(rows):
        for field in ("key", "category_2", "name", "comparison", "target_value", "unit", "points"):
            data[f"targets-{n}-{field}"] = "" if r.get(field) is None else str(r[field])
    return data


def test_opening_the_section_prefills_the_system_indicators_from_the_application(client, organizer):
    app = build_application(organizer, "A")
    client.force_login(organizer)
    response = client.get(reverse("applications:targets", args=[app.pk]))
    assert response.status_code == 200
    targets = {t.key: t for t in app.performance_targets.all()}
    assert set(targets) == set(pt.SYSTEM_KEYS)
    planned = sum(t.planned_participants for t in app.trades.all())
    assert targets["participants"].target_value == Decimal(max(planned, 200))
    assert targets["trades_held"].target_value == app.trades.count()
    assert targets["satisfaction"].target_value == Decimal(90)
    assert "实际完成值÷指标值×分值" in response.content.decode()


def test_submission_prefills_the_targets_when_the_organizer_never_opened_them(organizer):
    with on_or_before(APPLIED):
        app = build_application(organizer, "A")
        open_call_for(app.cycle)
        version = services.submit_application(application=app, actor=organizer)
    assert app.performance_targets.count() == len(pt.SYSTEM_KEYS)
    names = [row["name"] for row in version.data["performance_targets"]]
    assert "实名参赛人数" in names


def test_an_organizer_adds_an_own_indicator_and_rebalances_the_points(client, organizer):
    app = build_application(organizer, "A")
    performance_plan.fill_if_empty(app)
    rows = _rows(app)
    for r in rows:
        if r["key"] == "media_reports":
            r["points"] = 5
    rows.append({"key": "", "category_2": "social", "name": "带动企业技能人才培养人数", "comparison": "ge",
                 "target_value": "50", "unit": "人", "points": 5})
    client.force_login(organizer)
    response = client.post(reverse("applications:targets", args=[app.pk]), _post(rows))
    assert response.status_code == 302
    own = PerformanceTarget.objects.get(application=app, name="带动企业技能人才培养人数")
    assert (own.key, own.category_1, own.target_value, own.points) == ("", "effect", Decimal("50.00"), 5)


def test_points_off_the_form_weights_are_refused_with_the_category_named(client, organizer):
    app = build_application(organizer, "A")
    performance_plan.fill_if_empty(app)
    rows = _rows(app)
    rows[1]["points"] = int(rows[1]["points"]) + 5  # an output indicator
    client.force_login(organizer)
    response = client.post(reverse("applications:targets", args=[app.pk]), _post(rows))
    html = response.content.decode()
    assert response.status_code == 200
    assert "“产出指标”各项分值合计应为 50 分，现为 55 分。" in html
    assert app.performance_targets.get(key=rows[1]["key"]).points == rows[1]["points"] - 5


def test_a_system_indicator_cannot_be_removed(organizer):
    app = build_application(organizer, "A")
    performance_plan.fill_if_empty(app)
    rows = [r for r in _rows(app) if r["key"] != "satisfaction"]
    rows.append({"key": "", "category_1": "satisfaction", "category_2": "users", "name": "其他满意度",
                 "comparison": "ge", "target_value": Decimal(80), "unit": "%", "points": 10})
    with pytest.raises(ValidationError) as error:
        performance_plan.save_targets(app, actor=organizer, rows=rows)
    assert "系统建议的指标“参赛职工满意度”不能删除（可调整指标值和分值）。" in error.value.messages


def test_another_units_organizer_cannot_edit_the_targets(client, organizer, other_organizer):
    app = build_application(organizer, "A")
    client.force_login(other_organizer)
    assert client.get(reverse("applications:targets", args=[app.pk])).status_code == 404


def test_invalid_targets_block_submission(organizer):
    with on_or_before(APPLIED):
        app = build_application(organizer, "A")
        performance_plan.fill_if_empty(app)
        PerformanceTarget.objects.filter(application=app, key="satisfaction").update(points=20)
        open_call_for(app.cycle)
        with pytest.raises(Exception) as error:
            services.submit_application(application=app, actor=organizer)
    assert "绩效目标：“满意度指标”各项分值合计应为 10 分，现为 20 分。" in str(error.value)


def test_the_reviewer_sees_the_targets_on_the_project_page(client, organizer, reviewer):
    with on_or_before(APPLIED):
        app = build_application(organizer, "A")
        open_call_for(app.cycle)
        services.submit_application(application=app, actor=organizer)
    client.force_login(reviewer)
    html = client.get(reverse("applications:detail", args=[app.pk]) + "?tab=content").content.decode()
    assert "绩效目标表" in html and "参赛职工满意度" in html and "≥90.00%" in html


def test_a_changed_target_shows_in_the_diff_between_versions(organizer):
    from applications.snapshot import readable_diff

    app = build_application(organizer, "A")
    performance_plan.fill_if_empty(app)
    from applications.snapshot import serialize_application

    before = serialize_application(app)
    rows = _rows(app)
    for r in rows:
        if r["key"] == "media_reports":
            r["target_value"] = Decimal(4)
    performance_plan.save_targets(app, actor=organizer, rows=rows)
    diff = readable_diff(before, serialize_application(app))
    assert any("绩效目标" in path and "媒体报道" in path and new == "4.00" for path, old, new in diff)


def test_the_application_page_saves_then_opens_the_targets(client, organizer):
    from .posts import application_post

    app = build_application(organizer, "A")
    client.force_login(organizer)
    response = client.post(reverse("applications:edit", args=[app.pk]), application_post("targets", title="改名后的竞赛"))
    assert response.status_code == 302 and response["Location"] == reverse("applications:targets", args=[app.pk])
    app.refresh_from_db()
    assert app.title == "改名后的竞赛"
    assert client.get(response["Location"]).status_code == 200  # opening the section prefills it
    html = client.get(reverse("applications:edit", args=[app.pk])).content.decode()
    assert 'data-testid="edit-targets"' in html and "已填写 10 项指标" in html


def test_reset_brings_back_the_proposal_from_the_application(client, organizer):
    app = build_application(organizer, "A")
    performance_plan.fill_if_empty(app)
    rows = _rows(app)
    rows[0]["target_value"] = Decimal(50)
    performance_plan.save_targets(app, actor=organizer, rows=rows)
    client.force_login(organizer)
    client.post(reverse("applications:targets", args=[app.pk]), {"action": "reset"})
    assert app.performance_targets.get(key="execution_rate").target_value == Decimal(100)


def test_the_diff_between_versions_writes_money_grouped_by_thousands():
    from applications.snapshot import readable_diff

    before = {"trades": [{"name": "数控车工", "subsidy_requested": "20000.00", "planned_participants": 200}]}
    after = {"trades": [{"name": "数控车工", "subsidy_requested": "20000.01", "planned_participants": 210}]}
    assert sorted(readable_diff(before, after)) == [
        ("工种「数控车工」 › 申请补助", "20,000.00", "20,000.01"),
        ("工种「数控车工」 › 计划参赛人数", "200", "210"),
    ]
