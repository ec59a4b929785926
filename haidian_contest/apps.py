from django.apps import AppConfig


class HaidianContestConfig(AppConfig):
    name = "haidian_contest"

    def ready(self):
        from . import cache  # noqa: F401  (registers its deploy check)
