from django.urls import path

from talentflow.evaluation import views

app_name = "evaluation"
urlpatterns = [
    # Authorisations to self-evaluate (用人单位自主评价, 企业认定、政府认账).
    path("", views.authorisation_list, name="authorisation_list"),
    path("authorisations/new/", views.authorisation_create, name="authorisation_create"),
    path(
        "authorisations/export.<str:fmt>",
        views.authorisation_export,
        name="authorisation_export",
    ),
    path("authorisations/<int:pk>/", views.authorisation_detail, name="authorisation_detail"),
    path(
        "authorisations/<int:pk>/revoke/",
        views.authorisation_revoke,
        name="authorisation_revoke",
    ),
    path(
        "authorisations/<int:pk>/evaluations/new/",
        views.evaluation_create,
        name="evaluation_create",
    ),
    path("files/<str:kind>/<int:pk>/", views.download, name="download"),
    # The enterprises' evaluations and their review (认账).
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
    path(
        "evaluations/<int:pk>/do/<str:action>/",
        views.evaluation_action,
        name="evaluation_action",
    ),
    # 行业公荐 and its public notice (公示).
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path("recommendations/new/", views.recommendation_create, name="recommendation_create"),
    path(
        "recommendations/<int:pk>/",
        views.recommendation_detail,
        name="recommendation_detail",
    ),
    path(
        "recommendations/<int:pk>/notice/",
        views.recommendation_notice,
        name="recommendation_notice",
    ),
    path(
        "recommendations/<int:pk>/finalise/",
        views.recommendation_finalise,
        name="recommendation_finalise",
    ),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/entries/<int:pk>/object/", views.objection_create, name="objection_create"),
    # Results.
    path("results/", views.result_list, name="result_list"),
    path("results/export.<str:fmt>", views.result_export, name="result_export"),
    path("results/new/", views.result_create, name="result_create"),
    path("results/<int:pk>/", views.result_detail, name="result_detail"),
    path("results/<int:pk>/revoke/", views.result_revoke, name="result_revoke"),
]
