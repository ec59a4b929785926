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

        from applications.timeline import register_done_reader

        from .selectors import tranche_1_paid_on

        register_done_reader("pay_tranche_1")(tranche_1_paid_on)
