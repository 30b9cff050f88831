from django.urls import path

from safepassage.cases import views

app_name = "cases"

_person = "persons/<str:registry_number>/"

urlpatterns = [
    path(f"{_person}wills/new/", views.will_new, name="will_new"),
    path(f"{_person}wills/<int:pk>/withdraw/", views.will_withdraw, name="will_withdraw"),
    path(f"{_person}assessments/new/", views.assessment_new, name="assessment_new"),
    path(
        f"{_person}assessments/<int:pk>/concur/", views.assessment_concur, name="assessment_concur"
    ),
    path(f"{_person}decisions/new/", views.decision_new, name="decision_new"),
    path(f"{_person}acceptance/new/", views.acceptance_new, name="acceptance_new"),
    path(f"{_person}acceptance/decline/", views.acceptance_decline, name="acceptance_decline"),
    path(f"{_person}transfers/new/", views.transfer_new, name="transfer_new"),
    path(f"{_person}transfers/<int:pk>/execute/", views.transfer_execute, name="transfer_execute"),
    path(f"{_person}transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
    path(f"{_person}step/", views.case_transition, name="case_transition"),
    path(f"{_person}step/correct/", views.step_correct, name="step_correct"),
    path(f"{_person}step/<str:target>/", views.step_final, name="step_final"),
    path(f"{_person}legal/", views.legal_assign, name="legal_assign"),
]
