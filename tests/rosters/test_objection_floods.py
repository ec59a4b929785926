"""A flood of objections against a winners' notice: capped per day across addresses, and closed in bulk by
the department as duplicates or abuse, with the reason on the record, so that it cannot hold up the audit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from applications.models import StatusChange
from rosters.models import Objection, ObjectionHandling
from rosters.publicity import services
from tests.clock import travel

from .test_publicity import TODAY, lodge, notice, on_a_tuesday, post_objection, roster_rows, with_winners  # noqa: F401

pytestmark = pytest.mark.django_db


def _flood(notice, count, *, start=0):
    return [lodge(notice, text=f"异议第 {n} 条：请核查获奖选手的参赛资格。", ip=f"10.1.{n // 200}.{n % 200}")
            for n in range(start, start + count)]


def test_objections_to_one_notice_are_capped_per_day_across_addresses(notice, settings):
    settings.OBJECTIONS_PER_NOTICE_PER_DAY = 5
    settings.DEPARTMENT_PHONE = "010-62500000"
    _flood(notice, 5)
    with pytest.raises(ValidationError) as exc:
        lodge(notice, ip="192.0.2.99")
    assert "已达上限" in exc.value.messages[0] and "010-62500000" in exc.value.messages[0]
    assert Objection.objects.count() == 5


def test_the_cap_opens_again_the_next_day(notice, settings):
    settings.OBJECTIONS_PER_NOTICE_PER_DAY = 3
    _flood(notice, 3)
    with travel(TODAY + timedelta(days=1), hour=9):
        lodge(notice, ip="192.0.2.99")
    assert Objection.objects.count() == 4


def test_the_public_page_shows_the_cap_message_with_the_departments_phone(notice, settings):
    settings.OBJECTIONS_PER_NOTICE_PER_DAY = 1
    settings.DEPARTMENT_PHONE = "010-62500000"
    _flood(notice, 1)
    page = post_objection(Client(), notice).content.decode()
    assert "今日收到的异议已达上限" in page and "010-62500000" in page


def test_the_department_closes_a_flood_in_bulk_with_the_reason_on_each_record(notice, reviewer):
    flood = _flood(notice, 30)
    done = services.dismiss_objections(actor=reviewer, objection_ids=[o.pk for o in flood], outcome="abusive",
                                       reason="同一时段自多个地址提交的大量相同格式内容，无具体事实。")
    assert len(done) == 30
    assert set(Objection.objects.values_list("outcome", flat=True)) == {"abusive"}
    assert ObjectionHandling.objects.filter(outcome="abusive", result__startswith="同一时段", actor=reviewer).count() == 30
    event = StatusChange.objects.get(transition="handle_objection")
    assert "共 30 件" in event.comment and "恶意" in event.comment


def test_objections_closed_in_bulk_no_longer_hold_up_the_audit(notice, reviewer):
    real = lodge(notice, ip="192.0.2.50")
    flood = _flood(notice, 20)
    services.dismiss_objections(actor=reviewer, objection_ids=[o.pk for o in flood], outcome="duplicate",
                                reason=f"与编号 {real.pk} 的异议重复。")
    with travel(date(2026, 12, 9)):
        assert services.notice_settled(notice.application) == ["尚有 1 件公示异议未办结。"]
        services.handle_objection(actor=reviewer, objection=real, outcome="rejected", result="经核实无误。")
        assert services.notice_settled(notice.application) == []


def test_bulk_closing_needs_a_reason_and_a_dismissal(notice, reviewer):
    ids = [o.pk for o in _flood(notice, 2)]
    with pytest.raises(ValidationError, match="理由"):
        services.dismiss_objections(actor=reviewer, objection_ids=ids, outcome="duplicate", reason=" ")
    with pytest.raises(ValidationError, match="只能标记为"):
        services.dismiss_objections(actor=reviewer, objection_ids=ids, outcome="rejected", reason="无事实依据")
    assert not ObjectionHandling.objects.exists()


def test_bulk_closing_refuses_an_objection_already_settled(notice, reviewer):
    first, second = _flood(notice, 2)
    services.handle_objection(actor=reviewer, objection=first, outcome="upheld", result="属实，已更正。")
    with pytest.raises(ValidationError, match=str(first.pk)):
        services.dismiss_objections(actor=reviewer, objection_ids=[first.pk, second.pk], outcome="duplicate",
                                    reason="重复")
    assert Objection.objects.get(pk=second.pk).outcome == "pending"


def test_only_the_department_closes_objections_in_bulk(notice, organizer):
    ids = [o.pk for o in _flood(notice, 2)]
    with pytest.raises(PermissionDenied):
        services.dismiss_objections(actor=organizer, objection_ids=ids, outcome="abusive", reason="刷屏")


def test_the_queue_page_closes_the_ticked_objections(notice, reviewer):
    flood = _flood(notice, 3)
    client = Client()
    client.force_login(reviewer)
    response = client.post(reverse("rosters:objections"), {
        "objection": [flood[0].pk, flood[1].pk], "outcome": "duplicate", "reason": "与编号 1 内容相同。"}, follow=True)
    assert "已将 2 件异议标记为" in response.content.decode()
    assert list(Objection.objects.order_by("pk").values_list("outcome", flat=True)) == ["duplicate", "duplicate",
                                                                                       "pending"]


def test_the_queue_offers_bulk_closing_only_while_an_objection_on_the_page_is_open(notice, reviewer):
    client = Client()
    client.force_login(reviewer)
    assert 'name="reason"' not in client.get(reverse("rosters:objections")).content.decode()
    _flood(notice, 1)
    assert 'name="reason"' in client.get(reverse("rosters:objections")).content.decode()
