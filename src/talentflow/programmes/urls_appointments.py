"""The appointment pages, under /programmes/ in the "programmes" namespace (urls.py)."""

from django.urls import path

from talentflow.programmes import views_appointments as views

urlpatterns = [
    # Requests (an enterprise asks for a 科技副总, an institution for an 产业教授) and the
    # office's candidates from the matching engine.
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/export.<str:fmt>", views.request_export, name="request_export"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<int:pk>/propose/", views.request_propose, name="request_propose"),
    # Appointments.
    path("", views.appointment_list, name="appointment_list"),
    path("appointments/export.<str:fmt>", views.appointment_export, name="appointment_export"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path(
        "appointments/<int:pk>/do/<str:action>/",
        views.appointment_action,
        name="appointment_action",
    ),
    path("appointments/<int:pk>/start/", views.appointment_start, name="appointment_start"),
    path("appointments/<int:pk>/renew/", views.appointment_renew, name="appointment_renew"),
    path("appointments/<int:pk>/logs/", views.worklog_add, name="worklog_add"),
    path("appointments/<int:pk>/reviews/", views.review_add, name="review_add"),
    path("appointments/<int:pk>/subsidy/", views.subsidy_apply, name="subsidy_apply"),
    path("appointments/<int:pk>/letter.pdf", views.appointment_letter, name="appointment_letter"),
    # Joint laboratories and the figures per region.
    path("joint-labs/", views.joint_lab_list, name="joint_lab_list"),
    path("joint-labs/new/", views.joint_lab_create, name="joint_lab_create"),
    path("stats/", views.stats, name="stats"),
]
