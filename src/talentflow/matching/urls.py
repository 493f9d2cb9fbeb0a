from django.urls import path

from talentflow.matching import views

app_name = "matching"
urlpatterns = [
    path("needs/<int:pk>/experts/", views.need_panel, name="need_experts"),
    path("needs/<int:pk>/invite/", views.invite, name="invite"),
    path("for-me/", views.for_me, name="for_me"),
    path("invitations/<int:pk>/decline/", views.invitation_decline, name="invitation_decline"),
    path("suggest-codes/", views.suggest_codes, name="suggest_codes"),
    path("allocation/", views.allocation, name="allocation"),
    path("talents/<int:pk>/interests/", views.talent_interests, name="talent_interests"),
]
