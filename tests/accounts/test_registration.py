"""Units register themselves, confirm the e-mail, and the development department approves (issue 16)."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import registration as services
from accounts.models import AccountRequest, Organization, SecurityEvent, UnitRegistration, User
from accounts.roles import Role
from tests.factories import make_credit_code

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def letter(content=PDF, name="授权委托书.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form_data(**overrides):
    data = {
        "name": "海淀区测试科技有限公司", "org_type": "enterprise", "credit_code": make_credit_code(900),
        "address": "北京市海淀区中关村大街1号", "contact_person": "张伟", "contact_mobile": "13800138000",
        "contact_email": "zhangwei@example.com",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    """Mail goes out after the commit (enqueue_on_commit); each helper below runs its step's callbacks."""
    global COMMIT
    COMMIT = django_capture_on_commit_callbacks


def register(client, **overrides):
    data = form_data(**overrides)
    with COMMIT(execute=True):
        return client.post(reverse("accounts:register"), {**data, "letter": letter()})


def committed(step, **kwargs):
    with COMMIT(execute=True):
        return step(**kwargs)


def link_in_last_mail(pattern: str) -> str:
    found = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body)
    assert found and re.search(pattern, found.group(1)), mail.outbox[-1].body
    return found.group(1)


def confirmed(client, **overrides) -> UnitRegistration:
    register(client, **overrides)
    client.get(link_in_last_mail("/accounts/register/confirm/"))
    return UnitRegistration.objects.get(credit_code=form_data(**overrides)["credit_code"])


def test_the_registration_page_is_public(client):
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 200 and "授权委托书" in response.content.decode()


def test_a_registration_waits_for_the_email_confirmation(client, reviewer):
    response = register(client)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:registration_sent")
    registration = UnitRegistration.objects.get()
    assert registration.status == UnitRegistration.Status.EMAIL_PENDING
    assert mail.outbox[-1].to == ["zhangwei@example.com"]
    assert not reviewer.notifications.exists()


def test_confirming_the_email_puts_the_registration_in_the_department_queue(client, reviewer):
    registration = confirmed(client)
    assert registration.status == UnitRegistration.Status.PENDING and registration.email_confirmed_at
    assert reviewer.notifications.filter(text__contains=registration.name).exists()


def test_a_wrong_check_character_is_refused_and_keeps_what_was_typed(client):
    code = make_credit_code(901)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = register(client, credit_code=wrong)
    html = response.content.decode()
    assert response.status_code == 200 and "校验码" in html
    assert "海淀区测试科技有限公司" in html and "zhangwei@example.com" in html
    assert not UnitRegistration.objects.exists()


def test_a_credit_code_typed_in_full_width_is_accepted(client):
    code = make_credit_code(902)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    register(client, credit_code=full_width)
    assert UnitRegistration.objects.get().credit_code == code


def test_a_letter_that_is_not_a_pdf_or_image_is_refused(client):
    data = form_data()
    response = client.post(reverse("accounts:register"), {**data, "letter": letter(b"MZ\x90\x00 not a pdf", "委托书.pdf")})
    assert "可执行程序" in response.content.decode() and "加盖单位公章的 PDF 文件或 JPG/PNG 图片" in response.content.decode()
    assert not UnitRegistration.objects.exists()


def _png(width=120, height=160) -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.effect_noise((width, height), 60).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_scanned_png_letter_is_accepted(client):
    client.post(reverse("accounts:register"), {**form_data(), "letter": letter(_png(), "授权委托书.png")})
    assert UnitRegistration.objects.get().letter_name == "授权委托书.png"


def test_a_900_megapixel_png_letter_is_refused_as_every_photo_is(client, tmp_path):
    from tests.files.bombs import png_header

    huge = png_header(tmp_path / "letter.png", 30_000, 30_000).read_bytes()
    response = client.post(reverse("accounts:register"), {**form_data(), "letter": letter(huge, "委托书.png")})
    assert "图片像素过多：30000×30000（900 百万像素）" in response.content.decode()
    assert not UnitRegistration.objects.exists()


def test_a_truncated_png_letter_is_refused_as_every_photo_is(client):
    from haidian_contest.inspection.images import NOT_AN_IMAGE

    truncated = _png()[:74]
    response = client.post(reverse("accounts:register"), {**form_data(), "letter": letter(truncated, "委托书.png")})
    assert NOT_AN_IMAGE in response.content.decode()
    assert not UnitRegistration.objects.exists()


def test_an_oversize_letter_is_refused_with_its_size(client):
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = client.post(reverse("accounts:register"), {**form_data(), "letter": letter(big)})
    assert "不能超过 10 MB" in response.content.decode() and "授权委托书过大" in response.content.decode()


def test_a_duplicate_credit_code_gets_the_same_page_as_a_new_one(client, organization):
    response = register(client, credit_code=organization.credit_code)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:registration_sent")
    assert not UnitRegistration.objects.exclude(status=UnitRegistration.Status.DUPLICATE).exists()
    assert "已有注册记录" in mail.outbox[-1].body  # told privately, at the typed address


def test_a_duplicate_email_gets_the_same_page_as_a_new_one(client, organizer):
    organizer.email = "taken@example.com"
    organizer.save()
    response = register(client, contact_email="taken@example.com")
    assert response["Location"] == reverse("accounts:registration_sent")
    assert not UnitRegistration.objects.exclude(status=UnitRegistration.Status.DUPLICATE).exists()


def test_the_department_approves_and_the_contact_sets_a_password(client, reviewer):
    registration = confirmed(client)
    user = committed(services.approve_registration, registration=registration, actor=reviewer)
    assert user.organization.credit_code == registration.credit_code
    assert user.role == Role.ORGANIZER and not user.has_usable_password()
    path = link_in_last_mail("/accounts/activate/")
    client.get(path)
    response = client.post(path, {"new_password1": "Haidian-Unit-2026", "new_password2": "Haidian-Unit-2026"})
    assert response.status_code == 302
    assert client.login(username=user.username, password="Haidian-Unit-2026")


def test_an_activation_link_works_once(client, reviewer):
    user = committed(services.approve_registration, registration=confirmed(client), actor=reviewer)
    path = link_in_last_mail("/accounts/activate/")
    client.post(path, {"new_password1": "Haidian-Unit-2026", "new_password2": "Haidian-Unit-2026"})
    assert client.get(path).status_code == 400
    user.refresh_from_db()


def test_every_registration_step_is_on_the_record(client, reviewer):
    user = services.approve_registration(registration=confirmed(client), actor=reviewer)
    kinds = set(SecurityEvent.objects.values_list("kind", flat=True))
    assert {"registration_submitted", "registration_email_confirmed", "registration_approved", "user_created",
            "role_granted"} <= kinds
    assert SecurityEvent.objects.filter(kind="user_created", detail__contains=user.username).exists()
    assert SecurityEvent.objects.filter(kind="registration_approved", user=reviewer).exists()


def test_returning_needs_a_reason_and_mails_it(client, reviewer):
    registration = confirmed(client)
    with pytest.raises(Exception, match="理由"):
        services.return_registration(registration=registration, actor=reviewer, reason=" ")
    committed(services.return_registration, registration=registration, actor=reviewer, reason="委托书未加盖公章")
    registration.refresh_from_db()
    assert registration.status == UnitRegistration.Status.RETURNED
    assert "委托书未加盖公章" in mail.outbox[-1].body
    assert not Organization.objects.filter(credit_code=registration.credit_code).exists()


def test_an_organizer_cannot_approve_a_registration(client, organizer):
    registration = confirmed(client)
    with pytest.raises(Exception, match="职工发展部"):
        services.approve_registration(registration=registration, actor=organizer)


def test_the_reviewer_opens_the_letter(client, reviewer):
    registration = confirmed(client)
    client.force_login(reviewer)
    response = client.get(reverse("accounts:registration_letter", args=[registration.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_second_account_is_asked_for_by_the_unit_and_approved_by_the_department(client, organizer, reviewer):
    client.force_login(organizer)
    response = client.post(reverse("accounts:unit_accounts"),
                           {"full_name": "李娜", "mobile": "13900139000", "email": "lina@example.com"})
    assert response.status_code == 302
    account_request = AccountRequest.objects.get()
    user = committed(services.decide_account_request, account_request=account_request, actor=reviewer, approve=True)
    assert user.organization == organizer.organization and user.role == Role.ORGANIZER
    assert organizer.notifications.filter(text__contains="李娜").exists()
    assert "/accounts/activate/" in mail.outbox[-1].body


def test_a_refused_account_request_needs_a_reason(organizer, reviewer):
    account_request = services.request_account(actor=organizer, full_name="李娜", mobile="13900139000",
                                               email="lina@example.com")
    with pytest.raises(Exception, match="理由"):
        services.decide_account_request(account_request=account_request, actor=reviewer, approve=False)
    assert not User.objects.filter(email="lina@example.com").exists()


def test_deactivating_a_unit_deactivates_its_users_and_keeps_its_projects(client, organizer, reviewer):
    from tests.lifecycle import build_application

    project = build_application(organizer, "A")
    services.set_organization_active(organization=organizer.organization, actor=reviewer, active=False)
    organizer.refresh_from_db()
    project.refresh_from_db()
    assert not organizer.is_active and project.lead_organization == organizer.organization
    assert SecurityEvent.objects.filter(kind="unit_deactivated").exists()


def test_the_unit_list_filters_by_type_and_searches_by_credit_code(client, reviewer, organization, other_organization):
    client.force_login(reviewer)
    html = client.get(reverse("accounts:units"), {"type": "park"}).content.decode()
    assert organization.name in html and other_organization.name not in html
    html = client.get(reverse("accounts:units"), {"q": other_organization.credit_code.lower()}).content.decode()
    assert other_organization.name in html and organization.name not in html


def test_the_unit_list_query_count_does_not_grow_with_units(client, reviewer, django_assert_max_num_queries):
    from tests.factories import OrganizationFactory

    client.force_login(reviewer)
    OrganizationFactory()
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("accounts:units"))
    OrganizationFactory.create_batch(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accounts:units"))


def test_registrations_from_one_address_are_rate_limited(client):
    from accounts.views_registration import REGISTRATIONS_PER_ADDRESS_PER_HOUR

    for n in range(REGISTRATIONS_PER_ADDRESS_PER_HOUR):
        register(client, credit_code=make_credit_code(950 + n), contact_email=f"u{n}@example.com")
    response = register(client, credit_code=make_credit_code(990), contact_email="late@example.com")
    assert "提交过于频繁" in response.content.decode()
    assert UnitRegistration.objects.count() == REGISTRATIONS_PER_ADDRESS_PER_HOUR
