from django.apps import AppConfig


class HaidianContestConfig(AppConfig):
    name = "haidian_contest"
    verbose_name = "海淀区职工职业技能竞赛"

    def ready(self):
        from django.core import checks

        from .checks import check_database_roles

        checks.register(check_database_roles, "database_roles", deploy=True)
