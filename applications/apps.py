from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申报"

    def ready(self):
        from . import calls, checks, services, workflow_engine

        workflow_engine.install_guards(services)  # application_complete
        workflow_engine.install_guards(calls)  # call_open
        checks.register()
