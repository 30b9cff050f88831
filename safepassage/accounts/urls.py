from django.urls import path

from safepassage.accounts import views

app_name = "accounts"

urlpatterns = [
    path("members/", views.members, name="members"),
]
