"""ID and phone numbers: matched by keyed hash, shown masked, full numbers only to the roles that need
them, and every full view logged."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from rosters.identity import hasher, id_hash
from rosters.models import FullIdView, Participant
from tests.rosters.stages import make_roster_rows, make_winner_rows, upload_roster, upload_winners

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(project, organizer):
    rows = make_roster_rows(project, 30)
    upload_roster(project, organizer, rows)
    return rows


def test_id_hash_is_keyed(settings, roster):
    number = roster[0]["id_number"]
    before = id_hash(number)
    assert before == hasher()(number)
    import hashlib

    assert before != hashlib.sha256(number.encode()).hexdigest()
    settings.ID_HASH_KEY = "another-key"
    assert id_hash(number) != before


@pytest.mark.parametrize("who", ["organizer", "reviewer", "auditor"])
def test_participant_pages_show_masked_numbers_only(client, project, roster, who, request):
    client.force_login(request.getfixturevalue(who))
    page = client.get(f"/rosters/project/{project.pk}/participants/").content.decode()
    assert roster[0]["id_number"][:6] + "********" + roster[0]["id_number"][-4:] in page
    assert roster[0]["phone"][:3] + "****" + roster[0]["phone"][-4:] in page
    for row in roster:
        assert row["id_number"] not in page
        assert row["phone"] not in page


def test_search_by_full_id_number_finds_the_person(client, project, roster, organizer):
    client.force_login(organizer)
    url = f"/rosters/project/{project.pk}/participants/"
    response = client.post(url, {"q": roster[5]["id_number"]}, follow=True)
    page = response.content.decode()
    assert page.count('data-testid="participant"') == 1 and roster[5]["name"] in page
    assert [hop for hop, _ in response.redirect_chain if roster[5]["id_number"] in hop] == []


def test_reviewer_may_reveal_a_full_number_and_it_is_logged(client, project, roster, reviewer):
    participant = Participant.objects.get(application=project, is_current=True, row_number=2)
    client.force_login(reviewer)
    response = client.post(f"/rosters/project/{project.pk}/participants/{participant.pk}/full-id/")
    assert roster[0]["id_number"] in response.content.decode()
    log = FullIdView.objects.get()
    assert (log.user, log.participant) == (reviewer, participant)


@pytest.mark.parametrize("who", ["organizer", "approver", "finance", "auditor"])
def test_other_roles_cannot_reveal_full_numbers(client, project, roster, who, request):
    participant = Participant.objects.filter(application=project).first()
    client.force_login(request.getfixturevalue(who))
    response = client.post(f"/rosters/project/{project.pk}/participants/{participant.pk}/full-id/")
    assert response.status_code == 403
    assert not FullIdView.objects.exists()


def test_export_is_masked(client, project, roster, organizer):
    client.force_login(organizer)
    ws = load_workbook(BytesIO(client.get(f"/rosters/project/{project.pk}/export/roster/").content)).worksheets[0]
    ids = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert len(ids) == 30 and all("********" in i for i in ids)


def test_organizer_asking_for_a_full_export_gets_it_refused(client, project, roster, organizer):
    client.force_login(organizer)
    response = client.get(f"/rosters/project/{project.pk}/export/roster/", {"full": "1"})
    assert response.status_code == 302
    assert not FullIdView.objects.exists()


def test_reviewers_full_export_is_logged(client, project, roster, reviewer):
    client.force_login(reviewer)
    ws = load_workbook(BytesIO(client.get(f"/rosters/project/{project.pk}/export/roster/", {"full": "1"}).content)).worksheets[0]
    assert roster[0]["id_number"] in [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert "含完整身份证号" in FullIdView.objects.get().detail


def test_winners_page_and_export_are_masked(client, project, roster, organizer, reviewer):
    upload_winners(project, organizer, make_winner_rows(roster, per_trade=(1, 1, 1)))
    client.force_login(reviewer)
    page = client.get(f"/rosters/project/{project.pk}/winners/").content.decode()
    assert page.count('data-testid="winner"') == 9
    assert not any(r["id_number"] in page for r in roster)


def test_another_units_organizer_gets_404(client, project, roster, other_organizer):
    client.force_login(other_organizer)
    for url in ("", "participants/", "winners/", "export/roster/", "template/roster/"):
        assert client.get(f"/rosters/project/{project.pk}/{url}").status_code == 404


def test_participant_list_query_count_does_not_grow(client, project, organizer, django_assert_max_num_queries):
    client.force_login(organizer)
    upload_roster(project, organizer, make_roster_rows(project, 5))
    with django_assert_max_num_queries(20) as small:
        client.get(f"/rosters/project/{project.pk}/participants/")
    upload_roster(project, organizer, make_roster_rows(project, 120))
    with django_assert_max_num_queries(len(small)):
        client.get(f"/rosters/project/{project.pk}/participants/")
