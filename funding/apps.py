from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "资金拨付"

    def ready(self):
        from applications import panels

        # Registers the "agreement_recorded" guard of the workflow's sign_agreement step.
        from . import services  # noqa: F401
        from .panels import PANEL

        panels.register(PANEL)
