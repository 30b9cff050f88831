from django.urls import path

from safepassage.family import views

app_name = "family"

urlpatterns = [
    path("persons/<str:registry_number>/capture-card-choice/", views.capture_card_choice,
         name="capture_card_choice"),
]  # fmt: skip
