from django.urls import path

from talentflow.directory import views, views_io

app_name = "directory"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("talents/", views.talent_list, name="talent_list"),
    path("talents/new/", views.talent_create, name="talent_create"),
    path("talents/<int:pk>/", views.talent_detail, name="talent_detail"),
    path("talents/<int:pk>/edit/", views.talent_edit, name="talent_edit"),
    path(
        "talents/<int:pk>/affiliations/new/",
        views.affiliation_create,
        name="affiliation_create",
    ),
    path("affiliations/<int:pk>/end/", views.affiliation_end, name="affiliation_end"),
    path("me/", views.my_profile, name="my_profile"),
    path("import/<str:kind>/", views_io.import_upload, name="import"),
    path("import/<str:kind>/template.xlsx", views_io.import_template, name="import_template"),
    path("export/<str:kind>.<str:fmt>", views_io.export, name="export"),
]
