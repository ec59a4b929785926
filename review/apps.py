from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "审核与立项"

    def ready(self):
        from applications import workflow_engine

        from . import panels, services

        workflow_engine.install_guards(services)  # review_complete, party_decision_recorded
        panels.register()
