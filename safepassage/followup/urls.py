from django.urls import path

from safepassage.followup import views

app_name = "followup"

_person = "persons/<str:registry_number>/follow-up/"

urlpatterns = [
    path(_person, views.person_followup, name="person_followup"),
    path(f"{_person}reception/", views.reception_record, name="reception_record"),
    path(f"{_person}reception/steps/<int:pk>/", views.reception_step, name="reception_step"),
    path(f"{_person}schedule/", views.contacts_schedule, name="contacts_schedule"),
    path(f"{_person}contacts/<int:pk>/", views.contact_record, name="contact_record"),
    path("onward-reports/<str:country>/", views.onward_reports, name="onward_reports"),
    path("reception-steps/", views.reception_steps, name="reception_steps"),
]
