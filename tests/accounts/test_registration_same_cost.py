"""The public registration form costs the same whether the unit is known or not (issue 25 §6)."""

import re
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import registration as services
from accounts.models import UnitRegistration
from tests.factories import make_credit_code

from .test_registration import form_data, letter

pytestmark = pytest.mark.django_db
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


def _submit(client, django_capture_on_commit_callbacks, **overrides):
    """Post the form; what it cost (statements, files written, mails queued) and what it answered."""
    with CaptureQueriesContext(connection) as queries, \
            mock.patch.object(FieldFile, "save", autospec=True, side_effect=FieldFile.save) as saved, \
            mock.patch.object(services, "enqueue_on_commit", wraps=services.enqueue_on_commit) as queued, \
            django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), {**form_data(**overrides), "letter": letter()})
    statements = [re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "?", q["sql"]) for q in queries.captured_queries]
    page = client.get(response["Location"])
    return {"statements": statements, "files": saved.call_count, "mails": queued.call_count,
            "status": response.status_code, "location": response["Location"],
            "page": CSRF.sub("", page.content.decode())}


def test_a_known_credit_code_takes_the_same_steps_and_gets_the_same_answer_as_a_new_one(
        client, organization, django_capture_on_commit_callbacks):
    fresh = _submit(client, django_capture_on_commit_callbacks, credit_code=make_credit_code(901),
                    contact_email="new@example.com")
    known = _submit(client, django_capture_on_commit_callbacks, credit_code=organization.credit_code,
                    contact_email="other@example.com")
    assert known == fresh
    assert (fresh["files"], fresh["mails"]) == (1, 1)


def test_a_known_email_takes_the_same_steps_and_gets_the_same_answer_as_a_new_one(
        client, organizer, django_capture_on_commit_callbacks):
    organizer.email = "taken@example.com"
    organizer.save()
    fresh = _submit(client, django_capture_on_commit_callbacks, credit_code=make_credit_code(902),
                    contact_email="new@example.com")
    known = _submit(client, django_capture_on_commit_callbacks, credit_code=make_credit_code(903),
                    contact_email="taken@example.com")
    assert known == fresh


def test_the_duplicate_is_told_by_mail_at_the_typed_address_and_not_on_the_page(
        client, organization, django_capture_on_commit_callbacks):
    answer = _submit(client, django_capture_on_commit_callbacks, credit_code=organization.credit_code,
                     contact_email="other@example.com")
    assert "已有注册记录" not in answer["page"]
    assert mail.outbox[-1].to == ["other@example.com"] and "已有注册记录" in mail.outbox[-1].body


def test_a_duplicate_claims_no_credit_code(client, organizer, django_capture_on_commit_callbacks):
    # Someone types a unit's code with an address already known: the unit's own registration still goes through.
    organizer.email = "taken@example.com"
    organizer.save()
    code = make_credit_code(904)
    _submit(client, django_capture_on_commit_callbacks, credit_code=code, contact_email="taken@example.com")
    _submit(client, django_capture_on_commit_callbacks, credit_code=code, contact_email="real@example.com")
    assert UnitRegistration.objects.get(contact_email="real@example.com").status == \
        UnitRegistration.Status.EMAIL_PENDING


def test_duplicates_never_reach_the_department(client, reviewer, organization, django_capture_on_commit_callbacks):
    _submit(client, django_capture_on_commit_callbacks, credit_code=organization.credit_code,
            contact_email="other@example.com")
    duplicate = UnitRegistration.objects.get(status=UnitRegistration.Status.DUPLICATE)
    client.force_login(reviewer)
    assert "other@example.com" not in client.get(reverse("accounts:registrations") + "?show=all").content.decode()
    assert client.get(reverse("accounts:registration_detail", args=[duplicate.pk])).status_code == 404


def test_the_page_says_the_result_comes_by_mail_whether_accepted_or_refused(
        client, organization, django_capture_on_commit_callbacks):
    answer = _submit(client, django_capture_on_commit_callbacks, credit_code=organization.credit_code,
                     contact_email="other@example.com")
    assert "无论注册是否受理，结果都只通过邮件告知" in answer["page"]
    assert "未受理" in answer["page"]
