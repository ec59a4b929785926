from django.apps import AppConfig


class DashboardConfig(AppConfig):
    # Reads every stage (applications, review, funding, rosters, performance) and is imported by none.
    name = "dashboard"
    verbose_name = "年度概览与检索"
