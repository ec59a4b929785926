from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申报"

    def ready(self):
        from . import calls, services  # noqa: F401  register the workflow guards they own
