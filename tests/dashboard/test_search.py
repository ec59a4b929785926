"""The search box: projects, organizations, people by name or full resident ID number (masked, logged)."""

from django.urls import reverse

from accounts.models import SecurityEvent
from dashboard.search import search
from haidian_contest import rules
from tests.rosters.stages import wrong_check_digit

SEARCH = reverse("dashboard:search")


def titles(results):
    return {a.title for a in results.projects}


def test_staff_find_projects_by_title_organization_and_trade(year, reviewer):
    assert titles(search(actor=reviewer, query="智能制造")) == {year.a.title}
    assert titles(search(actor=reviewer, query="电子信息行业协会")) == {year.b.title}
    assert titles(search(actor=reviewer, query="区块链")) == {year.b.title}
    assert {a.pk for a in search(actor=reviewer, query="养老护理员").projects} == {year.c.pk, year.d.pk}


def test_staff_find_organizations_by_name_or_credit_code(year, reviewer):
    org = year.b.lead_organization
    assert [o.pk for o in search(actor=reviewer, query="电子信息").organizations] == [org.pk]
    assert [o.pk for o in search(actor=reviewer, query=org.credit_code).organizations] == [org.pk]
    assert [o.pk for o in search(actor=reviewer, query=org.credit_code[:17].lower()).organizations] == [org.pk]
    assert titles(search(actor=reviewer, query=org.credit_code)) == {year.b.title}


def test_staff_find_people_by_name(year, reviewer):
    person = year.roster[5]
    found = search(actor=reviewer, query=person["name"]).people
    assert person["name"] in {p.name for p in found}
    assert found[0].name == person["name"]  # exact matches first


def test_a_person_is_found_by_full_id_number_which_never_reaches_the_page(client, year, reviewer):
    person = year.roster[7]
    client.force_login(reviewer)
    html = client.post(SEARCH, {"q": person["id_number"]}).content.decode()
    assert 'data-testid="person-result"' in html
    assert person["name"] in html
    assert rules.mask_id_number(person["id_number"]) in html
    assert person["id_number"] not in html
    assert person["id_number"][6:14] not in html  # not even the birth date part
    event = SecurityEvent.objects.get(kind="full_id_view", user=reviewer)
    assert event.detail == "按身份证号检索"
    assert person["id_number"] not in event.detail + event.path


def test_an_id_number_typed_in_full_width_finds_the_person(client, year, reviewer):
    person = year.roster[7]
    typed = person["id_number"].translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    client.force_login(reviewer)
    html = client.post(SEARCH, {"q": typed}).content.decode()
    assert 'data-testid="person-result"' in html and person["name"] in html
    assert typed not in html and person["id_number"] not in html


def test_an_htmx_search_by_id_number_returns_only_the_masked_results(client, year, reviewer):
    person = year.roster[9]
    client.force_login(reviewer)
    html = client.post(SEARCH, {"q": person["id_number"].lower()}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and 'data-by-id' in html
    assert person["id_number"] not in html
    assert rules.mask_id_number(person["id_number"]) in html


def test_an_id_number_with_a_wrong_check_digit_is_refused_and_not_looked_up(client, year, reviewer):
    client.force_login(reviewer)
    wrong = wrong_check_digit(year.roster[3]["id_number"])
    html = client.post(SEARCH, {"q": wrong}).content.decode()
    assert "校验位不正确" in html and wrong not in html
    assert not SecurityEvent.objects.filter(kind="full_id_view").exists()


def test_an_organizer_searches_only_the_own_units_projects(year, organizer, other_organizer):
    assert titles(search(actor=other_organizer, query="2026")) == {year.b.title}
    assert titles(search(actor=other_organizer, query="智能制造")) == set()
    assert titles(search(actor=organizer, query="智能制造")) == {year.a.title}
    assert search(actor=other_organizer, query="电子信息").organizations == []


def test_an_organizer_cannot_find_people_outside_the_own_rosters(client, year, organizer, other_organizer):
    person = year.roster[11]
    assert search(actor=other_organizer, query=person["id_number"]).people == []
    assert search(actor=other_organizer, query=person["name"]).people == []
    assert [p.name for p in search(actor=organizer, query=person["id_number"]).people] == [person["name"]]
    client.force_login(other_organizer)
    html = client.post(SEARCH, {"q": person["id_number"]}).content.decode()
    assert 'data-testid="person-result"' not in html and person["id_number"] not in html


def test_the_search_page_opens_for_every_role_and_posts_its_form(client, users_by_role):
    for user in users_by_role.values():
        client.force_login(user)
        html = client.get(SEARCH).content.decode()
        assert 'method="post"' in html and 'data-testid="search-input"' in html
