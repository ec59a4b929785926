from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "资金拨付"

    def ready(self):
        from applications import panels, workflow_engine

        from . import services
        from .panels import PANEL

        workflow_engine.install_guards(services)  # agreement_recorded

        panels.register(PANEL)
