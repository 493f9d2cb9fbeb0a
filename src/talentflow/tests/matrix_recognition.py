"""Role-matrix rows for the recognition app's pages and API.

The records live in the 示范区: the alliance opens a work permit for recognition, 谭刚 applies
to 嘉善 and 嘉善 certifies it. So ``officer_jiashan`` is the issuer; ``officer_qingpu`` a partner
who sees the certified certificate (三地互认) but cannot act on it; 青田's and 丽水's officers are
of another alliance; ``admin`` sees everything but signs for no region.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from talentflow.tests.cast import Cast
from talentflow.tests.matrix_base import (
    ADMIN_AND_OFFICERS,
    Row,
    api_by_set,
    api_statuses,
    by_set,
    statuses,
)
from talentflow.tests.matrix_needs import _once

OFFICE = set(ADMIN_AND_OFFICERS)
TALENTS = {"talent_user", "student_user"}
SEE_CERTIFIED = {"admin", "officer_jiashan", "officer_qingpu", "talent_user"}
SEE_APPLIED = {"admin", "officer_jiashan", "talent_user"}
MAINTAIN_YRD = {"admin", "officer_jiashan", "officer_qingpu"}
ISSUERS = {"officer_jiashan", "officer_qingpu", "officer_qingtian", "officer_lishui"}
PERMIT = "矩阵测试外国高端人才工作许可"


def _today() -> dt.date:
    return timezone.localdate()


def entry(c: Cast, name: str = PERMIT) -> int:
    from talentflow.recognition import services
    from talentflow.reference.models import Alliance

    return _once(
        c,
        f"recognition:entry:{name}",
        lambda: services.catalogue_create(
            actor=None,
            system_label="matrix",
            alliance=Alliance.objects.get(code="yrd-demo-zone"),
            kind="work_permit",
            name=name,
            since=_today() - dt.timedelta(days=30),
        ),
    ).pk


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("许可证.pdf", b"%PDF-1.4 matrix", "application/pdf")


def applied(c: Cast) -> int:
    from talentflow.recognition import services
    from talentflow.recognition.models import CatalogueEntry
    from talentflow.reference.models import Region

    return _once(
        c,
        "recognition:applied",
        lambda: services.certificate_apply(
            actor=c.talent_user,
            talent=c.talents["tangang"],
            entry=CatalogueEntry.objects.get(pk=entry(c)),
            issuing_region=Region.objects.get(code="330421"),
            uploads=[_upload()],
        ),
    ).pk


def certified(c: Cast) -> int:
    from talentflow.recognition import services
    from talentflow.recognition.models import CatalogueEntry, Certificate
    from talentflow.reference.models import Region

    def build():
        draft = services.certificate_apply(
            actor=c.talent_user,
            talent=c.talents["tangang"],
            entry=CatalogueEntry.objects.get(pk=entry(c, "矩阵测试继续教育学时")),
            issuing_region=Region.objects.get(code="330421"),
            hours=72,
            uploads=[_upload()],
        )
        # entry kind is work_permit: the hours are dropped; certified by 嘉善.
        return services.certificate_certify(
            actor=c.officer_jiashan, certificate=Certificate.objects.get(pk=draft.pk)
        )

    return _once(c, "recognition:certified", build).pk


def evidence(c: Cast) -> int:
    from talentflow.recognition.models import Evidence

    return Evidence.objects.filter(certificate_id=certified(c)).values_list("pk", flat=True)[0]


def free_entry(c: Cast) -> int:
    return entry(c, "矩阵测试可删除事项")


RECOGNITION_ROWS: list[Row] = [
    # The catalogue: everyone signed in sees it; member officers maintain it.
    Row(
        "recognition:catalogue_list",
        "get",
        lambda c: (entry(c), reverse("recognition:catalogue_list"))[1],
        statuses(200),
        marker=PERMIT,
        marker_roles=set(statuses(200)) - {"anonymous"},
    ),
    Row(
        "recognition:catalogue_create",
        "get",
        lambda c: reverse("recognition:catalogue_create"),
        by_set(OFFICE, 200, 403),
    ),
    Row(
        "recognition:catalogue_import",
        "get",
        lambda c: reverse("recognition:catalogue_import"),
        by_set(OFFICE, 200, 403),
        marker="互认起始",
        marker_roles=OFFICE,
    ),
    Row(
        "recognition:catalogue_import_template",
        "get",
        lambda c: reverse("recognition:catalogue_import_template"),
        by_set(OFFICE, 200, 403),
    ),
    Row(
        "recognition:catalogue_export",
        "get",
        lambda c: (entry(c), reverse("recognition:catalogue_export", args=["csv"]))[1],
        statuses(200),
        marker=PERMIT,
        marker_roles=set(statuses(200)) - {"anonymous"},
    ),
    Row(
        "recognition:catalogue_remove",
        "post",
        lambda c: reverse("recognition:catalogue_remove", args=[free_entry(c)]),
        by_set(MAINTAIN_YRD, 302, 403),
    ),
    # Certificates.
    Row(
        "recognition:certificate_list",
        "get",
        lambda c: (certified(c), reverse("recognition:certificate_list"))[1],
        by_set(OFFICE | TALENTS, 200, 403),
        marker="谭刚",
        marker_roles=SEE_CERTIFIED,
    ),
    Row(
        "recognition:certificate_export",
        "get",
        lambda c: (certified(c), reverse("recognition:certificate_export", args=["csv"]))[1],
        by_set(OFFICE, 200, 403),
        marker="谭刚",
        marker_roles=SEE_CERTIFIED,
    ),
    Row(
        # Officers of a member region of some alliance (嘉善, 青浦, 青田; 丽水 governs 青田);
        # not the administrator: certificates are certified only by the issuing region.
        "recognition:certificate_import",
        "get",
        lambda c: reverse("recognition:certificate_import"),
        by_set(ISSUERS, 200, 403),
        marker="认定日期",
        marker_roles=ISSUERS,
    ),
    Row(
        "recognition:certificate_import_template",
        "get",
        lambda c: reverse("recognition:certificate_import_template"),
        by_set(ISSUERS, 200, 403),
    ),
    Row(
        "recognition:certificate_apply",
        "get",
        lambda c: reverse("recognition:certificate_apply"),
        by_set(TALENTS, 200, 403),
    ),
    Row(
        "recognition:certificate_detail",
        "get",
        lambda c: reverse("recognition:certificate_detail", args=[certified(c)]),
        by_set(SEE_CERTIFIED, 200, 404),
        marker='data-signature="valid"',
        marker_roles=SEE_CERTIFIED,
    ),
    Row(
        "recognition:certificate_action",
        "post",
        lambda c: reverse("recognition:certificate_action", args=[applied(c), "certify"]),
        {**by_set(SEE_APPLIED, 403, 404), "officer_jiashan": 302},
    ),
    Row(
        "recognition:evidence_download",
        "get",
        lambda c: reverse("recognition:evidence_download", args=[evidence(c)]),
        by_set(SEE_CERTIFIED, 200, 404),
    ),
    Row(
        "recognition:stats",
        "get",
        lambda c: reverse("recognition:stats"),
        by_set(OFFICE, 200, 403),
    ),
    # API.
    Row(
        "api:recognition_catalogue_list",
        "get",
        lambda c: (entry(c), reverse("api:recognition_catalogue_list"))[1],
        api_statuses(200),
        api=True,
        marker=PERMIT,
        marker_roles=set(api_statuses(200)) - {"anonymous"},
    ),
    Row(
        "api:recognition_catalogue_create",
        "post",
        lambda c: reverse("api:recognition_catalogue_create"),
        api_by_set(MAINTAIN_YRD, 201, 403),
        body=lambda c: {
            "alliance": "yrd-demo-zone",
            "kind": "work_permit",
            "name": "矩阵测试新事项",
            "since": _today().isoformat(),
        },
        api=True,
    ),
    Row(
        "api:recognition_catalogue_remove",
        "delete",
        lambda c: reverse("api:recognition_catalogue_remove", args=[free_entry(c)]),
        api_by_set(MAINTAIN_YRD, 204, 403),
        api=True,
    ),
    Row(
        "api:recognition_certificate_list",
        "get",
        lambda c: (certified(c), reverse("api:recognition_certificate_list"))[1],
        api_statuses(200),
        api=True,
        marker="谭刚",
        marker_roles=SEE_CERTIFIED,
    ),
    Row(
        "api:recognition_certificate_apply",
        "post",
        lambda c: reverse("api:recognition_certificate_apply"),
        api_by_set(TALENTS, 201, 403),
        body=lambda c: {"entry": entry(c), "issuing_region": "330421"},
        api=True,
    ),
    Row(
        "api:recognition_certificate_detail",
        "get",
        lambda c: reverse("api:recognition_certificate_detail", args=[certified(c)]),
        api_by_set(SEE_CERTIFIED, 200, 404),
        api=True,
    ),
    Row(
        "api:recognition_certificate_evidence",
        "post",
        lambda c: reverse("api:recognition_certificate_evidence", args=[applied(c)]),
        {**api_by_set(SEE_APPLIED, 403, 404), "talent_user": 201},
        body=lambda c: {"file": _upload()},
        api=True,
        multipart=True,
    ),
    Row(
        "api:recognition_certificate_action",
        "post",
        lambda c: reverse("api:recognition_certificate_action", args=[applied(c), "certify"]),
        {**api_by_set(SEE_APPLIED, 403, 404), "officer_jiashan": 200},
        body=lambda c: {},
        api=True,
    ),
    Row(
        "api:recognition_stats",
        "get",
        lambda c: reverse("api:recognition_stats"),
        api_by_set(OFFICE, 200, 403),
        api=True,
    ),
]
