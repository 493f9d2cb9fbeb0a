"""Records the recognition tests build on: the 示范区 (嘉善, 青浦, 吴江) with an officer each
(the cast has 嘉善's and 青浦's; 吴江's is added), catalogue entries of the four kinds, and
certificates in any state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from talentflow.recognition import services
from talentflow.recognition.models import CatalogueEntry, Certificate, Kind
from talentflow.reference.models import Alliance, Qualification, Region, TitleSeries
from talentflow.tests.factories import MembershipFactory, UserFactory

SYSTEM = {"actor": None, "system_label": "test"}
JIASHAN, QINGPU, WUJIANG = "330421", "310118", "320509"
YRD = "yrd-demo-zone"


def today() -> dt.date:
    return timezone.localdate()


def upload(name: str = "证书扫描件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 recognition evidence", "application/pdf")


@dataclass
class Zone:
    alliance: Alliance
    officer_wujiang: object
    qualification: CatalogueEntry
    title: CatalogueEntry
    permit: CatalogueEntry
    hours: CatalogueEntry


def zone(cast) -> Zone:
    alliance = Alliance.objects.get(code=YRD)
    wujiang = UserFactory(username="officer_wujiang", display_name="吴江人才办")
    MembershipFactory(user=wujiang, role="officer", region=Region.objects.get(code=WUJIANG))
    since = today() - dt.timedelta(days=400)
    common = {"alliance": alliance, "since": since, **SYSTEM}
    return Zone(
        alliance=alliance,
        officer_wujiang=wujiang,
        qualification=services.catalogue_create(
            kind=Kind.QUALIFICATION,
            qualification=Qualification.objects.order_by("entry_no").first(),
            **common,
        ),
        title=services.catalogue_create(
            kind=Kind.TITLE,
            title_series=TitleSeries.objects.exclude(title_senior_deputy="").order_by("seq")[0],
            **common,
        ),
        permit=services.catalogue_create(
            kind=Kind.WORK_PERMIT, name="外国高端人才（A类）工作许可", **common
        ),
        hours=services.catalogue_create(
            kind=Kind.CONTINUING_EDUCATION, name="专业技术人员继续教育学时", **common
        ),
    )


def apply(cast, entry: CatalogueEntry, region: str = JIASHAN, **kwargs) -> Certificate:
    if entry.kind == Kind.TITLE:
        kwargs.setdefault("title_level", "senior_deputy")
    if entry.kind == Kind.CONTINUING_EDUCATION:
        kwargs.setdefault("hours", 90)
    return services.certificate_apply(
        actor=cast.talent_user,
        talent=cast.talents["tangang"],
        entry=entry,
        issuing_region=Region.objects.get(code=region),
        uploads=[upload()],
        **kwargs,
    )


def certified(cast, entry: CatalogueEntry, region: str = JIASHAN, **kwargs) -> Certificate:
    certificate = apply(cast, entry, region, **kwargs)
    officer = {JIASHAN: cast.officer_jiashan, QINGPU: cast.officer_qingpu}[region]
    return services.certificate_certify(actor=officer, certificate=certificate)


def xlsx(rows, headers) -> bytes:
    """A workbook of one sheet: ``headers``, then ``rows`` (the imports' tests)."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
