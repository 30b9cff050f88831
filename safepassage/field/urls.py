from django.urls import path

from safepassage.field import views

app_name = "field"

urlpatterns = [
    path("conflicts/", views.conflict_list, name="conflict_list"),
    path("conflicts/<int:pk>/", views.conflict_detail, name="conflict_detail"),
]
