"""Joint training (六方联动) at /programmes/training/: practice bases, cohorts and their
allocation, agreements, statistics. Names live in the ``programmes`` namespace."""

from django.urls import path

from talentflow.programmes import views_training as views

urlpatterns = [
    # Graduate practice bases (研究生实践基地) and the 育才补贴.
    path("bases/", views.practice_base_list, name="practice_base_list"),
    path("bases/export.<str:fmt>", views.practice_base_export, name="practice_base_export"),
    path("bases/new/", views.practice_base_create, name="practice_base_create"),
    path("bases/<int:pk>/", views.practice_base_detail, name="practice_base_detail"),
    path(
        "bases/<int:pk>/do/<str:action>/",
        views.practice_base_action,
        name="practice_base_action",
    ),
    path("bases/<int:pk>/subsidy/", views.practice_base_subsidy, name="practice_base_subsidy"),
    # Cohorts: the allocation of students to enterprise topics.
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/new/", views.cohort_create, name="cohort_create"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/mentors/", views.cohort_mentor, name="cohort_mentor"),
    path("cohorts/<int:pk>/topics/", views.cohort_topic, name="cohort_topic"),
    path("cohorts/<int:pk>/students/", views.cohort_student, name="cohort_student"),
    path("cohorts/<int:pk>/import/", views.cohort_import, name="cohort_import"),
    path("cohorts/<int:pk>/run/", views.cohort_run, name="cohort_run"),
    path(
        "cohorts/<int:pk>/students/<int:student_pk>/placement/",
        views.cohort_placement,
        name="cohort_placement",
    ),
    path("cohorts/<int:pk>/confirm/", views.cohort_confirm, name="cohort_confirm"),
    # Six-party agreements, milestones, trainees.
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/export.<str:fmt>", views.agreement_export, name="agreement_export"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<int:pk>/do/<str:action>/",
        views.agreement_action,
        name="agreement_action",
    ),
    path("agreements/<int:pk>/mentor/", views.agreement_mentor, name="agreement_mentor"),
    path("agreements/<int:pk>/milestones/", views.milestone_add, name="agreement_milestone_add"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="agreement_milestone_done"),
    path("trainees/<int:pk>/graduate/", views.trainee_graduate, name="agreement_trainee_graduate"),
    path(
        "trainees/<int:pk>/destination/",
        views.trainee_destination,
        name="agreement_trainee_destination",
    ),
    path("trainees/<int:pk>/withdraw/", views.trainee_withdraw, name="agreement_trainee_withdraw"),
    # Figures per region: mentors, students, graduates, retention.
    path("stats/", views.training_stats, name="training_stats"),
]
