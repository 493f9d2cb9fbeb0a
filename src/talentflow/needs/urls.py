from django.urls import path

from talentflow.needs import views, views_solving

app_name = "needs"
urlpatterns = [
    # The lifecycle of a need (views.py): 出题, 助题, transitions, timeline, documents, visits.
    path("", views.need_list, name="list"),
    path("new/", views.need_create, name="create"),
    path("export.<str:fmt>", views.need_export, name="export"),
    path("<int:pk>/", views.need_detail, name="detail"),
    path("<int:pk>/edit/", views.need_edit, name="edit"),
    path("<int:pk>/criteria/", views.need_criteria, name="criteria"),
    path("<int:pk>/do/<str:action>/", views.need_transition, name="transition"),
    path("<int:pk>/timeline/", views.need_timeline, name="timeline"),
    path("<int:pk>/accept-terms/", views.need_accept_terms, name="accept_terms"),
    path("<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/needs/new/", views.visit_need_create, name="visit_need_create"),
    # Answering and valuing it (views_solving.py): proposals, engagement, 验题, 评价, reports.
    path("<int:pk>/proposals/new/", views_solving.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views_solving.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/select/", views_solving.proposal_select, name="proposal_select"),
    path(
        "proposals/<int:pk>/do/<str:action>/",
        views_solving.proposal_action,
        name="proposal_action",
    ),
    path(
        "<int:pk>/verification/start/",
        views_solving.verification_start,
        name="verification_start",
    ),
    path(
        "<int:pk>/verification/record/",
        views_solving.verification_record,
        name="verification_record",
    ),
    path("<int:pk>/outcomes/new/", views_solving.outcome_create, name="outcome_create"),
    path("outcomes/<int:pk>/do/<str:action>/", views_solving.outcome_action, name="outcome_action"),
    path(
        "milestones/<int:pk>/complete/",
        views_solving.milestone_complete,
        name="milestone_complete",
    ),
    path("reports/outcomes/", views_solving.outcome_report, name="outcome_report"),
    path("reports/engagements/", views_solving.engagement_report, name="engagement_report"),
]
