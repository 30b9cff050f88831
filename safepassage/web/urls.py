from django.urls import path

from safepassage.web import views

app_name = "web"

_person = "persons/<str:registry_number>/"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("persons/new/", views.person_new, name="person_new"),
    path(_person, views.person_detail, name="person_detail"),
    path(f"{_person}edit/", views.person_edit, name="person_edit"),
    path(f"{_person}names/new/", views.person_name_add, name="person_name_add"),
    path(f"{_person}wills/new/", views.will_new, name="will_new"),
    path(f"{_person}wills/<int:pk>/withdraw/", views.will_withdraw, name="will_withdraw"),
    path(f"{_person}assessments/new/", views.assessment_new, name="assessment_new"),
    path(
        f"{_person}assessments/<int:pk>/concur/", views.assessment_concur, name="assessment_concur"
    ),
    path(f"{_person}decisions/new/", views.decision_new, name="decision_new"),
    path(f"{_person}acceptance/new/", views.acceptance_new, name="acceptance_new"),
    path(f"{_person}transfers/new/", views.transfer_new, name="transfer_new"),
    path(f"{_person}transfers/<int:pk>/execute/", views.transfer_execute, name="transfer_execute"),
    path(f"{_person}transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
    path(f"{_person}step/", views.case_transition, name="case_transition"),
    path(f"{_person}legal/", views.legal_assign, name="legal_assign"),
    path("audit/", views.audit_list, name="audit_list"),
    path("members/", views.members, name="members"),
    path("settings/api-tokens/", views.api_tokens, name="api_tokens"),
]
