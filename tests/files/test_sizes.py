"""One size formatter everywhere, precise enough at the limits (which are whole megabytes)."""

import pytest
from django.template import Context, Template

from haidian_contest.inspection import format_size

MIB = 1024 * 1024


@pytest.mark.parametrize(("size", "text"), [
    (10 * MIB, "10 MB"),
    (10 * MIB + 1, "10.0 MB（10,485,761 字节）"),
    (10 * MIB - 1, "10.0 MB（10,485,759 字节）"),
    (int(3.5 * MIB), "3.5 MB"),
    (2048, "2 KB"),
    (1536, "1.5 KB"),
    (999, "999 字节"),
    (0, "0 字节"),
])
def test_sizes_are_written_precisely_where_they_round_to_a_whole_unit(size, text):
    assert format_size(size) == text


def test_exactly_the_limit_and_one_byte_more_never_look_the_same():
    assert format_size(10 * MIB) != format_size(10 * MIB + 1)
    assert format_size(20 * MIB) != format_size(20 * MIB + 1)


def test_templates_use_the_same_formatter():
    rendered = Template("{% load file_sizes %}{{ a|filesize }} / {{ b|filesize }}").render(
        Context({"a": 10 * MIB, "b": 10 * MIB + 1}))
    assert rendered == "10 MB / 10.0 MB（10,485,761 字节）"
