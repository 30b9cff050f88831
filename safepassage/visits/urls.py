from django.urls import path

from safepassage.visits import views

app_name = "visits"

urlpatterns = [
    path("places/", views.place_list, name="place_list"),
    path("places/<int:pk>/", views.place_detail, name="place_detail"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/team/", views.visit_team_add, name="visit_team_add"),
    path("visits/<int:pk>/list/", views.visit_list_build, name="visit_list_build"),
    path("visits/<int:pk>/report/", views.visit_report, name="visit_report"),
    path("visits/<int:pk>/step/<slug:target>/", views.visit_step, name="visit_step"),
    path("visits/<int:pk>/interviews/new/", views.interview_new, name="interview_new"),
]
