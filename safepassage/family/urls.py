from django.urls import path

from safepassage.family import views

app_name = "family"

urlpatterns = [
    path("persons/<str:registry_number>/capture-card-choice/", views.capture_card_choice,
         name="capture_card_choice"),
    path("persons/<str:registry_number>/family-messages/", views.family_messages,
         name="family_messages"),
    path("persons/<str:registry_number>/family-messages/new/", views.family_message_write,
         name="family_message_write"),
    path("persons/<str:registry_number>/family-messages/<int:pk>/censor/",
         views.family_message_censor, name="family_message_censor"),
    path("persons/<str:registry_number>/family-messages/<int:pk>/step/",
         views.family_message_step, name="family_message_step"),
    path("persons/<str:registry_number>/correspondents/", views.correspondence_choice,
         name="correspondence_choice"),
]  # fmt: skip
