from django.urls import path

from safepassage.accounts import views

app_name = "accounts"

urlpatterns = [
    path("members/", views.members, name="members"),
    path("members/new/", views.member_new, name="member_new"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
]
