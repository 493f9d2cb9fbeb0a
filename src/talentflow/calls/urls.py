from django.urls import path

from talentflow.calls import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("new/", views.call_create, name="call_create"),
    path("export.<str:fmt>", views.call_export, name="call_export"),
    path("stats/", views.stats, name="stats"),
    path("<int:pk>/", views.call_detail, name="call_detail"),
    path("<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("<int:pk>/panel/", views.panel_edit, name="panel_edit"),
    path("<int:pk>/do/<str:action>/", views.call_action, name="call_action"),
    path("<int:pk>/apply/", views.application_create, name="application_create"),
    path("<int:pk>/results/", views.results, name="results"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/score/", views.score, name="score"),
    path(
        "applications/<int:pk>/evidence/",
        views.application_download,
        name="application_download",
    ),
]
