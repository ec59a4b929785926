"""Upgrading a database whose rosters hold 居住证 and 2023 永居证 numbers the old check took for resident
cards: rosters 0010 records their document type from the masked number's first six characters."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from demo.rosters import make_foreign_pr_id, make_id, make_permit_id
from haidian_contest import rules

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("rosters", "0009_participant_id_type")]
AFTER = [("rosters", "0010_participant_id_type_of_existing_rows")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_permit_and_permanent_residence_rows_get_their_document_type():
    numbers = {
        "resident": make_id(1), "hk": make_permit_id(2, "810000"), "macao": make_permit_id(3, "820000"),
        "foreign": make_foreign_pr_id(4, "11", "840"), "no_card": make_permit_id(5, "811234"),
    }
    apps = migrate(BEFORE)
    Participant = apps.get_model("rosters", "Participant")
    # The foreign keys carry no database constraint: rows of a roster that is not otherwise there.
    for row, number in enumerate(numbers.values(), start=2):
        Participant.objects.create(version_id=1, application_id=1, cycle=2025, trade_id=1, trade_code="X",
                                   row_number=row, name="某", id_hash=f"h{row}",
                                   id_masked=rules.mask_id_number(number), personal_encrypted="x",
                                   employer="某单位", is_member=True)
    apps = migrate(AFTER)
    types = dict(apps.get_model("rosters", "Participant").objects.order_by().values_list("row_number", "id_type"))
    assert [types[row] for row in range(2, 7)] == [
        rules.RESIDENT_CARD, rules.HMT_PERMIT, rules.HMT_PERMIT, rules.FOREIGN_PR, rules.RESIDENT_CARD]
