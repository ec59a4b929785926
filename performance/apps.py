from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "竞赛执行与绩效"

    def ready(self):
        from applications import workflow_engine

        from . import panels, services

        workflow_engine.install_guards(services)  # materials_complete
        panels.register()
