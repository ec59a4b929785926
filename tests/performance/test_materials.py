"""The organizer's materials: report (4.1), retention (1.8), funds, event documents (3.3–3.4), submission (3.5)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import workflow_engine
from applications.evaluation import finding_dict
from applications.models import BudgetLine
from applications.workflow_engine import WorkflowError
from haidian_contest import rules
from haidian_contest.workflow import State
from performance import services
from performance.evaluation import materials_state, report_char_count
from performance.models import ActualSpending, EventDocument

from tests.clock import AFTER_EVENT, travel

from .media import pdf_upload, photo_upload
from .stages import materials_complete, report_text

pytestmark = pytest.mark.django_db


def findings(app):
    return {f.code: f for f in materials_state(app).findings}


def test_report_is_prefilled_with_participants_and_winners_from_the_imports(with_people, organizer):
    materials = services.materials_for(application=with_people)
    assert "共有 60 名职工实名参赛" in materials.report["participants"]
    assert "非会员职工" in materials.report["participants"]
    first_winner = with_people.roster_rows[0]["name"]
    assert "一等奖" in materials.report["winners"] and first_winner in materials.report["winners"]
    assert materials.report["name"] == with_people.title


def test_report_never_prints_an_id_number(with_people, organizer):
    materials = services.materials_for(application=with_people)
    for row in with_people.roster_rows:
        assert row["id_number"] not in str(materials.report)


def test_character_count_ignores_whitespace():
    assert report_char_count({"a": "一 二\n三", "b": "  四五\t"}) == 5


def test_report_of_about_1500_characters_has_no_finding(in_progress, organizer):
    services.save_report(application=in_progress, actor=organizer, sections=report_text(1500))
    assert "report_length" not in findings(in_progress)
    assert "report_sections_missing" not in findings(in_progress)


def test_report_far_off_the_length_is_a_waivable_finding(in_progress, organizer):
    services.save_report(application=in_progress, actor=organizer, sections=report_text(900))
    finding = findings(in_progress)["report_length"]
    assert finding.waivable and finding.clause_label == "四（一）"


def test_missing_section_is_a_hard_finding_naming_it(in_progress, organizer):
    services.save_report(application=in_progress, actor=organizer, sections={**report_text(), "shortcomings": "  "})
    finding = findings(in_progress)["report_sections_missing"]
    assert not finding.waivable and "不足" in finding.message


def test_stamped_copy_must_be_a_pdf(in_progress, organizer):
    with pytest.raises(ValidationError):
        services.upload_stamped_report(
            application=in_progress, actor=organizer, upload=SimpleUploadedFile("盖章.pdf", b"not a pdf")
        )
    services.upload_stamped_report(application=in_progress, actor=organizer, upload=pdf_upload())
    assert "report_not_stamped" not in findings(in_progress)


def test_recording_kept_shorter_than_one_year_is_a_hard_finding(in_progress, organizer):
    required = rules.retention_until(in_progress.end_date)
    services.set_recording(application=in_progress, actor=organizer, location="档案室", kept_until=required.replace(day=1))
    assert not findings(in_progress)["retention_too_short"].waivable
    services.set_recording(application=in_progress, actor=organizer, location="档案室", kept_until=required)
    assert "retention_too_short" not in findings(in_progress)


def test_page_shows_the_retention_date(client, in_progress, organizer):
    client.force_login(organizer)
    page = client.get(reverse("performance:materials", args=[in_progress.pk])).content.decode()
    required = rules.retention_until(in_progress.end_date)
    assert f"{required.year}年{required.month}月{required.day}日" in page


def test_actual_spending_is_shown_next_to_the_budget_with_the_difference(client, in_progress, organizer):
    line = BudgetLine.objects.filter(trade__application=in_progress).first()
    services.save_spending(application=in_progress, actor=organizer, rows={line.pk: (str(line.amount + 100), "场地加时")})
    assert ActualSpending.objects.get(budget_line=line).amount == line.amount + 100
    client.force_login(organizer)
    page = client.get(reverse("performance:materials", args=[in_progress.pk])).content.decode()
    assert "100.00" in page and "场地加时" in page


def test_spending_on_another_projects_budget_line_is_refused(in_progress, organizer, other_organizer):
    from tests.lifecycle import build_application

    other_line = BudgetLine.objects.filter(trade__application=build_application(other_organizer, "B")).first()
    with pytest.raises(Exception):
        services.save_spending(application=in_progress, actor=organizer, rows={other_line.pk: ("1.00", "")})
    assert not ActualSpending.objects.exists()


def test_spending_refuses_negative_and_fractional_fen(in_progress, organizer):
    line = BudgetLine.objects.filter(trade__application=in_progress).first()
    for bad in ("-1", "1.001", "abc"):
        with pytest.raises(ValidationError):
            services.save_spending(application=in_progress, actor=organizer, rows={line.pk: (bad, "")})


def test_organizer_uploads_event_documents_of_each_kind(client, in_progress, organizer):
    client.force_login(organizer)
    for kind, _label in EventDocument.KINDS[:4]:
        client.post(reverse("performance:add_document", args=[in_progress.pk]),
                    {"kind": kind, "title": f"{kind}文件", "file": pdf_upload(f"{kind}.pdf")})
    assert set(EventDocument.objects.values_list("kind", flat=True)) == {"agenda", "host_script", "media_report", "briefing"}


def test_other_units_organizer_cannot_see_the_materials_page(client, in_progress, other_organizer):
    client.force_login(other_organizer)
    assert client.get(reverse("performance:materials", args=[in_progress.pk])).status_code == 404


def test_submit_is_refused_while_hard_findings_remain(in_progress, organizer):
    with pytest.raises(WorkflowError) as exc:
        services.submit_materials(application=in_progress, actor=organizer)
    assert "四（一）" in str(exc.value) and "四（二）" in str(exc.value) and "一（八）" in str(exc.value)
    in_progress.refresh_from_db()
    assert in_progress.status == State.IN_PROGRESS


def test_guard_is_registered_for_the_bare_transition(in_progress, organizer):
    assert "materials_complete" in workflow_engine.GUARDS
    with pytest.raises(WorkflowError):
        workflow_engine.perform(application=in_progress, name="submit_materials", actor=organizer)


def test_waivable_length_finding_needs_a_reason_before_submission(in_progress, organizer):
    app = materials_complete(in_progress, organizer, chars=800)
    with travel(AFTER_EVENT):  # within 3.5's two weeks: the length is the only waivable finding
        with pytest.raises(WorkflowError, match="须填写豁免理由"):
            services.submit_materials(application=app, actor=organizer)
        key = findings(app)["report_length"].key
        services.set_justifications(application=app, actor=organizer, justifications={key: "本次竞赛规模较小，报告已涵盖全部要素。"})
        services.submit_materials(application=app, actor=organizer)
    app.refresh_from_db()
    assert app.status == State.MATERIALS_SUBMITTED
    assert app.audit_materials.submitted_findings[0]["justification"].startswith("本次竞赛")


def test_submitted_materials_findings_are_stored_like_every_other_finding(in_progress, organizer):
    app = materials_complete(in_progress, organizer, chars=800)
    with travel(AFTER_EVENT):  # within 3.5's two weeks: the length is the only finding
        finding = findings(app)["report_length"]
        services.set_justifications(
            application=app, actor=organizer, justifications={finding.key: "本次竞赛规模较小，报告已涵盖全部要素。"}
        )
        services.submit_materials(application=app, actor=organizer)
    app.refresh_from_db()
    stored = app.audit_materials.submitted_findings[0]
    assert stored == finding_dict(finding, "本次竞赛规模较小，报告已涵盖全部要素。")
    assert "subject" in stored


def test_complete_materials_submit_and_lock(complete, organizer):
    with travel(AFTER_EVENT):
        services.submit_materials(application=complete, actor=organizer)
    complete.refresh_from_db()
    assert complete.status == State.MATERIALS_SUBMITTED
    assert complete.status_changes.order_by("id").last().transition == "submit_materials"
    with pytest.raises(ValidationError):
        services.add_photos(application=complete, actor=organizer, uploads=[photo_upload()])


def test_only_the_organizer_submits(complete, reviewer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.submit_materials(application=complete, actor=reviewer)


def test_department_records_a_supervision_visit_with_photos(in_progress, reviewer):
    visit = services.record_supervision_visit(
        application=in_progress,
        actor=reviewer,
        visited_on=in_progress.start_date,
        staff="陈静",
        observations="决赛现场秩序良好，横幅醒目。",
        photos=[photo_upload("督导.jpg")],
    )
    assert visit.photos.count() == 1


def test_organizer_cannot_record_a_supervision_visit(in_progress, organizer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.record_supervision_visit(application=in_progress, actor=organizer, visited_on=in_progress.start_date,
                                          staff="王芳", observations="自查")


def test_empty_sections_are_filled_once_the_roster_arrives(in_progress, organizer):
    from tests.rosters.stages import make_roster_rows, upload_roster

    assert services.materials_for(application=in_progress).section("participants") == ""
    upload_roster(in_progress, organizer, make_roster_rows(in_progress, 30))
    assert "共有 30 名职工" in services.materials_for(application=in_progress).section("participants")


def test_organizers_own_text_is_kept_when_the_roster_changes(in_progress, organizer):
    from tests.rosters.stages import make_roster_rows, upload_roster

    services.save_report(application=in_progress, actor=organizer, sections={"participants": "共 30 人参赛（自填）"})
    upload_roster(in_progress, organizer, make_roster_rows(in_progress, 30))
    assert services.materials_for(application=in_progress).section("participants") == "共 30 人参赛（自填）"


def test_uploaded_document_is_downloaded_never_shown_as_a_page(client, in_progress, organizer):
    services.add_event_document(application=in_progress, actor=organizer, kind="other", title="说明",
                                upload=SimpleUploadedFile("说明.txt", "纯文本".encode()))
    document = EventDocument.objects.get()
    client.force_login(organizer)
    response = client.get(reverse("performance:document_file", args=[in_progress.pk, document.pk]))
    assert response["Content-Disposition"].startswith("attachment")
