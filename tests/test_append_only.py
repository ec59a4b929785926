"""Every audit record is append-only: the ORM refuses to change or remove one, and on PostgreSQL
triggers refuse raw UPDATE, DELETE and TRUNCATE as well (haidian_contest.records). make test-postgres
runs this module twice: as the owner of the tables (the triggers refuse) and with --as-app-role, as the
role web and worker connect as (its missing rights refuse first).

One project is carried through the services once (setUpTestData) as far as every kind of record
exists: security events, the workflow trail, submitted versions, waiver and collective decisions,
the agreement with its lines, the tranches and the ledger, an audit decision and a full-ID log.
"""

import tempfile
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import TestCase, override_settings

from accounts.models import SecurityEvent
from accounts.roles import Role
from accounts.security import log_event
from applications import workflow_engine
from applications.models import ApplicationVersion, StatusChange
from funding.models import Agreement, AgreementLine, LedgerEntry, Tranche
from haidian_contest.records import ImmutableRecord
from performance.audit import decide_audit
from performance.models import AuditDecision
from review.models import CollectiveDecision, WaiverDecision
from rosters.models import FullIdView
from rosters.services import log_full_export
from tests.factories import OrganizationFactory, user_with_role
from tests.funding.stages import agreement_signed, tranche_1_paid
from tests.review.stages import approved_application
from tests.rosters.stages import make_roster_rows, upload_roster

# (model, a field to try to change, the value)
RECORDS = {
    "security_event": (SecurityEvent, "detail", "篡改"),
    "status_change": (StatusChange, "comment", "篡改"),
    "application_version": (ApplicationVersion, "data", {}),
    "waiver_decision": (WaiverDecision, "reason", "篡改"),
    "collective_decision": (CollectiveDecision, "note", "篡改"),
    "agreement": (Agreement, "correction_reason", "篡改"),
    "agreement_line": (AgreementLine, "trade_name", "篡改"),
    "tranche": (Tranche, "number", 9),
    "ledger_entry": (LedgerEntry, "voucher_no", "篡改"),
    "audit_decision": (AuditDecision, "comment", "篡改"),
    "full_id_view": (FullIdView, "detail", "篡改"),
}


def build_every_record():
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.group_name)
    organizer = user_with_role(Role.ORGANIZER, organization=OrganizationFactory(name="海淀区电子信息行业协会"))
    reviewer = user_with_role(Role.REVIEWER)
    approver = user_with_role(Role.APPROVER)
    finance = user_with_role(Role.FINANCE)
    # Scenario B: three waivable findings, so the review has waiver decisions.
    app = approved_application(organizer, reviewer, approver, "B", union_role="host")
    app = tranche_1_paid(agreement_signed(app, reviewer), finance)
    with mock.patch.dict(workflow_engine.GUARDS, {"materials_complete": lambda application: []}):
        workflow_engine.perform(application=app, name="submit_materials", actor=organizer)
    decide_audit(application=app, actor=reviewer, decision="audit_return", comment="请补充现场照片。")
    roster = upload_roster(app, organizer, make_roster_rows(app, 3))
    log_full_export(actor=reviewer, version=roster, count=3)
    log_event("login", user=reviewer)
    return app


def one_of(kind):
    model = RECORDS[kind][0]
    record = model.objects.order_by("-pk").first()
    assert record is not None, f"the lifecycle wrote no {model.__name__}"
    return record


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="append-only-"))
class OrmRefusesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.application = build_every_record()

    def assert_refused(self, kind):
        model, field, value = RECORDS[kind]
        record = one_of(kind)
        setattr(record, field, value)
        with self.assertRaises(ImmutableRecord):
            record.save()
        with self.assertRaises(ImmutableRecord):
            record.delete()
        with self.assertRaises(ImmutableRecord):
            model.objects.filter(pk=record.pk).update(**{field: value})
        with self.assertRaises(ImmutableRecord):
            model.objects.filter(pk=record.pk).delete()
        with self.assertRaises(ImmutableRecord):
            model.objects.bulk_update([record], [field])
        self.assertNotEqual(getattr(model.objects.get(pk=record.pk), field), value)

    def test_a_security_event_cannot_be_edited_or_deleted(self):
        self.assert_refused("security_event")

    def test_a_status_change_cannot_be_edited_or_deleted(self):
        self.assert_refused("status_change")

    def test_a_submitted_version_cannot_be_edited_or_deleted(self):
        self.assert_refused("application_version")

    def test_a_waiver_decision_cannot_be_edited_or_deleted(self):
        self.assert_refused("waiver_decision")

    def test_a_collective_decision_cannot_be_edited_or_deleted(self):
        self.assert_refused("collective_decision")

    def test_an_agreement_cannot_be_edited_or_deleted(self):
        self.assert_refused("agreement")

    def test_an_agreement_line_cannot_be_edited_or_deleted(self):
        self.assert_refused("agreement_line")

    def test_a_tranche_cannot_be_edited_or_deleted(self):
        self.assert_refused("tranche")

    def test_a_ledger_entry_cannot_be_edited_or_deleted(self):
        self.assert_refused("ledger_entry")

    def test_an_audit_decision_cannot_be_edited_or_deleted(self):
        self.assert_refused("audit_decision")

    def test_a_full_id_view_log_cannot_be_edited_or_deleted(self):
        self.assert_refused("full_id_view")

    def test_a_new_record_is_still_written(self):
        before = SecurityEvent.objects.count()
        log_event("logout", username="someone")
        self.assertEqual(SecurityEvent.objects.count(), before + 1)


@pytest.mark.postgres
@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="append-only-pg-"))
class PostgresTriggerRefusesTest(TestCase):
    """Raw SQL skips the ORM; the trigger installed by the migrations still refuses it."""

    @classmethod
    def setUpTestData(cls):
        cls.application = build_every_record()

    @staticmethod
    def refusal(table, right):
        """Who refuses: the trigger, for a role that holds the right (the owner); the missing right itself for
        the app's role (make test-postgres runs this module once more with --as-app-role)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT has_table_privilege(%s, %s)", [table, right])
            return "append-only" if cursor.fetchone()[0] else "permission denied"

    def assert_refused(self, kind):
        model, field, _value = RECORDS[kind]
        record = one_of(kind)
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.get_field(field).column)
        connection.check_constraints()  # TRUNCATE refuses to run while the set-up's deferred FK checks are pending
        for right, sql in (("UPDATE", f"UPDATE {table} SET {column} = {column} WHERE id = %s"),
                           ("DELETE", f"DELETE FROM {table} WHERE id = %s"),
                           ("TRUNCATE", f"TRUNCATE {table} CASCADE")):
            expected = self.refusal(model._meta.db_table, right)
            with self.subTest(sql=sql), self.assertRaisesMessage(DatabaseError, expected):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql, [record.pk] if "%s" in sql else None)
        self.assertTrue(model.objects.filter(pk=record.pk).exists())

    def test_a_security_event_is_protected_by_the_trigger(self):
        self.assert_refused("security_event")

    def test_a_status_change_is_protected_by_the_trigger(self):
        self.assert_refused("status_change")

    def test_a_submitted_version_is_protected_by_the_trigger(self):
        self.assert_refused("application_version")

    def test_a_waiver_decision_is_protected_by_the_trigger(self):
        self.assert_refused("waiver_decision")

    def test_a_collective_decision_is_protected_by_the_trigger(self):
        self.assert_refused("collective_decision")

    def test_an_agreement_is_protected_by_the_trigger(self):
        self.assert_refused("agreement")

    def test_an_agreement_line_is_protected_by_the_trigger(self):
        self.assert_refused("agreement_line")

    def test_a_tranche_is_protected_by_the_trigger(self):
        self.assert_refused("tranche")

    def test_a_ledger_entry_is_protected_by_the_trigger(self):
        self.assert_refused("ledger_entry")

    def test_an_audit_decision_is_protected_by_the_trigger(self):
        self.assert_refused("audit_decision")

    def test_a_full_id_view_log_is_protected_by_the_trigger(self):
        self.assert_refused("full_id_view")

    def test_deleting_a_project_with_a_trail_is_refused_by_the_database(self):
        with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM applications_statuschange WHERE application_id = %s", [self.application.pk])

    def test_truncating_the_projects_cannot_cascade_into_the_ledger(self):
        connection.check_constraints()
        with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE applications_application CASCADE")
        self.assertTrue(LedgerEntry.objects.filter(tranche__application=self.application).exists())
