"""4.2b: the video's length is read from the file itself (ffprobe), never typed in."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from performance import services
from performance.evaluation import materials_state
from haidian_contest.inspection import inspect_video
from performance.models import AuditMaterials

from .media import clip_path, clip_upload, truncated_clip_path

pytestmark = pytest.mark.django_db


def video_codes(app):
    return {f.code for f in materials_state(app).findings if f.clause == "4.2b"}


def test_ffprobe_reads_the_duration_of_a_generated_clip():
    assert inspect_video(str(clip_path(2))).seconds == pytest.approx(2.0, abs=0.2)


def test_short_clip_is_stored_with_its_real_length_and_flagged(in_progress, organizer):
    materials = services.upload_video(application=in_progress, actor=organizer, upload=clip_upload(2, "剪辑.mp4"))
    assert materials.video_seconds == pytest.approx(2.0, abs=0.2)
    assert video_codes(in_progress) == {"video_too_short"}


def test_clip_of_21_minutes_meets_the_minimum(in_progress, organizer):
    services.upload_video(application=in_progress, actor=organizer, upload=clip_upload(1260))
    assert video_codes(in_progress) == set()


def test_missing_video_is_a_hard_finding(in_progress):
    state = materials_state(in_progress)
    video = [f for f in state.findings if f.clause == "4.2b"]
    assert [f.code for f in video] == ["video_missing"] and not video[0].waivable


def test_text_file_renamed_mp4_is_refused(in_progress, organizer, settings):
    fake = SimpleUploadedFile("决赛.mp4", "不是视频".encode(), content_type="video/mp4")
    with pytest.raises(ValidationError, match="无法从文件中读取视频时长"):
        services.upload_video(application=in_progress, actor=organizer, upload=fake)
    assert not AuditMaterials.objects.filter(application=in_progress).exclude(video_file="").exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.mp4"))  # the refused upload left no file behind


def test_video_in_the_archive_is_read_from_there(in_progress, organizer, settings, tmp_path):
    archive = tmp_path / "archive"
    (archive / "2026").mkdir(parents=True)
    (archive / "2026" / "决赛.mp4").write_bytes(clip_path(1260).read_bytes())
    settings.VIDEO_ARCHIVE_ROOT = str(archive)
    materials = services.set_video_location(application=in_progress, actor=organizer, location="2026/决赛.mp4")
    assert materials.video_seconds == pytest.approx(1260, abs=1)
    assert video_codes(in_progress) == set()


def test_archive_path_may_not_leave_the_archive(in_progress, organizer, settings, tmp_path):
    settings.VIDEO_ARCHIVE_ROOT = str(tmp_path / "archive")
    (tmp_path / "archive").mkdir()
    with pytest.raises(ValidationError):
        services.set_video_location(application=in_progress, actor=organizer, location="../../etc/passwd")


def test_truncated_video_is_refused_though_its_header_claims_20_minutes(in_progress, organizer, settings):
    path = truncated_clip_path(1200)
    upload = SimpleUploadedFile("决赛.mp4", path.read_bytes(), content_type="video/mp4")
    with pytest.raises(ValidationError, match="视频文件不完整：文件头标称时长 20 分 0 秒，但只能解码到 9 分"):
        services.upload_video(application=in_progress, actor=organizer, upload=upload)
    assert not AuditMaterials.objects.filter(application=in_progress).exclude(video_file="").exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.mp4"))


def test_truncated_video_in_the_archive_is_refused(in_progress, organizer, settings, tmp_path):
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "决赛.mp4").write_bytes(truncated_clip_path(1200).read_bytes())
    settings.VIDEO_ARCHIVE_ROOT = str(tmp_path / "archive")
    with pytest.raises(ValidationError, match="视频文件不完整"):
        services.set_video_location(application=in_progress, actor=organizer, location="决赛.mp4")


def test_complete_video_of_exactly_20_minutes_is_decoded_to_its_end():
    facts = inspect_video(str(clip_path(1200)))
    assert facts.seconds == pytest.approx(1200, abs=1) and facts.claimed_seconds == pytest.approx(1200, abs=1)
