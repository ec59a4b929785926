"""Demo data from shared/policy/SCENARIO.md: one account per role and the scenario's units.

Idempotent: running it twice leaves the same data (objects are looked up by natural keys).
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Organization, User
from accounts.roles import Role
from accounts.validators import credit_code_check_char

DEMO_PASSWORD = "Haidian-2026"


def credit_code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


ORGANIZATIONS = [
    # name, type, 17-char body of the credit code, contact, phone
    ("中关村智造产业园工会联合会", "park", "81110108MC0000001", "王芳", "010-62510001"),
    ("海淀区电子信息行业协会", "industry_association", "51110108MJ0000002", "李强", "010-62510002"),
    ("学院路街道总工会", "subdistrict", "81110108MC0000003", "赵敏", "010-62510003"),
    ("北京示例餐饮管理有限公司", "enterprise", "91110108MA0000004", "钱进", "010-62510004"),
    ("北京示例养老服务中心", "social_org", "52110108MJ0000005", "孙和", "010-62510005"),
    ("北京示例同城配送有限公司", "enterprise", "91110108MA0000006", "周达", "010-62510006"),
]

USERS = [
    # username, full name, role, organization
    ("wangfang", "王芳", Role.ORGANIZER, "中关村智造产业园工会联合会"),
    ("liqiang", "李强", Role.ORGANIZER, "海淀区电子信息行业协会"),
    ("zhaomin", "赵敏", Role.ORGANIZER, "学院路街道总工会"),
    ("chenjing", "陈静", Role.REVIEWER, None),
    ("liuyang", "刘洋", Role.APPROVER, None),
    ("sunli", "孙丽", Role.FINANCE, None),
    ("zhoutao", "周涛", Role.AUDITOR, None),
    ("admin", "系统管理员", Role.ADMIN, None),
]


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）。仅用于开发环境（DEBUG=true）。"

    def add_arguments(self, parser):
        parser.add_argument("--i-know-this-is-not-production", action="store_true",
                            help="在 DEBUG=false 的数据库上仍然载入演示数据（演示账号的密码是公开的）。")

    def handle(self, *args, **options):
        # The demo accounts (an administrator among them) share the password README publishes.
        if not settings.DEBUG and not options["i_know_this_is_not_production"]:
            raise CommandError(
                "拒绝执行：当前不是开发环境（DEBUG=false）。演示数据会创建密码公开的账号（包括系统管理员 admin），"
                "只能在开发环境（DEBUG=true，如 make run）中载入；确认这不是生产数据库时，"
                "可加参数 --i-know-this-is-not-production。"
            )
        self._seed()

    @transaction.atomic
    def _seed(self):
        orgs = {}
        for name, org_type, body, contact, phone in ORGANIZATIONS:
            orgs[name], _ = Organization.objects.update_or_create(
                name=name,
                defaults={
                    "org_type": org_type,
                    "credit_code": credit_code(body),
                    "contact_person": contact,
                    "contact_phone": phone,
                },
            )
        for username, full_name, role, org_name in USERS:
            user, created = User.objects.get_or_create(username=username)
            user.full_name = full_name
            user.organization = orgs.get(org_name)
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            if created:
                user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role.group_name)])
        from django.test.utils import override_settings

        from applications.catalogue import load_shipped

        # The shipped catalogue comes with the migrations; put back any of it a user deleted.
        if added := load_shipped():
            self.stdout.write(f"职业目录：补回 {added} 个职业")

        from demo.scenario import play_scenario

        # The scenario's notifications are kept in the database; e-mailing them to the console
        # would bury the summary below.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            played = play_scenario()
        for key, app in played.items():
            self.stdout.write(f"  {key}. {app.title}：{app.status_label}")
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪：{len(USERS)} 个账号，密码 {DEMO_PASSWORD}"))
