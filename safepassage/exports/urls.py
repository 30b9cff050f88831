from django.urls import path

from safepassage.exports import views

app_name = "exports"

_person = "persons/<str:registry_number>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("notifications/", views.notifications, name="notifications"),
    path("<int:pk>/download/", views.download, name="download"),
    path(f"{_person}capture-card/", views.capture_card, name="capture_card"),
    path(f"{_person}case-summary/", views.case_summary, name="case_summary"),
]
