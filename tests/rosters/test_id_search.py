"""Issue 25 §5: a search by full ID number never puts the number in a URL (access logs, history, Referer).
The forms post; the answer is a redirect to an address holding an opaque token, which pages and reloads."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from rosters import id_search
from rosters.models import Participant
from tests.rosters.stages import make_roster_rows, upload_roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(project, organizer):
    rows = make_roster_rows(project, 60)
    upload_roster(project, organizer, rows)
    return rows


def urls_in(html: str) -> list[str]:
    return re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', html)


def test_the_participant_search_posts_and_lands_on_an_address_without_the_number(client, project, roster, organizer):
    client.force_login(organizer)
    number = roster[5]["id_number"]
    url = reverse("rosters:participants", args=[project.pk])
    response = client.post(url, {"q": number})
    assert response.status_code == 303 and number not in response["Location"] and "?id=" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert page.count('data-testid="participant"') == 1 and roster[5]["name"] in page
    assert not [u for u in urls_in(page) if number in u]
    # A reload repeats the GET: the same answer, nothing resubmitted.
    again = client.get(response["Location"]).content.decode()
    assert again.count('data-testid="participant"') == 1 and roster[5]["name"] in again


def test_the_participant_form_is_posted(client, project, roster, organizer):
    client.force_login(organizer)
    page = client.get(reverse("rosters:participants", args=[project.pk])).content.decode()
    form = re.search(r'<form[^>]*data-testid="participant-search"[^>]*>', page).group(0)
    assert 'method="post"' in form


def test_a_number_typed_into_the_address_is_sent_on_sealed(client, project, roster, organizer):
    client.force_login(organizer)
    number = roster[5]["id_number"]
    response = client.get(reverse("rosters:participants", args=[project.pk]), {"q": number})
    assert response.status_code == 302 and number not in response["Location"]
    assert roster[5]["name"] in client.get(response["Location"]).content.decode()


def test_the_sealed_search_pages_with_the_other_filters(client, project, roster, organizer, monkeypatch):
    """The token and the trade filter survive the pagination links, token unchanged."""
    import rosters.views

    monkeypatch.setattr(rosters.views, "PAGE_SIZE", 5)
    client.force_login(organizer)
    trade = Participant.objects.filter(application=project, is_current=True).values_list("trade_id", flat=True).first()
    token = id_search.seal(roster[0]["employer"])  # any search may be sealed; this one matches many rows
    page = client.get(reverse("rosters:participants", args=[project.pk]), {"id": token, "trade": trade}).content.decode()
    links = [u.replace("&amp;", "&") for u in urls_in(page) if "page=" in u]
    assert links and all(f"trade={trade}" in u and urlencode({"id": token}) in u for u in links)


def test_a_tampered_token_finds_nobody_and_says_so(client, project, roster, organizer):
    client.force_login(organizer)
    token = id_search.seal(roster[5]["id_number"])
    page = client.get(reverse("rosters:participants", args=[project.pk]), {"id": token[:-4] + "AAAA"}).content.decode()
    assert 'data-testid="participant"' not in page and "检索链接已失效" in page


def test_a_stored_ciphertext_is_not_a_search_token(project, roster):
    participant = Participant.objects.filter(application=project).first()
    assert id_search.unseal(participant.personal_encrypted) is None


def test_the_first_prize_register_sends_a_typed_number_on_sealed(client, reviewer):
    client.force_login(reviewer)
    number = "110108199001011234"
    response = client.get(reverse("rosters:first_prize_register"), {"q": number})
    assert response.status_code == 302 and number not in response["Location"]
    posted = client.post(reverse("rosters:first_prize_register"), {"search": "1", "q": number})
    assert posted.status_code == 303 and number not in posted["Location"]


def test_the_dashboard_search_sends_a_typed_number_on_sealed(client, project, roster, reviewer):
    client.force_login(reviewer)
    number = roster[7]["id_number"]
    response = client.get(reverse("dashboard:search"), {"q": number})
    assert response.status_code == 302 and number not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert roster[7]["name"] in page and number not in page
