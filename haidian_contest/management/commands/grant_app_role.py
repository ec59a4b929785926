"""Give the app's database role exactly its rights (haidian_contest/db_roles.py); deploy/run.sh release runs
it as the owner after migrate, so every table a release adds is covered."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from haidian_contest import db_roles


class Command(BaseCommand):
    help = "以表的所有者身份，授予应用的数据库角色恰好所需的权限（只读与追加审计记录，无 TRUNCATE/DDL/触发器权限）。"

    def add_arguments(self, parser):
        parser.add_argument("--role", help="应用的数据库角色（默认：DATABASE_URL 中的用户）")

    def handle(self, *args, role=None, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("数据库不是 PostgreSQL：无角色可授权。")
            return
        if role is None:
            role = settings.DATABASE_APP_ROLE
            if role == connection.settings_dict["USER"]:
                # One role for everything (no DATABASE_OWNER_URL): nothing to grant; check --deploy warns.
                self.stdout.write(self.style.WARNING(
                    f"应用与发布步骤使用同一数据库角色 {role}：未设置 DATABASE_OWNER_URL，跳过授权（check --deploy 将提示）。"))
                return
        try:
            with transaction.atomic():
                statements = db_roles.grant(role)
        except db_roles.RoleRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已为数据库角色 {role} 设置权限（{len(statements)} 条语句）。")
