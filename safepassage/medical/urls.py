from django.urls import path

from safepassage.medical import views

app_name = "medical"

urlpatterns = [
    path("medical/commissions/", views.commission_list, name="commission_list"),
    path("medical/commissions/new/", views.commission_new, name="commission_new"),
    path("medical/commissions/<int:pk>/", views.commission_detail, name="commission_detail"),
    path("persons/<str:registry_number>/medical/", views.person_track, name="person_track"),
    path(
        "persons/<str:registry_number>/medical/present/",
        views.presentation_new,
        name="presentation_new",
    ),
    path(
        "persons/<str:registry_number>/medical/examine/",
        views.examination_new,
        name="examination_new",
    ),
    path("medical/examinations/<int:pk>/consent/", views.consent_new, name="consent_new"),
]
