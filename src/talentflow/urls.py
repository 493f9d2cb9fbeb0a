from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from talentflow.api import api

admin.site.site_header = _("TalentFlow back office")
admin.site.site_title = _("TalentFlow")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("", include("talentflow.core.urls")),
    path("accounts/", include("talentflow.accounts.urls")),
    path("directory/", include("talentflow.directory.urls")),
    path("needs/", include("talentflow.needs.urls")),
    path("matching/", include("talentflow.matching.urls")),
    path("rules/", include("talentflow.rules.urls")),
    path("points/", include("talentflow.points.urls")),
    path("evaluation/", include("talentflow.evaluation.urls")),
    path("programmes/", include("talentflow.programmes.urls")),
    path("recognition/", include("talentflow.recognition.urls")),
    path("calls/", include("talentflow.calls.urls")),
    path("credentials/", include("talentflow.credentials.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
