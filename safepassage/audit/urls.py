from django.urls import path

from safepassage.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("persons/<str:registry_number>/audit/", views.person_audit, name="person_audit"),
]
