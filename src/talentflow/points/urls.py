from django.urls import path

from talentflow.points import views

app_name = "points"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_statement, name="my_statement"),
    path("talents/<int:pk>/", views.statement, name="statement"),
    path("talents/<int:pk>/export.<str:fmt>", views.statement_export, name="statement_export"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("leaderboard/export.<str:fmt>", views.leaderboard_export, name="leaderboard_export"),
    path("events/", views.event_list, name="event_list"),
    path("events/export.<str:fmt>", views.event_export, name="event_export"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/void/", views.event_void, name="event_void"),
    path("events/sync/", views.sync, name="sync"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/versions/new/", views.version_create, name="version_create"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
]
