from django.urls import path

from safepassage.registry import views

app_name = "registry"

_person = "persons/<str:registry_number>/"

urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_new, name="person_new"),
    path(_person, views.person_detail, name="person_detail"),
    path(f"{_person}edit/", views.person_edit, name="person_edit"),
    path(f"{_person}names/new/", views.person_name_add, name="person_name_add"),
]
