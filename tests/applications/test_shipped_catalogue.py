"""Issue 15: the occupation catalogue ships with the product; a fresh database has the whole list."""

import importlib

import pytest
from django.apps import apps

from applications.catalogue import load_shipped
from applications.models import Occupation

pytestmark = pytest.mark.django_db


def test_a_fresh_database_has_the_whole_2022_list_and_the_new_occupations():
    assert Occupation.objects.filter(source=Occupation.Source.CLASSIFICATION_2022).count() == 1636
    assert Occupation.objects.filter(source=Occupation.Source.NEW_OCCUPATION).count() == 35
    carer = Occupation.objects.get(code="4-14-01-03")
    assert (carer.name, carer.minor, carer.is_active) == ("健康照护师", "4-14-01 医疗辅助服务人员", True)


def test_the_data_migration_loads_the_catalogue_into_an_empty_table():
    Occupation.objects.all().delete()
    migration = importlib.import_module("applications.migrations.0006_occupation_catalogue")
    migration.load(apps, None)
    assert Occupation.objects.count() == 1636 + 35
    assert Occupation.objects.get(code="4-04-05-13").name == "生成式人工智能系统应用员"


def test_loading_the_shipped_catalogue_keeps_what_staff_changed():
    Occupation.objects.filter(code="4-14-01-03").update(name="健康照护师（改）", is_active=False)
    Occupation.objects.filter(code="4-10-01-05").delete()
    assert load_shipped() == 1
    carer = Occupation.objects.get(code="4-14-01-03")
    assert (carer.name, carer.is_active) == ("健康照护师（改）", False)
    assert Occupation.objects.get(code="4-10-01-05").name == "养老护理员"


def test_reloading_the_catalogue_after_a_flush_is_batched_not_one_query_per_row(django_assert_max_num_queries):
    Occupation.objects.all().delete()
    with django_assert_max_num_queries(20):
        assert load_shipped() == 1636 + 35
