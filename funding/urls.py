from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export/", views.ledger_export, name="ledger_export"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("projects/<int:pk>/agreement/", views.agreement, name="agreement"),
    path("projects/<int:pk>/agreement-draft.docx", views.agreement_draft, name="agreement_draft"),
    path("projects/<int:pk>/tranches/<int:number>/release/", views.release, name="release"),
    path("projects/<int:pk>/tranches/<int:number>/reverse/", views.reverse, name="reverse"),
    path("agreements/<int:agreement_pk>/scan/", views.agreement_scan, name="agreement_scan"),
]
