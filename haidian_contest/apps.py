from django.apps import AppConfig


class HaidianContestConfig(AppConfig):
    name = "haidian_contest"

    def ready(self):
        from django.core import checks

        from . import cache  # noqa: F401  (registers its deploy check)
        from .checks import check_database_roles

        checks.register(check_database_roles, "database_roles", deploy=True)
