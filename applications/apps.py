from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申报"

    def ready(self):
        from . import checks, services, workflow_engine

        workflow_engine.install_guards(services)  # application_complete
        checks.register()
