"""The pages an organizer and the department use: upload, progress, result, panel."""

import pytest

from rosters.models import RosterVersion
from tests.rosters.stages import make_roster_rows, upload_file, upload_roster, workbook_bytes, wrong_check_digit

pytestmark = pytest.mark.django_db
Status = RosterVersion.Status


def test_organizer_uploads_sees_errors_downloads_annotated_file(client, project, organizer,
                                                                 django_capture_on_commit_callbacks):
    rows = make_roster_rows(project, 40)
    rows[2]["id_number"] = wrong_check_digit(rows[2]["id_number"])
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/rosters/project/{project.pk}/upload/roster/", {"file": upload_file(workbook_bytes(rows))})
    version = RosterVersion.objects.get(application=project)
    assert response["Location"] == f"/rosters/project/{project.pk}/versions/{version.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "整表未导入" in page and "第 4 行" in page and "身份证号校验位错误" in page
    assert 'hx-trigger="every 1s"' not in page  # done: no more polling
    download = client.get(f"/rosters/project/{project.pk}/versions/{version.pk}/file/errors/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]


def test_status_partial_polls_until_done_then_refreshes_the_page(client, project, organizer):
    from rosters import services

    version = services.start_import(
        application=project,
        actor=organizer,
        uploaded_file=upload_file(workbook_bytes(make_roster_rows(project, 5))),
        kind="roster",
    )
    client.force_login(organizer)
    url = f"/rosters/project/{project.pk}/versions/{version.pk}/status/"
    pending = client.get(url, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in pending.content.decode() and "HX-Refresh" not in pending
    from rosters import pipeline

    pipeline.process(version.pk)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_empty_upload_is_a_message_not_an_error_page(client, project, organizer):
    client.force_login(organizer)
    response = client.post(f"/rosters/project/{project.pk}/upload/roster/", {}, follow=True)
    assert "请选择要上传的表格文件" in response.content.decode()


def test_upload_before_approval_is_a_message(client, organizer):
    from tests.lifecycle import submitted_application

    app = submitted_application(organizer, "A")
    client.force_login(organizer)
    response = client.post(f"/rosters/project/{app.pk}/upload/roster/", {"file": upload_file(workbook_bytes([]))},
                           follow=True)
    assert "不能上传参赛选手名单" in response.content.decode()


def test_participant_count_below_the_minimum_is_a_waivable_finding_with_a_reason(client, project, organizer, reviewer):
    upload_roster(project, organizer, make_roster_rows(project, 300))
    client.force_login(organizer)
    page = client.get(f"/rosters/project/{project.pk}/").content.decode()
    assert page.count("可豁免") >= 3  # 300 people over three trades: each below 200
    client.post(f"/rosters/project/{project.pk}/counts/", {"trade": "4-04-05-05", "reason": "首届举办，报名人数有限"})
    client.force_login(reviewer)
    page = client.get(f"/rosters/project/{project.pk}/").content.decode()
    assert "首届举办，报名人数有限" in page and "一（七）" in page


def test_project_page_shows_the_roster_panel(client, project, organizer, reviewer):
    upload_roster(project, organizer, make_roster_rows(project, 30))
    for user in (organizer, reviewer):
        client.force_login(user)
        page = client.get(f"/applications/{project.pk}/?tab=rosters").content.decode()
        assert 'data-testid="rosters-panel"' in page
        assert 'data-testid="roster-count">30<' in page
