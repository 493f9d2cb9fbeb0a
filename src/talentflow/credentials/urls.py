from django.urls import path

from talentflow.credentials import views

app_name = "credentials"
urlpatterns = [
    # Published at stable URLs, no login: the signed trust and revocation lists, the root key.
    path("trust-list.json", views.trust_list, name="trust_list"),
    path("revocations.json", views.revocations, name="revocations"),
    path("root.json", views.root, name="root"),
    # The talent's code (mobile).
    path("my-code/", views.my_code, name="my_code"),
    # The common service catalogue.
    path("", views.service_list, name="service_list"),
    path("services/new/", views.service_create, name="service_create"),
    path("services/export.<str:fmt>", views.service_export, name="service_export"),
    path("services/<int:pk>/", views.service_detail, name="service_detail"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    # The counter.
    path("verify/", views.verify, name="verify"),
    path("verify/sw.js", views.counter_worker, name="counter_worker"),
    path("redemptions/", views.redemption_list, name="redemption_list"),
]
