from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账号与单位"

    def ready(self):
        # Load the Celery app with Django so that @shared_task binds to it in every process
        # (web, worker, tests) without haidian_contest/__init__ importing Celery, which would
        # drag a dependency into `from haidian_contest import rules`.
        from haidian_contest.celery import app  # noqa: F401

        from . import security

        security.connect_axes_signal()
        security.connect_account_signals()
