"""The winners' public notice (公示): published after the winners' checks, the period in working
days, objections from anyone within it (with abuse resistance), their handling on the record, and
the audit pass (prize money final) held until the period is over and every objection settled."""

import re
import time
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications.models import StatusChange
from applications.workflow_engine import WorkflowError
from haidian_contest.models import CalendarDay
from haidian_contest.records import ImmutableRecord
from rosters.models import Objection, ObjectionHandling, Participant, RosterVersion
from rosters.publicity import forms as publicity_forms
from rosters.publicity import services
from tests.clock import travel
from tests.performance.media import PDF_BYTES
from tests.rosters.stages import make_roster_rows, make_winner_rows, upload_roster, upload_winners

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)  # a Tuesday: the notice runs Wednesday 12-02 to Tuesday 12-08, 17:00
TRADITIONAL = "6-18-01-07"


@pytest.fixture(autouse=True)
def on_a_tuesday():
    with travel(TODAY, hour=10):
        yield


@pytest.fixture
def roster_rows(project, organizer):
    rows = make_roster_rows(project, 90)
    assert upload_roster(project, organizer, rows).status == RosterVersion.Status.ACCEPTED
    return rows


@pytest.fixture
def with_winners(project, organizer, roster_rows):
    version = upload_winners(project, organizer, make_winner_rows(roster_rows, per_trade=(1, 2, 3)))
    assert version.status == RosterVersion.Status.ACCEPTED, version.errors
    return project


@pytest.fixture
def notice(with_winners, reviewer):
    return services.publish_notice(actor=reviewer, application=with_winners)


def lodge(notice, text="第二名选手并非本单位职工，参赛资格存疑，请核查。", ip="203.0.113.5", **kw):
    return services.lodge_objection(notice=notice, name="张三", contact="13800000000", text=text, ip=ip, **kw)


def post_objection(client, notice, *, text="获奖选手李某的工作单位填写有误，请核实。", age=60, **extra):
    data = {"name": "张三", "contact": "zhangsan@example.com", "text": text, "website": "",
            "stamp": publicity_forms.form_stamp(notice.pk, now=time.time() - age), **extra}
    return client.post(reverse("public_notice", kwargs={"notice_pk": notice.pk}), data, REMOTE_ADDR="198.51.100.7")


# --- publishing -------------------------------------------------------------------------------


def test_no_notice_before_the_winners_are_imported(project, reviewer, roster_rows):
    with pytest.raises(ValidationError, match="获奖名单尚未导入"):
        services.publish_notice(actor=reviewer, application=project)


def test_no_notice_while_a_departure_from_the_plan_awaits_the_department(project, organizer, reviewer, roster_rows):
    from rosters import services as roster_services
    from tests.rosters.stages import run_pending

    winners = make_winner_rows(roster_rows)  # as planned: 3, 6 and 9 per trade
    promoted = next(i for i, w in enumerate(winners) if w["trade"] == TRADITIONAL and w["rank"] == "二等奖")
    winners[promoted].update(rank="一等奖", amount=Decimal("3000.00"))
    failed = upload_winners(project, organizer, winners)
    accepted = run_pending(roster_services.resubmit_with_waivers(version=failed, actor=organizer, reasons={str(promoted + 2): "并列"}))
    assert accepted.status == RosterVersion.Status.ACCEPTED and accepted.plan_waivers
    with pytest.raises(ValidationError, match="尚待职工发展部审核"):
        services.publish_notice(actor=reviewer, application=project)
    roster_services.decide_plan_waiver(application=project, actor=reviewer, key=accepted.plan_waivers[0]["key"], accepted=True)
    assert services.publish_notice(actor=reviewer, application=project).entries.count() == 54


def test_only_the_department_publishes(with_winners, organizer):
    with pytest.raises(PermissionDenied):
        services.publish_notice(actor=organizer, application=with_winners)


def test_the_period_is_five_working_days_from_the_next_working_day(notice):
    assert (notice.starts_on, notice.ends_on) == (date(2026, 12, 2), date(2026, 12, 8))
    assert notice.ends_at == datetime(2026, 12, 8, 9, 0, tzinfo=timezone.utc)  # 17:00 Beijing time
    assert notice.working_days == 5


def test_a_holiday_in_the_admins_table_lengthens_the_period(with_winners, reviewer, settings):
    CalendarDay.objects.create(date=date(2026, 12, 3), kind=CalendarDay.Kind.HOLIDAY, name="测试假日")
    CalendarDay.objects.create(date=date(2026, 12, 5), kind=CalendarDay.Kind.WORKDAY, name="测试调休")
    settings.PUBLIC_NOTICE_WORKING_DAYS = 3
    notice = services.publish_notice(actor=reviewer, application=with_winners)
    assert (notice.starts_on, notice.ends_on) == (date(2026, 12, 2), date(2026, 12, 5))


def test_the_2026_holidays_are_seeded():
    national_day = CalendarDay.objects.filter(date__range=(date(2026, 10, 1), date(2026, 10, 7)))
    assert national_day.count() == 7 and {d.kind for d in national_day} == {"holiday"}
    assert CalendarDay.objects.get(date=date(2026, 9, 20)).kind == "workday"
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_publication_is_on_the_projects_record(notice, reviewer):
    change = StatusChange.objects.get(application=notice.application, transition="publish_notice")
    assert change.actor == reviewer
    assert "2026年12月2日 至 2026年12月8日 17:00" in change.comment and "18 名获奖选手" in change.comment


def test_a_correction_is_a_withdrawal_and_a_new_period(notice, reviewer):
    with pytest.raises(ValidationError, match="已有公示"):
        services.publish_notice(actor=reviewer, application=notice.application)
    with pytest.raises(ValidationError, match="原因"):
        services.withdraw_notice(actor=reviewer, notice=notice, reason=" ")
    services.withdraw_notice(actor=reviewer, notice=notice, reason="一名获奖选手工作单位有误，更正后重新公示。")
    with travel(date(2026, 12, 4)):
        again = services.publish_notice(actor=reviewer, application=notice.application)
    assert (again.starts_on, again.ends_on) == (date(2026, 12, 7), date(2026, 12, 11))
    trail = list(StatusChange.objects.filter(application=notice.application,
                                             transition__in=["publish_notice", "withdraw_notice"])
                 .order_by("id").values_list("transition", "comment"))
    assert [t for t, _ in trail] == ["publish_notice", "withdraw_notice", "publish_notice"]
    assert "更正后重新公示" in trail[1][1]


# --- the public page --------------------------------------------------------------------------


def test_the_public_page_shows_rank_name_and_unit_to_anyone_and_nothing_else(notice):
    client = Client()
    listing = client.get(reverse("public_notices"))
    assert listing.status_code == 200 and notice.application.title in listing.content.decode()
    page = client.get(reverse("public_notice", kwargs={"notice_pk": notice.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "公示期：2026年12月2日 至 2026年12月8日 17:00" in html
    winners = Participant.objects.filter(awards__application=notice.application).distinct()
    assert winners.count() == 18
    for person in winners:
        assert person.name in html and person.employer in html
    for person in Participant.objects.filter(application=notice.application):
        for secret in (person.id_number, person.phone, person.id_masked, person.phone_masked):
            assert secret not in html
    assert not re.search(r"\d{17}[\dXx]|1[3-9]\d{9}|\d{6}\*+\d{3,4}|1\d{2}\*{4}\d{4}", html)


def test_a_withdrawn_notice_leaves_the_public_page(notice, reviewer):
    services.withdraw_notice(actor=reviewer, notice=notice, reason="更正")
    assert Client().get(reverse("public_notice", kwargs={"notice_pk": notice.pk})).status_code == 404
    assert notice.application.title not in Client().get(reverse("public_notices")).content.decode()


def test_a_signed_in_user_without_a_second_factor_still_sees_the_public_page(notice, finance, settings):
    settings.REQUIRE_2FA_ROLES = {"finance"}
    client = Client()
    client.force_login(finance)
    assert client.get(reverse("public_notice", kwargs={"notice_pk": notice.pk})).status_code == 200


# --- objections -------------------------------------------------------------------------------


def test_anyone_lodges_an_objection_in_the_period(notice):
    response = post_objection(Client(), notice)
    assert response.status_code == 302
    objection = Objection.objects.get(notice=notice)
    assert (objection.name, objection.outcome, objection.ip_address) == ("张三", "pending", "198.51.100.7")


def test_an_objection_after_the_period_is_refused_with_the_end_named(notice):
    with travel(date(2026, 12, 8), hour=17):
        with pytest.raises(ValidationError, match="公示期已于 2026年12月8日 17:00 结束"):
            lodge(notice)
        page = Client().get(reverse("public_notice", kwargs={"notice_pk": notice.pk})).content.decode()
        assert "不再受理异议" in page and 'data-testid="objection-form"' not in page
    with travel(date(2026, 12, 8), hour=16):
        assert lodge(notice).pk


def test_the_same_text_from_the_same_address_is_recorded_once(notice):
    lodge(notice)
    with pytest.raises(services.Ignored):
        lodge(notice, text="第二名选手并非本单位职工，  参赛资格存疑，请核查。")
    assert lodge(notice, ip="203.0.113.6").pk  # another address: a second objection
    assert Objection.objects.count() == 2


def test_one_address_is_limited_per_hour(notice):
    for n in range(services.OBJECTIONS_PER_ADDRESS_PER_HOUR):
        lodge(notice, text=f"第 {n} 条异议：获奖选手资格存疑，请核查。")
    with pytest.raises(ValidationError, match="提交过于频繁"):
        lodge(notice, text="再一条异议：获奖选手资格存疑，请核查。")
    assert lodge(notice, text="另一地址的异议：获奖选手资格存疑。", ip="203.0.113.9").pk


def test_a_filled_honeypot_is_thanked_and_not_recorded(notice):
    response = post_objection(Client(), notice, website="http://spam.example")
    assert response.status_code == 302
    assert not Objection.objects.exists()


def test_a_form_sent_back_at_once_is_refused(notice):
    response = post_objection(Client(), notice, age=1)
    assert response.status_code == 200 and "提交过快" in response.content.decode()
    assert not Objection.objects.exists()


def test_a_forged_stamp_is_refused(notice):
    response = post_objection(Client(), notice, stamp="x")
    assert "页面已失效" in response.content.decode() and not Objection.objects.exists()


def test_too_short_a_text_keeps_what_was_typed(notice):
    response = post_objection(Client(), notice, text="不对")
    html = response.content.decode()
    assert response.status_code == 200 and "张三" in html and not Objection.objects.exists()


def test_a_pdf_is_kept_encrypted_and_only_the_department_downloads_it(notice, reviewer, auditor, organizer):
    objection = lodge(notice, upload=SimpleUploadedFile("证明.pdf", PDF_BYTES, content_type="application/pdf"))
    with open(objection.file.path, "rb") as raw:
        assert PDF_BYTES[:8] not in raw.read()
    url = reverse("rosters:objection_file", kwargs={"objection_pk": objection.pk})
    for user in (auditor, organizer):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 403
    client = Client()
    client.force_login(reviewer)
    assert b"".join(client.get(url).streaming_content) == PDF_BYTES


def test_a_file_that_is_not_a_pdf_or_image_is_refused(notice):
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        lodge(notice, upload=fake)
    assert "证明材料" in str(exc.value) and not Objection.objects.exists()


# --- handling and the guard -------------------------------------------------------------------


def test_the_department_records_each_step_and_the_history_is_append_only(notice, reviewer, organizer):
    objection = lodge(notice)
    with pytest.raises(PermissionDenied):
        services.handle_objection(actor=organizer, objection=objection, outcome="rejected", result="x")
    with pytest.raises(ValidationError, match="处理意见"):
        services.handle_objection(actor=reviewer, objection=objection, outcome="rejected", result="")
    services.handle_objection(actor=reviewer, objection=objection, outcome="accepted", result="已受理，联系承办单位核实。")
    services.handle_objection(actor=reviewer, objection=objection, outcome="rejected",
                              result="经核实，该选手劳动合同在本单位，异议不成立，已电话答复异议人。")
    objection.refresh_from_db()
    assert objection.outcome == "rejected" and objection.settled
    assert [h.outcome for h in objection.handlings.all()] == ["accepted", "rejected"]
    with pytest.raises(ValidationError, match="已办结"):
        services.handle_objection(actor=reviewer, objection=objection, outcome="upheld", result="改判")
    with pytest.raises(ImmutableRecord):
        ObjectionHandling.objects.filter(objection=objection).update(result="篡改")
    assert StatusChange.objects.filter(application=notice.application, transition="handle_objection").count() == 2


def test_the_department_handles_an_objection_on_its_page(notice, reviewer):
    objection = lodge(notice)
    client = Client()
    client.force_login(reviewer)
    queue = client.get(reverse("rosters:objections")).content.decode()
    assert "张三" in queue
    url = reverse("rosters:objection", kwargs={"objection_pk": objection.pk})
    client.post(url, {"outcome": "upheld", "result": "经核查属实，更正获奖名单后重新公示。"})
    assert client.get(url).content.decode().count('data-testid="handling"') == 1
    objection.refresh_from_db()
    assert objection.outcome == "upheld"


def test_without_a_notice_the_audit_is_not_held_up(project):
    assert services.notice_settled(project) == []


def test_the_audit_waits_for_the_period_and_every_objection(notice, organizer, reviewer, django_capture_on_commit_callbacks):
    from tests.performance.stages import audit_passed, materials_complete, materials_submitted

    objection = lodge(notice)
    with django_capture_on_commit_callbacks(execute=True):
        project = materials_complete(notice.application, organizer, photos=50)
    project = materials_submitted(project, organizer)
    with pytest.raises(WorkflowError, match="公示期至 2026年12月8日 17:00"):
        audit_passed(project, reviewer)
    with travel(date(2026, 12, 9)):
        with pytest.raises(WorkflowError, match="1 件公示异议未办结"):
            audit_passed(project, reviewer)
        services.handle_objection(actor=reviewer, objection=objection, outcome="rejected", result="异议不成立。")
        assert audit_passed(project, reviewer).state == "audit_passed"
    with pytest.raises(ValidationError, match="不能撤回"):
        services.withdraw_notice(actor=reviewer, notice=notice, reason="更正")


def test_a_withdrawn_notice_must_be_republished_before_the_audit(notice, reviewer):
    services.withdraw_notice(actor=reviewer, notice=notice, reason="更正")
    assert services.notice_settled(notice.application) == ["获奖名单公示已撤回，尚未重新发布。"]


def test_the_project_page_shows_the_period_and_the_objections(notice, reviewer):
    lodge(notice)
    client = Client()
    client.force_login(reviewer)
    html = client.get(reverse("applications:detail", kwargs={"pk": notice.application.pk}) + "?tab=rosters").content.decode()
    assert "2026年12月8日 17:00" in html and "公示异议：1 件" in html and "1 件未办结" in html


def test_the_auditors_pdf_has_the_period_and_the_objections(notice, reviewer):
    import io

    from pypdf import PdfReader

    from performance.exports import build_summary_pdf

    objection = lodge(notice)
    services.handle_objection(actor=reviewer, objection=objection, outcome="rejected", result="经核实异议不成立。")
    _name, pdf = build_summary_pdf(notice.application, lambda pct, step: None)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "获奖名单公示" in text and "2026-12-08 17:00" in text
    assert "公示异议 1 件，均已办结" in text and "经核实异议不成立" in text
    assert "张三" not in text and "13800000000" not in text  # the objector stays with the department


def test_a_control_character_in_an_objection_is_refused_before_the_view(notice):
    response = post_objection(Client(), notice, text="获奖选手资格存疑\x00，请核查。")
    assert response.status_code == 400 and not Objection.objects.exists()


def test_an_ended_notice_stays_listed_as_ended_for_a_while(notice):
    with travel(date(2026, 12, 9)):
        html = Client().get(reverse("public_notices")).content.decode()
        assert "近期已结束的公示" in html and "公示期已结束" in html and notice.application.title in html
    with travel(date(2027, 1, 20)):
        assert notice.application.title not in Client().get(reverse("public_notices")).content.decode()


def test_on_postgresql_the_handling_history_refuses_raw_updates(notice, reviewer):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    handling = services.handle_objection(actor=reviewer, objection=lodge(notice), outcome="rejected", result="不成立。")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ObjectionHandling._meta.db_table} SET result = 'x' WHERE id = %s", [handling.pk])


def test_publishing_into_a_year_without_holidays_warns_the_department(with_winners, reviewer):
    client = Client()
    with travel(date(2026, 12, 28)):  # five working days run into 2027, whose holidays nobody entered
        client.force_login(reviewer)
        page = client.post(reverse("rosters:notice_publish", kwargs={"pk": with_winners.pk}), follow=True)
    html = page.content.decode()
    assert "获奖名单已公示" in html and "尚未录入 2027 年节假日安排" in html


def test_the_public_list_and_the_queue_take_the_same_queries_for_more_rows(notice, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(reviewer)

    def queries(url, c):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    lodge(notice)
    queries(reverse("rosters:objections"), client)  # the first request of a session also touches the session
    one = (queries(reverse("public_notices"), Client()), queries(reverse("rosters:objections"), client))
    for n in range(3):
        lodge(notice, text=f"第 {n} 条：获奖选手资格存疑，请核查。", ip=f"203.0.113.{n + 10}")
    assert (queries(reverse("public_notices"), Client()), queries(reverse("rosters:objections"), client)) == one


def test_the_timeline_reads_when_the_winners_in_force_were_filed(project, with_winners):
    from rosters.selectors import winners_filed_at

    version = RosterVersion.objects.get(application=project, kind=RosterVersion.Kind.WINNERS, is_current=True)
    assert winners_filed_at(project) == (version.finished_at or version.uploaded_at)
    assert winners_filed_at(project).tzinfo is not None


def test_the_audit_page_shows_the_notice_period_before_the_reviewer_picks_pass(
        notice, organizer, reviewer, django_capture_on_commit_callbacks):
    from tests.performance.stages import materials_complete, materials_submitted

    with django_capture_on_commit_callbacks(execute=True):
        project = materials_complete(notice.application, organizer, photos=50)
    project = materials_submitted(project, organizer)
    client = Client()
    client.force_login(reviewer)
    html = client.get(reverse("performance:audit", args=[project.pk])).content.decode()
    assert "现在还不能通过：获奖名单公示期至 2026年12月8日 17:00" in html
    assert "disabled" in html.split('id="decision_audit_pass"')[1].split(">")[0]
