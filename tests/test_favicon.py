"""Every page used to ask for /favicon.ico and get a 404: the icon ships in static/ and is linked."""

import io

import pytest
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_served_as_a_real_icon(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    icon = Image.open(io.BytesIO(body))
    assert icon.format == "ICO"
    assert (16, 16) in icon.info["sizes"] and (32, 32) in icon.info["sizes"]


def test_pages_link_the_icon(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'rel="icon" href="/static/favicon.ico"' in page
