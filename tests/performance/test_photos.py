"""4.2a: each photo is opened with Pillow; its real format, dpi, colour and size decide, not its name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from performance import services
from performance.evaluation import materials_state
from performance.models import AuditPhoto
from performance.tasks import make_photo_thumbnail

from .media import MIB, jpeg_bytes, photo_upload, photo_uploads, png_bytes

pytestmark = pytest.mark.django_db


def codes(photo, app):
    state = materials_state(app)
    from performance.evaluation import photo_findings

    return {f.code for f in photo_findings(photo, state.ruleset)}


def upload_one(app, organizer, upload):
    stored, refused = services.add_photos(application=app, actor=organizer, uploads=[upload])
    return (stored[0] if stored else None), refused


def test_colour_jpeg_at_300_dpi_is_accepted_without_findings(in_progress, organizer):
    photo, refused = upload_one(in_progress, organizer, photo_upload(dpi=(300, 300)))
    assert refused == []
    assert (photo.image_format, photo.dpi, photo.colour) == ("JPEG", (300.0, 300.0), True)
    assert codes(photo, in_progress) == set()


def test_jpeg_at_299_dpi_is_stored_and_flagged_low_resolution(in_progress, organizer):
    photo, _ = upload_one(in_progress, organizer, photo_upload(dpi=(299, 299)))
    assert codes(photo, in_progress) == {"photo_dpi_low"}


def test_png_at_300_dpi_passes_despite_pixels_per_metre_rounding(in_progress, organizer):
    upload = SimpleUploadedFile("scan.png", png_bytes(dpi=(300, 300)), content_type="image/png")
    photo, _ = upload_one(in_progress, organizer, upload)
    assert photo.image_format == "PNG"
    assert codes(photo, in_progress) == set()


def test_greyscale_photo_is_flagged_not_colour(in_progress, organizer):
    photo, _ = upload_one(in_progress, organizer, photo_upload(mode="L"))
    assert photo.colour is False
    assert codes(photo, in_progress) == {"photo_not_colour"}


def test_grey_picture_saved_as_rgb_is_flagged_not_colour(in_progress, organizer):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (64, 64), (120, 120, 120)).save(buffer, "JPEG", dpi=(300, 300))
    photo, _ = upload_one(in_progress, organizer, SimpleUploadedFile("grey.jpg", buffer.getvalue()))
    assert photo.mode == "RGB" and photo.colour is False


def test_photo_of_exactly_10_mib_passes(in_progress, organizer):
    upload = SimpleUploadedFile("big.jpg", jpeg_bytes(pad_to=10 * MIB))
    photo, _ = upload_one(in_progress, organizer, upload)
    assert photo.size_bytes == 10 * MIB
    assert codes(photo, in_progress) == set()


def test_photo_of_10_mib_plus_one_byte_is_flagged_too_large(in_progress, organizer):
    upload = SimpleUploadedFile("big.jpg", jpeg_bytes(pad_to=10 * MIB + 1))
    photo, _ = upload_one(in_progress, organizer, upload)
    assert photo.size_bytes == 10 * MIB + 1
    assert codes(photo, in_progress) == {"photo_too_large"}


def test_text_file_renamed_jpg_is_refused_and_not_stored(in_progress, organizer):
    fake = SimpleUploadedFile("现场.jpg", "这不是图片，只是改了扩展名".encode(), content_type="image/jpeg")
    photo, refused = upload_one(in_progress, organizer, fake)
    assert photo is None
    assert refused[0][0] == "现场.jpg" and "不是可识别的图片" in refused[0][1]
    assert not AuditPhoto.objects.exists()


def test_photo_without_resolution_is_flagged_unreadable_dpi(in_progress, organizer):
    photo, _ = upload_one(in_progress, organizer, photo_upload(dpi=None))
    assert photo.dpi is None
    assert codes(photo, in_progress) == {"photo_dpi_unreadable"}


def test_set_of_49_photos_is_too_few_and_50_is_enough(in_progress, organizer):
    services.add_photos(application=in_progress, actor=organizer, uploads=photo_uploads(49))
    assert "photo_count" in {f.code for f in materials_state(in_progress).findings}
    services.add_photos(application=in_progress, actor=organizer, uploads=photo_uploads(1, start=50))
    assert "photo_count" not in {f.code for f in materials_state(in_progress).findings}


def test_set_finding_names_the_offending_photo_numbers(in_progress, organizer):
    services.add_photos(
        application=in_progress, actor=organizer, uploads=photo_uploads(2) + [photo_upload(dpi=(240, 240))]
    )
    low = next(f for f in materials_state(in_progress).findings if f.code == "photo_dpi_low")
    assert "第 3 张" in low.message and not low.waivable and low.clause_label == "四（二）"


def test_photos_beyond_the_maximum_are_refused(in_progress, organizer):
    stored, refused = services.add_photos(application=in_progress, actor=organizer, uploads=photo_uploads(101))
    assert (len(stored), len(refused)) == (100, 1)


def test_thumbnail_is_made_by_the_celery_task_after_commit(in_progress, organizer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        photo, _ = upload_one(in_progress, organizer, photo_upload())
    photo.refresh_from_db()
    assert not photo.thumbnail  # not made in the request
    assert callbacks
    assert make_photo_thumbnail(photo.pk) is True
    photo.refresh_from_db()
    assert photo.thumbnail


def test_upload_view_shows_results_per_file(client, in_progress, organizer):
    client.force_login(organizer)
    files = [photo_upload("good.jpg"), photo_upload("low.jpg", dpi=(150, 150)),
             SimpleUploadedFile("fake.jpg", b"plain text")]
    response = client.post(reverse("performance:upload_photos", args=[in_progress.pk]), {"photos": files}, follow=True)
    page = response.content.decode()
    assert 'data-testid="upload-results"' in page
    assert "fake.jpg" in page and "未接收" in page
    assert page.count('data-testid="photo-row"') == 2


def test_other_units_organizer_cannot_upload_photos(client, in_progress, other_organizer):
    client.force_login(other_organizer)
    response = client.post(reverse("performance:upload_photos", args=[in_progress.pk]), {"photos": [photo_upload()]})
    assert response.status_code == 404
    assert not AuditPhoto.objects.exists()


def test_photo_file_is_served_only_to_users_who_see_the_project(client, in_progress, organizer, other_organizer, auditor):
    photo, _ = upload_one(in_progress, organizer, photo_upload())
    url = reverse("performance:photo_file", args=[in_progress.pk, photo.pk])
    client.force_login(other_organizer)
    assert client.get(url).status_code == 404
    client.force_login(auditor)
    assert client.get(url).status_code == 200


def test_photo_is_served_with_its_real_image_type_whatever_its_name(client, in_progress, organizer):
    photo, _ = upload_one(in_progress, organizer, photo_upload("page.html"))
    client.force_login(organizer)
    response = client.get(reverse("performance:photo_file", args=[in_progress.pk, photo.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("size", [(800, 600), (4000, 3000)])
def test_jpeg_is_recorded_at_its_real_size_not_the_reduced_decode(in_progress, organizer, size):
    # The colour check decodes a JPEG at 1/2–1/8 scale; the size recorded is the file's own.
    photo, _ = upload_one(in_progress, organizer, SimpleUploadedFile("现场.jpg", jpeg_bytes(size=size)))
    assert (photo.width, photo.height) == size


def test_png_of_30000_pixels_square_is_refused_as_too_large_not_as_a_non_image(in_progress, organizer, tmp_path):
    from tests.files.bombs import png_header

    upload = SimpleUploadedFile("现场.png", png_header(tmp_path / "p.png").read_bytes(), content_type="image/png")
    photo, refused = upload_one(in_progress, organizer, upload)
    assert photo is None
    assert "图片像素过多：30000×30000" in refused[0][1] and "不是可识别的图片" not in refused[0][1]
    assert not AuditPhoto.objects.exists()


def test_photo_list_tells_10_mib_from_10_mib_and_one_byte(client, in_progress, organizer):
    services.add_photos(
        application=in_progress,
        actor=organizer,
        uploads=[
            SimpleUploadedFile("a.jpg", jpeg_bytes(pad_to=10 * MIB)),
            SimpleUploadedFile("b.jpg", jpeg_bytes(pad_to=10 * MIB + 1)),
        ],
    )
    client.force_login(organizer)
    page = client.get(reverse("performance:materials", args=[in_progress.pk])).content.decode()
    assert '<td class="text-nowrap">10 MB</td>' in page and "10.0 MB（10,485,761 字节）" in page
