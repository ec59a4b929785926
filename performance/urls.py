from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [path("audit/", views.audit_queue, name="audit_queue")]
