from django.urls import include, path

from talentflow.programmes import urls_appointments, urls_training

app_name = "programmes"
urlpatterns = [
    # Appointments: 科技副总, 产业教授, 合伙人, 互聘共享 (urls_appointments.py).
    path("", include(urls_appointments.urlpatterns)),
    # Joint training: practice bases, cohorts and allocation, agreements (urls_training.py).
    path("training/", include(urls_training.urlpatterns)),
]
