from django.urls import path

from safepassage.referrals import views

app_name = "referrals"

urlpatterns = [
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/step/<slug:target>/", views.referral_step, name="referral_step"),
    path("persons/<str:registry_number>/referrals/new/", views.referral_new, name="referral_new"),
]
