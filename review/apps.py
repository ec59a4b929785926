from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "审核与立项"

    def ready(self):
        # Registers the workflow guards this step owns and its section of the project page.
        from . import panels, services  # noqa: F401

        panels.register()
