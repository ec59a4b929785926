from django.apps import AppConfig


class RostersConfig(AppConfig):
    """Real-name rosters, winners and the first-prize register (clauses 1.7, 1.9, 2.4).

    An app of its own rather than part of performance/: the import pipeline (versions, jobs,
    keyed ID hashes, cross-cycle checks) is used by the audit, the search and the dashboards alike,
    and it would double performance/ in size.
    """

    name = "rosters"
    verbose_name = "参赛名单与获奖名单"

    def ready(self):
        from applications import panels

        from . import tasks  # noqa: F401  registers the Celery task
        from .panels import PANEL

        panels.register(PANEL)

        from applications import workflow_engine

        from .publicity import panels as publicity_panels
        from .publicity import services as publicity

        workflow_engine.install_guards(publicity)  # winners_notice_settled
        panels.register(publicity_panels.PANEL)

        from applications.timeline import register_done_reader

        from .selectors import winners_filed_at

        register_done_reader("import_winners")(winners_filed_at)
