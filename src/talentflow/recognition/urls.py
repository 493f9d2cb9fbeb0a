from django.urls import path

from talentflow.recognition import views

app_name = "recognition"
urlpatterns = [
    # The catalogue (四个互认).
    path("", views.catalogue_list, name="catalogue_list"),
    path("catalogue/new/", views.catalogue_create, name="catalogue_create"),
    path("catalogue/import/", views.catalogue_import, name="catalogue_import"),
    path(
        "catalogue/import/template.xlsx",
        views.catalogue_import_template,
        name="catalogue_import_template",
    ),
    path("catalogue/export.<str:fmt>", views.catalogue_export, name="catalogue_export"),
    path("catalogue/<int:pk>/remove/", views.catalogue_remove, name="catalogue_remove"),
    # Certificates (一地认定、三地互认).
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/export.<str:fmt>", views.certificate_export, name="certificate_export"),
    path("certificates/import/", views.certificate_import, name="certificate_import"),
    path(
        "certificates/import/template.xlsx",
        views.certificate_import_template,
        name="certificate_import_template",
    ),
    path("certificates/apply/", views.certificate_apply, name="certificate_apply"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path(
        "certificates/<int:pk>/do/<str:action>/",
        views.certificate_action,
        name="certificate_action",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    # Figures per region.
    path("stats/", views.stats, name="stats"),
]
