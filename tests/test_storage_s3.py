"""MEDIA_STORAGE=s3: uploads in an S3-compatible bucket (moto in-process), with the folder's rules kept —
files with ID numbers encrypted before they reach the bucket, nothing public, every download through a
permission-checked view, no object left behind by a rolled-back upload."""

import gc
import subprocess
import zipfile
from io import BytesIO

import boto3
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from moto import mock_aws

from haidian_contest import crypto
from haidian_contest.private_files import encrypted_storage
from performance import services as performance_services
from performance.models import AuditPhoto
from performance.tasks import make_photo_thumbnail
from rosters import services as roster_services
from rosters.models import RosterVersion
from tests.performance.media import clip_upload, photo_upload
from tests.performance.stages import in_progress
from tests.rosters.stages import (
    make_roster_rows, make_winner_rows, upload_file, upload_roster, upload_winners, workbook_bytes,
    wrong_check_digit,
)

pytestmark = pytest.mark.django_db
BUCKET = "contest-media"
OPTIONS = {"bucket_name": BUCKET, "access_key": "test-key", "secret_key": "test-secret", "region_name": "us-east-1",
           "addressing_style": "path", "location": "media", "default_acl": None, "file_overwrite": False}


@pytest.fixture
def s3(settings):
    """The settings MEDIA_STORAGE=s3 produces (haidian_contest/settings.py), against a moto bucket."""
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test-key",
                              aws_secret_access_key="test-secret")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "haidian_contest.s3_storage.S3TransactionalStorage", "OPTIONS": OPTIONS},
            "encrypted": {"BACKEND": "haidian_contest.s3_storage.S3EncryptedStorage", "OPTIONS": OPTIONS},
        }
        yield client
        # The test's transaction is rolled back after this fixture ends: its pending deletions
        # (private_files._Pending) run now, against the bucket they were written to.
        connection.run_on_commit.clear()
        gc.collect()


@pytest.fixture
def project(organizer, reviewer, approver, finance):
    return in_progress(organizer, reviewer, approver, finance, "A")


def stored_bytes(client, name: str) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=f"media/{name}")["Body"].read()


def keys(client) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_roster_is_stored_in_the_bucket_encrypted(s3, project, organizer):
    rows = make_roster_rows(project, 6)
    version = upload_roster(project, organizer, rows)
    assert version.status == RosterVersion.Status.ACCEPTED
    raw = stored_bytes(s3, version.file.name)
    assert crypto.is_encrypted_file(raw) and not zipfile.is_zipfile(BytesIO(raw))
    assert rows[0]["id_number"].encode() not in raw
    assert zipfile.is_zipfile(BytesIO(crypto.keyring().decrypt_bytes(raw)))


def test_nothing_in_the_bucket_is_readable_by_anyone_but_its_owner(s3, project, organizer):
    version = upload_roster(project, organizer, make_roster_rows(project, 3))
    grants = s3.get_object_acl(Bucket=BUCKET, Key=f"media/{version.file.name}")["Grants"]
    assert [g["Grantee"]["Type"] for g in grants] == ["CanonicalUser"]
    url = version.file.url
    assert "X-Amz" not in url and "Signature" not in url and BUCKET not in url


@pytest.mark.parametrize("which", ["original", "errors"])
def test_a_roster_file_in_the_bucket_is_downloaded_decrypted_through_the_view(s3, client, project, organizer,
                                                                              reviewer, which):
    rows = make_roster_rows(project, 6)
    rows[2]["id_number"] = wrong_check_digit(rows[2]["id_number"])
    version = upload_roster(project, organizer, rows)
    assert version.status == RosterVersion.Status.FAILED
    assert crypto.is_encrypted_file(stored_bytes(s3, version.error_file.name))
    client.force_login(reviewer)
    response = client.get(f"/rosters/project/{project.pk}/versions/{version.pk}/file/{which}/")
    assert response.status_code == 200
    assert zipfile.is_zipfile(BytesIO(b"".join(response.streaming_content)))


def test_another_units_organizer_cannot_download_a_roster_from_the_bucket(s3, client, project, organizer,
                                                                         other_organizer):
    version = upload_roster(project, organizer, make_roster_rows(project, 3))
    client.force_login(other_organizer)
    response = client.get(f"/rosters/project/{project.pk}/versions/{version.pk}/file/original/")
    assert response.status_code in (403, 404)


def test_a_winners_list_is_imported_from_the_bucket_and_stored_encrypted(s3, project, organizer):
    roster = make_roster_rows(project, 30)
    upload_roster(project, organizer, roster)
    winners = make_winner_rows(roster, per_trade=(1, 1, 1))
    version = upload_winners(project, organizer, winners)
    assert version.status == RosterVersion.Status.ACCEPTED
    raw = stored_bytes(s3, version.file.name)
    assert crypto.is_encrypted_file(raw) and winners[0]["id_number"].encode() not in raw


def test_an_upload_rolled_back_leaves_no_object_in_the_bucket(s3, project, organizer):
    rows = make_roster_rows(project, 3)
    before = keys(s3)
    with pytest.raises(RuntimeError), transaction.atomic():
        roster_services.start_import(application=project, actor=organizer, uploaded_file=upload_file(workbook_bytes(rows)),
                                     kind=RosterVersion.Kind.ROSTER)
        assert any(key.startswith("media/rosters/") for key in keys(s3))  # written …
        raise RuntimeError("the service fails after saving")
    assert keys(s3) == before  # … and gone with the rollback


def test_photos_are_stored_in_the_bucket_thumbnailed_and_served_only_to_who_may_see_the_project(
        s3, client, project, organizer, other_organizer):
    stored, refused = performance_services.add_photos(application=project, actor=organizer,
                                                      uploads=[photo_upload(dpi=(300, 300))])
    assert refused == []
    assert make_photo_thumbnail(stored[0].pk) is True  # the task reads the original back from the bucket
    photo = AuditPhoto.objects.get(pk=stored[0].pk)
    assert photo.thumbnail
    assert {f"media/{photo.file.name}", f"media/{photo.thumbnail.name}"} <= set(keys(s3))
    client.force_login(organizer)
    response = client.get(f"/performance/{project.pk}/photos/{photo.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_bytes(s3, photo.file.name)
    client.force_login(other_organizer)
    assert client.get(f"/performance/{project.pk}/photos/{photo.pk}/").status_code == 404


def test_a_video_in_the_bucket_has_its_length_read_and_is_served_through_the_view(s3, client, project, organizer):
    materials = performance_services.upload_video(application=project, actor=organizer, upload=clip_upload(2, "剪辑.mp4"))
    assert materials.video_seconds == pytest.approx(2.0, abs=0.2)
    assert f"media/{materials.video_file.name}" in keys(s3)
    client.force_login(organizer)
    response = client.get(f"/performance/{project.pk}/video/file/")
    assert response.status_code == 200 and len(b"".join(response.streaming_content)) == materials.video_size


def test_rotating_keys_reencrypts_the_files_in_the_bucket(s3, settings, project, organizer):
    version = upload_roster(project, organizer, make_roster_rows(project, 3))
    before = stored_bytes(s3, version.file.name)
    settings.PII_ENCRYPTION_KEYS = [crypto.generate_key(), *settings.PII_ENCRYPTION_KEYS]
    call_command("rotate_pii_keys", "--encryption")
    after = stored_bytes(s3, version.file.name)
    assert after != before and crypto.keyring().file_is_current(after)
    with encrypted_storage().open(version.file.name) as handle:
        assert zipfile.is_zipfile(BytesIO(handle.read()))


def _storages_under(**env) -> subprocess.CompletedProcess:
    from tests.test_settings import run_python

    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'haidian_contest.settings'); "
            "django.setup(); from django.core.files.storage import storages; "
            "from haidian_contest.private_files import encrypted_storage; "
            "d, e = storages['default'], encrypted_storage(); "
            "print(d.__class__.__name__, e.__class__.__name__, *([d.bucket_name, d.endpoint_url, d.addressing_style, "
            "d.default_acl, d.location, d.file_overwrite] if hasattr(d, 'bucket_name') else []))")
    try:
        return run_python(code, DEBUG="true", **env)
    except subprocess.CalledProcessError as exc:
        return exc


def test_media_storage_s3_builds_private_bucket_storages_from_the_environment():
    out = _storages_under(MEDIA_STORAGE="s3", S3_BUCKET="contest-media", S3_ENDPOINT_URL="http://minio.local:9000",
                          S3_ADDRESSING_STYLE="path", S3_PREFIX="haidian", S3_ACCESS_KEY_ID="k",
                          S3_SECRET_ACCESS_KEY="s", S3_REGION="cn-north-1").stdout.split()
    assert out == ["S3TransactionalStorage", "S3EncryptedStorage", "contest-media", "http://minio.local:9000", "path",
                   "None", "haidian", "False"]


def test_media_storage_defaults_to_the_local_folder_and_refuses_an_unknown_backend():
    assert _storages_under().stdout.split()[:2] == ["TransactionalStorage", "EncryptedStorage"]
    refused = _storages_under(MEDIA_STORAGE="ftp")
    assert refused.returncode != 0 and "MEDIA_STORAGE must be local or s3" in refused.stderr
