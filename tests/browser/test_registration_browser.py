"""A new unit registers, confirms its e-mail, is approved, sets its password and submits within the
year's window; after the window it is refused until the department extends it; a second account for
the same unit is asked for and approved (issue 16), in Debian's Chromium."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from applications.models import Application, Call
from haidian_contest.workflow import State
from tests.factories import PASSWORD, make_credit_code
from tests.lifecycle import build_application

from .conftest import OUTPUT, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
NEW_PASSWORD = "Xueyuan-Unit-2026"


def last_link(pattern: str) -> str:
    found = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body)
    assert found and pattern in found.group(1), mail.outbox[-1].body
    return found.group(1)


def shot(page, name):
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"registration-{name}.png"), full_page=True)


def register_in_the_browser(page, live_server, tmp_path, code):
    letter = tmp_path / "授权委托书.pdf"
    letter.write_bytes(PDF)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_test_id("register-link").click()
    page.fill("input[name=name]", "北京清河智能装备有限公司")
    page.select_option("select[name=org_type]", "enterprise")
    page.fill("input[name=credit_code]", code[:17] + ("0" if code[17] != "0" else "1"))  # a typo first
    page.fill("input[name=address]", "北京市海淀区清河中街68号")
    page.fill("input[name=contact_person]", "周敏")
    page.fill("input[name=contact_mobile]", "13911112222")
    page.fill("input[name=contact_email]", "zhoumin@qinghe.example")
    page.set_input_files("input[name=letter]", str(letter))
    page.click("button[type=submit]")
    expect(page.locator("form")).to_contain_text("校验码")
    expect(page.locator("input[name=contact_email]")).to_have_value("zhoumin@qinghe.example")  # kept
    shot(page, "1-typo")
    page.fill("input[name=credit_code]", code)
    page.set_input_files("input[name=letter]", str(letter))
    page.click("button[type=submit]")
    expect(page.get_by_test_id("registration-sent")).to_be_visible()


def test_a_unit_registers_is_approved_and_submits_within_the_window(page, live_server, reviewer, tmp_path):
    code = make_credit_code(7001)
    register_in_the_browser(page, live_server, tmp_path, code)
    page.goto(live_server.url + last_link("/accounts/register/confirm/"))
    expect(page.get_by_test_id("registration-confirmed")).to_contain_text("已提交区总工会职工发展部审核")

    login(page, live_server, reviewer.username, PASSWORD)
    page.get_by_role("link", name="单位注册审核").click()
    queue = page.get_by_test_id("registration-queue")
    expect(queue).to_contain_text("北京清河智能装备有限公司")
    queue.get_by_role("link", name="审核").click()
    expect(page.get_by_test_id("letter-link")).to_contain_text("授权委托书.pdf")
    shot(page, "2-review")
    page.get_by_test_id("approve").click()
    expect(page.locator(".alert-success")).to_contain_text("已通过并开通账号")
    logout(page)

    page.goto(live_server.url + last_link("/accounts/activate/"))
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("密码已设置")
    user = User.objects.get(email="zhoumin@qinghe.example")
    login(page, live_server, user.username, NEW_PASSWORD)
    expect(page.get_by_test_id("open-call").first).to_contain_text("申报时间")
    shot(page, "3-home-with-call")

    app = build_application(user, "A", cycle=timezone.localdate().year)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/applications/{app.pk}/edit/")
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    assert Application.objects.get(pk=app.pk).status == State.SUBMITTED


def test_after_the_window_a_submission_is_refused_until_the_department_extends_it(
        page, live_server, organizer, reviewer):
    year = timezone.localdate().year
    call = Call.objects.get(cycle=year)
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(opens_at=now - timedelta(days=60), closes_at=now - timedelta(hours=1))
    app = build_application(organizer, "A", cycle=year)
    page.on("dialog", lambda dialog: dialog.accept())

    login(page, live_server, organizer.username, PASSWORD)
    page.goto(f"{live_server.url}/applications/{app.pk}/edit/")
    page.get_by_test_id("submit-application").click()
    expect(page.locator(".alert-danger")).to_contain_text("申报已截止")
    shot(page, "4-refused")
    assert Application.objects.get(pk=app.pk).status == State.DRAFT
    logout(page)

    login(page, live_server, reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/applications/calls/{call.pk}/")
    new_deadline = timezone.localtime(now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    form = page.get_by_test_id("extend-form")
    form.locator("input[name=closes_at]").fill(new_deadline)
    form.locator("textarea[name=reason]").fill("多家单位反映材料盖章流程较长，延期一周。")
    form.get_by_role("button", name="延期").click()
    expect(page.get_by_test_id("call-extensions")).to_contain_text("延期一周")
    shot(page, "5-extended")
    logout(page)

    login(page, live_server, organizer.username, PASSWORD)
    page.goto(f"{live_server.url}/applications/{app.pk}/edit/")
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交")


def test_a_unit_asks_for_a_second_account_and_the_department_approves_it(page, live_server, organizer, reviewer):
    login(page, live_server, organizer.username, PASSWORD)
    page.get_by_role("link", name="本单位账号").click()
    form = page.get_by_test_id("account-request-form")
    form.locator("input[name=full_name]").fill("孙浩")
    form.locator("input[name=mobile]").fill("１３７００００１１１１")  # full-width, as a Chinese IME types it
    form.locator("input[name=email]").fill("sunhao@example.com")
    form.get_by_role("button", name="提交申请").click()
    expect(page.locator(".alert-success")).to_contain_text("申请已提交")
    logout(page)

    login(page, live_server, reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/accounts/registrations/")
    requests = page.get_by_test_id("account-request-queue")
    expect(requests).to_contain_text("孙浩")
    requests.get_by_role("button", name="通过", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("开通链接已发送")
    second = User.objects.get(email="sunhao@example.com")
    assert second.organization == organizer.organization and second.phone == "13700001111"
    assert "/accounts/activate/" in mail.outbox[-1].body
