from django.urls import path

from talentflow.rules import views

app_name = "rules"
urlpatterns = [
    path("", views.policy_list, name="policy_list"),
    path("policies/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("policies/<int:pk>/budget/", views.budget_set, name="budget_set"),
    path("policies/<int:pk>/draft/", views.version_draft, name="version_draft"),
    path("policies/<int:pk>/apply/", views.application_create, name="application_create"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/what-if/", views.version_whatif, name="version_whatif"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:pk>/discard/", views.version_discard, name="version_discard"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/export/<str:fmt>/", views.application_export, name="application_export"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/review/", views.application_review, name="application_review"),
    path("applications/<int:pk>/pay/", views.application_pay, name="application_pay"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
