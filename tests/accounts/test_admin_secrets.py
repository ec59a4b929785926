"""Issue 25 §1: no admin list, filter, search or ordering can test a secret, in any registered ModelAdmin.

Django's changelist took any lookup on a model's own fields from the query string: `?key__startswith=c8`
listed a TOTP device only when its key started so. Each secret column of each registered model (and each
one a relation away) is tried here as an attacker would, through the changelist URL as a superuser."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.core import checks
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin_site import check_admin_secrets
from accounts.models import SecurityEvent, User
from accounts.secret_fields import secret_columns, unclassified_fields
from tests.test_access_matrix import verify_second_factor

pytestmark = pytest.mark.django_db

LOOKUPS = ("startswith", "regex", "gt", "exact")


def _changelist(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def _secret_paths(model) -> list[str]:
    """The model's own secret columns, and those of every model one relation away."""
    paths = secret_columns(model)
    for field in model._meta.get_fields():
        if field.is_relation and field.related_model is not None:
            paths += [f"{field.name}__{name}" for name in secret_columns(field.related_model)]
    return paths


REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)
SECRET_PATHS = [pytest.param(model, path, id=f"{model._meta.label}:{path}")
                for model in REGISTERED for path in _secret_paths(model)]


@pytest.fixture
def two_devices(admin_user, finance, organizer):
    """Two devices whose keys differ from their first character, so any test on a key splits them."""
    TOTPDevice.objects.create(user=admin_user, name="身份验证器", confirmed=True, key="c8" + "1" * 38)
    TOTPDevice.objects.create(user=finance, name="身份验证器", confirmed=True, key="3f" + "2" * 38)
    return admin_user


@pytest.fixture
def admin_client(client, two_devices):
    client.force_login(two_devices)
    verify_second_factor(client, two_devices)
    return client


def _shown(response) -> int | None:
    """How many rows the changelist lists, or None when the request was refused."""
    if response.status_code == 400 or (response.status_code == 302 and response["Location"].endswith("?e=1")):
        return None
    assert response.status_code == 200, response.status_code
    return response.context["cl"].result_count


def _guesses(model, path) -> dict[str, str]:
    """What an attacker sends for each lookup, from a real row's value where there is one."""
    value = (model._default_manager.exclude(**{f"{path}__isnull": True}).values_list(path, flat=True).first())
    value = str(value) if value not in (None, "") else "x"
    return {"startswith": value[:2], "regex": "^" + re.escape(value[:2]), "gt": value, "exact": value}


def _refusals() -> int:
    return SecurityEvent.objects.filter(kind="permission_denied", outcome="failure").count()


def test_the_secret_columns_are_found_for_the_models_that_have_them():
    assert "key" in secret_columns(TOTPDevice) and "password" in secret_columns(User)
    assert {"otp_totp.TOTPDevice:key", "accounts.User:password", "accounts.User:totpdevice__key"} <= {
        p.id for p in SECRET_PATHS}


def test_every_column_that_looks_like_a_secret_is_classified():
    assert unclassified_fields() == []


@pytest.mark.parametrize(("model", "path"), SECRET_PATHS)
def test_no_lookup_in_the_query_string_tests_a_secret(admin_client, model, path):
    url = _changelist(model)
    everything = _shown(admin_client.get(url))
    assert everything is not None
    for lookup, guess in _guesses(model, path).items():
        before = _refusals()
        response = admin_client.get(url, {f"{path}__{lookup}": guess})
        assert _shown(response) in (None, everything), f"{path}__{lookup} filtered the list"
        assert _refusals() == before + 1, f"{path}__{lookup} was not recorded"
        assert f"{path}__{lookup}" in SecurityEvent.objects.latest("id").detail


def test_a_refused_lookup_says_why_in_chinese_and_names_no_value(admin_client):
    device = TOTPDevice.objects.get(key__startswith="3f")
    response = admin_client.get(_changelist(TOTPDevice), {"key__startswith": device.key[:2]})
    assert response.status_code == 400 and "只能按页面右侧提供的筛选条件筛选" in response.content.decode()
    event = SecurityEvent.objects.latest("id")
    assert "key__startswith" in event.detail and device.key[:2] not in event.detail


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_ordering_only_by_a_displayed_sortable_column(admin_client, model):
    url = _changelist(model)
    columns = admin_client.get(url).context["cl"].list_display
    tries = [str(len(columns)), "-99", *secret_columns(model), "0.x"]
    for order in tries:
        before = _refusals()
        response = admin_client.get(url, {"o": order})
        assert response.status_code == 400, f"o={order}"
        assert _refusals() == before + 1, f"o={order} was not recorded"


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_link_the_list_offers_still_works(admin_client, model):
    """Sorting by each sortable column, each filter choice and the date drill-down are what the admin
    declares: none of them is refused."""
    url = _changelist(model)
    cl = admin_client.get(url).context["cl"]
    links = [f"?o={i}" for i, name in enumerate(cl.list_display)
             if cl.get_ordering_field(name) and (cl.sortable_by is None or name in cl.sortable_by)]
    for spec in cl.filter_specs:
        links += [choice["query_string"] for choice in spec.choices(cl)]
    links += ["?q=a", "?_facets=True", "?all="]
    if cl.date_hierarchy:
        links.append(f"?{cl.date_hierarchy}__year=2026&{cl.date_hierarchy}__month=1&{cl.date_hierarchy}__day=2")
    for link in links:
        response = admin_client.get(url + link)
        assert response.status_code == 200, link


def test_a_declared_filter_still_filters(admin_client, organizer):
    TOTPDevice.objects.create(user=organizer, name="身份验证器", confirmed=False)
    response = admin_client.get(_changelist(TOTPDevice), {"confirmed__exact": "0"})
    assert response.context["cl"].result_count == 1
    assert _refusals() == 0


def test_no_registered_admin_shows_searches_filters_or_orders_by_a_secret():
    assert check_admin_secrets() == []


def test_the_check_fails_when_an_admin_searches_a_secret(monkeypatch):
    monkeypatch.setattr(admin.site._registry[TOTPDevice], "search_fields", ("user__username", "key"))
    errors = check_admin_secrets()
    assert [e.id for e in errors] == ["accounts.E101"] and "search_fields" in errors[0].msg


def test_the_check_fails_when_an_admin_lists_a_hash_across_a_relation(monkeypatch):
    monkeypatch.setattr(admin.site._registry[TOTPDevice], "list_display", ("user", "user__password"))
    errors = check_admin_secrets()
    assert {e.id for e in errors} == {"accounts.E101"}
    assert any("list_display 含密钥字段 user__password" in e.msg for e in errors), [e.msg for e in errors]


def test_the_check_fails_for_an_admin_that_escaped_the_guard():
    bare = AdminSite(name="bare")
    bare._registry[TOTPDevice] = admin.ModelAdmin(TOTPDevice, bare)
    errors = [e for e in check_admin_secrets() if e.id == "accounts.E102"]
    assert len(errors) == 1 and "otp_totp.TOTPDevice" in errors[0].msg


def test_the_check_runs_with_the_admin_checks():
    assert check_admin_secrets in checks.registry.registry.get_checks(include_deployment_checks=False)
