"""object_url: the per-row URL of list pages, equal to reverse() for every name it serves."""

import pytest
from django.urls import reverse, set_script_prefix

from haidian_contest.fast_urls import object_url


@pytest.mark.parametrize("name", ["applications:detail", "review:detail", "funding:project"])
@pytest.mark.parametrize("pk", [1, 42, 987654321])
def test_object_url_equals_reverse(name, pk):
    assert object_url(name, pk) == reverse(name, args=[pk])


def test_object_url_follows_the_script_prefix():
    try:
        set_script_prefix("/contest/")
        assert object_url("applications:detail", 7) == reverse("applications:detail", args=[7]) == "/contest/applications/7/"
    finally:
        set_script_prefix("/")


def test_object_url_refuses_a_key_that_is_not_a_number():
    with pytest.raises(ValueError):
        object_url("applications:detail", "7/../../admin")
