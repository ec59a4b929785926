from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("charts/<slug:name>.json", views.chart_data, name="chart_data"),
    path("export.xlsx", views.export, name="export"),
    path("search/", views.search_page, name="search"),
]
