"""Photos: the size in pixels is read from the header and checked before any pixel is decoded."""

import io

import pytest

from haidian_contest.inspection import FileRefused, inspect_image
from tests.performance.media import jpeg_bytes, png_bytes

from . import bombs


def test_an_image_too_large_in_pixels_says_so_with_its_size(tmp_path):
    with pytest.raises(FileRefused, match=r"图片像素过多：30000×30000（900 百万像素），超过 200 百万像素的上限"):
        inspect_image(io.BytesIO(bombs.png_header(tmp_path / "p.png").read_bytes()))


def test_formats_decoded_in_full_have_their_own_pixel_limit(settings):
    settings.UPLOAD_MAX_DECODED_IMAGE_PIXELS = 1000
    with pytest.raises(FileRefused, match="PNG 图片像素过多：40×30.*另存为 JPEG"):
        inspect_image(io.BytesIO(png_bytes()))
    # A JPEG is decoded at a fraction of its size for the colour check: the full-decode limit is not its.
    assert inspect_image(io.BytesIO(jpeg_bytes(size=(64, 48)))).width == 64


def test_a_jpeg_keeps_its_true_size_after_the_reduced_decode():
    facts = inspect_image(io.BytesIO(jpeg_bytes(size=(4000, 3000))))
    assert (facts.width, facts.height, facts.image_format) == (4000, 3000, "JPEG")


def test_a_text_file_is_still_not_an_image():
    with pytest.raises(FileRefused, match="不是可识别的图片"):
        inspect_image(io.BytesIO("只是文字".encode()))
