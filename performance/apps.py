from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "竞赛执行与绩效"

    def ready(self):
        # Importing the services registers the workflow guard `materials_complete`.
        from . import panels, services  # noqa: F401

        panels.register()
