"""Demo records: mutual recognition in the demonstration zone (一地认定、三地互认; DOMAIN.md M4).

The article reports 57 vocational qualifications and 27 title series opened for recognition,
388 people whose professional-technical qualifications (titles) were recognised and 400+
cross-province vocational-qualification recognitions. Here the zone's catalogue opens the
first 57 professional-technical entries of the 2021 national catalogue, all 27 title series and
two work-permit and two continuing-education entries; 嘉善, 青浦 and 吴江 each certify generated
talents of their own region (a talent's own title series and qualifications where the
generated step gave them some), so that the recognition figures, summed over the three
regions, are 388 and 412 at full scale. A few applications stay open, one is rejected and one
revoked; some continuing-education hours are recognised too (work permits only have their
catalogue entries: the generated people are not foreigners). The split per region, the dates,
the numbers and the reasons are the demo's assumptions: the article gives none.

``recognition_create(ctx)`` is a demo step: it writes only through the services, as the system
task; each certification is signed with the issuing region's key.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.utils import timezone

from talentflow.core.models import DataSource, Notification
from talentflow.demo import bulk
from talentflow.demo.context import SYSTEM_LABEL, DemoContext
from talentflow.demo.generated import TALENT_NOTE, person_name
from talentflow.demo.named import YRD
from talentflow.directory.models import (
    Affiliation,
    AffiliationKind,
    Education,
    Gender,
    Organisation,
    OrganisationKind,
    TalentProfile,
)
from talentflow.recognition import services
from talentflow.recognition.models import CatalogueEntry, Certificate, Kind
from talentflow.reference.models import Qualification, TitleLevel, TitleSeries

JIASHAN, QINGPU, WUJIANG = "330421", "310118", "320509"
REGIONS = (JIASHAN, QINGPU, WUJIANG)
SHANGHAI = ZoneInfo("Asia/Shanghai")
SYSTEM = {"actor": None, "system_label": SYSTEM_LABEL}

QUALIFICATIONS = 57  # S18
PROFESSIONAL = "专业技术人员职业资格"
SINCE = dt.date(2023, 12, 1)

# People recognised per issuing region at full scale: titles sum to 388 (S20), vocational
# qualifications to 412 ("400余人", S21).
TITLE_PEOPLE = {JIASHAN: 196, QINGPU: 95, WUJIANG: 97}
QUALIFICATION_PEOPLE = {JIASHAN: 214, QINGPU: 98, WUJIANG: 100}
CONTINUING_EDUCATION = {JIASHAN: 20, QINGPU: 15, WUJIANG: 15}

NAMED_ENTRIES = (
    (Kind.WORK_PERMIT, "外国高端人才（A类）工作许可", "示范区内一地核发，三地互认。"),
    (Kind.WORK_PERMIT, "外国专业人才（B类）工作许可", "示范区内一地核发，三地互认。"),
    (Kind.CONTINUING_EDUCATION, "专业技术人员继续教育公需科目学时", "三地学时互认。"),
    (Kind.CONTINUING_EDUCATION, "专业技术人员继续教育专业科目学时", "三地学时互认。"),
)
REJECT_REASON = (
    "所附职业资格证书无法在全国专业技术人员职业资格证书查询系统中核验，请补充原件后重新申请。"
)
REVOKE_REASON = "经原发证机关核查，原职称证书系违规取得，撤销本次认定。"
STATEMENT = "申请示范区跨省域互认（演示数据）。"
LEVEL_ORDER = (
    TitleLevel.INTERMEDIATE,
    TitleLevel.SENIOR_DEPUTY,
    TitleLevel.ASSISTANT,
    TitleLevel.SENIOR_FULL,
    TitleLevel.JUNIOR,
)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def targets(ctx: DemoContext) -> dict[str, dict[str, int]]:
    """The figures the step writes, per kind and issuing region, at the context's scale."""
    return {
        Kind.TITLE: {c: ctx.scaled(n, minimum=2) for c, n in TITLE_PEOPLE.items()},
        Kind.QUALIFICATION: {c: ctx.scaled(n, minimum=2) for c, n in QUALIFICATION_PEOPLE.items()},
        Kind.CONTINUING_EDUCATION: {
            c: ctx.scaled(n, minimum=1) for c, n in CONTINUING_EDUCATION.items()
        },
    }


def _catalogue(ctx: DemoContext) -> dict[str, list[CatalogueEntry]]:
    alliance = ctx.alliance(YRD)
    entries: dict[str, list[CatalogueEntry]] = {k.value: [] for k in Kind}
    for q in Qualification.objects.filter(personnel_type=PROFESSIONAL).order_by("entry_no")[
        :QUALIFICATIONS
    ]:
        entries[Kind.QUALIFICATION].append(
            services.catalogue_create(
                alliance=alliance, kind=Kind.QUALIFICATION, qualification=q, since=SINCE, **SYSTEM
            )
        )
    for series in TitleSeries.objects.order_by("seq"):
        entries[Kind.TITLE].append(
            services.catalogue_create(
                alliance=alliance, kind=Kind.TITLE, title_series=series, since=SINCE, **SYSTEM
            )
        )
    for kind, name, note in NAMED_ENTRIES:
        entries[kind].append(
            services.catalogue_create(
                alliance=alliance, kind=kind, name=name, note=note, since=SINCE, **SYSTEM
            )
        )
    return entries


def _people(ctx: DemoContext, rng: random.Random, code: str, n: int) -> tuple[list, int]:
    """At least ``n`` generated talents of the region, titled ones first; topped up with
    generated, labelled ones when the scale left too few."""
    found = list(
        TalentProfile.objects.filter(home_region_id=code, data_source=DataSource.GENERATED)
        .select_related("title_series")
        .prefetch_related("qualifications")
        .order_by("id")
    )
    missing = max(0, n - len(found))
    if missing:
        region = ctx.region(code)
        extra = []
        for _ in range(missing):
            gender = Gender.MALE if rng.random() < 0.6 else Gender.FEMALE
            extra.append(
                TalentProfile(
                    name=person_name(rng, gender),
                    gender=gender,
                    birth_year=rng.randint(1970, 1995),
                    home_region=region,
                    education=rng.choice([Education.BACHELOR, Education.MASTER]),
                    expertise="专业技术",
                    biography=TALENT_NOTE,
                    data_source=DataSource.GENERATED,
                )
            )
        bulk.talents_bulk_create(extra, m2m={}, system_label=SYSTEM_LABEL)
        # Like every generated talent, they work somewhere: the region's enterprises in turn.
        employers = list(
            Organisation.objects.filter(region_id=code, kind=OrganisationKind.ENTERPRISE).order_by(
                "id"
            )[:20]
        ) or list(Organisation.objects.filter(region_id=code).order_by("id")[:1])
        if employers:
            bulk.affiliations_bulk_create(
                [
                    Affiliation(
                        talent=talent,
                        organisation=employers[i % len(employers)],
                        kind=AffiliationKind.EMPLOYED,
                        start_date=dt.date(2018, 7, 1),
                        position="专业技术人员",
                    )
                    for i, talent in enumerate(extra)
                ],
                system_label=SYSTEM_LABEL,
            )
        found += extra
    return found, missing


def _title(rng: random.Random, talent, series_entries: dict[int, CatalogueEntry]):
    """The talent's own title series and level where the series has that title, else one
    chosen for them."""
    if talent.title_series_id and talent.title_series.title_at(talent.title_level):
        return series_entries[talent.title_series_id], talent.title_level
    entry = series_entries[rng.choice(sorted(series_entries))]
    for level in LEVEL_ORDER:
        if entry.title_series.title_at(level):
            return entry, level
    raise ValueError(f"title series {entry.title_series} has no level")  # pragma: no cover


def _qualification(rng: random.Random, talent, qual_entries: dict[int, CatalogueEntry]):
    own = [q.pk for q in talent.qualifications.all() if q.pk in qual_entries]
    return qual_entries[own[0] if own else rng.choice(sorted(qual_entries))]


class _Issuer:
    """Applies and certifies through the services, backdated; numbers original certificates."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0

    def apply(self, talent, entry, code: str, day: dt.date, **kwargs) -> Certificate:
        self.count += 1
        return services.certificate_apply(
            talent=talent,
            entry=entry,
            issuing_region=code,
            original_number=f"{entry.kind[:2].upper()}{day.year}{self.count:06d}",
            statement=STATEMENT,
            at=_at(day, 9),
            **kwargs,
            **SYSTEM,
        )

    def certify(self, talent, entry, code: str, start: dt.date, end: dt.date, **kwargs):
        day = _day(self.rng, start, end)
        certificate = self.apply(talent, entry, code, day, **kwargs)
        decided = day + dt.timedelta(days=self.rng.randint(3, 20))
        return services.certificate_certify(certificate=certificate, at=_at(decided, 15), **SYSTEM)


def recognition_create(ctx: DemoContext) -> int:
    alliance = ctx.alliance(YRD)
    if CatalogueEntry.objects.filter(alliance=alliance).exists():
        return 0
    rng = random.Random(f"{ctx.seed}-recognition")
    entries = _catalogue(ctx)
    series_entries = {e.title_series_id: e for e in entries[Kind.TITLE]}
    qual_entries = {e.qualification_id: e for e in entries[Kind.QUALIFICATION]}
    figures = targets(ctx)
    issuer = _Issuer(rng)
    created = sum(len(v) for v in entries.values())
    start, end = dt.date(2024, 1, 8), dt.date(2026, 5, 29)
    for code in REGIONS:
        n_title = figures[Kind.TITLE][code]
        n_qual = figures[Kind.QUALIFICATION][code]
        # One more each for an open application; 青浦 rejects one more, 嘉善 revokes one.
        people, added = _people(ctx, rng, code, max(n_title, n_qual) + 2)
        created += added
        titled = sorted(people, key=lambda t: (t.title_series_id is None, t.pk))
        if code == JIASHAN and "tangang" in ctx.talents:
            # 谭刚 (浙江大学, serving 福莱 in 嘉善 as 科技副总) has his professorship recognised
            # by 嘉善 (a demo assumption), so the demo's talent login holds a talent code. He
            # takes the first of 嘉善's places: the figures stay the article's.
            tangang = ctx.talents["tangang"]
            titled = [tangang, *(t for t in titled if t.pk != tangang.pk)]
        for talent in titled[:n_title]:
            entry, level = _title(rng, talent, series_entries)
            issuer.certify(talent, entry, code, start, end, title_level=level)
        entry, level = _title(rng, titled[n_title], series_entries)
        issuer.apply(
            talent=titled[n_title],
            entry=entry,
            code=code,
            day=dt.date(2026, 10, 12),
            title_level=level,
        )
        for talent in people[:n_qual]:
            issuer.certify(talent, _qualification(rng, talent, qual_entries), code, start, end)
        talent = people[n_qual]
        issuer.apply(talent, _qualification(rng, talent, qual_entries), code, dt.date(2026, 11, 3))
        if code == QINGPU:
            talent = people[n_qual + 1]
            certificate = issuer.apply(
                talent, _qualification(rng, talent, qual_entries), code, dt.date(2025, 9, 15)
            )
            services.certificate_reject(
                certificate=certificate,
                reason=REJECT_REASON,
                at=_at(dt.date(2025, 9, 26), 15),
                **SYSTEM,
            )
        if code == JIASHAN:
            talent = titled[n_title + 1]
            entry, level = _title(rng, talent, series_entries)
            certificate = issuer.certify(
                talent, entry, code, dt.date(2024, 6, 3), dt.date(2024, 6, 28), title_level=level
            )
            services.certificate_revoke(
                certificate=certificate,
                reason=REVOKE_REASON,
                at=_at(dt.date(2025, 3, 18), 11),
                **SYSTEM,
            )
        hours = entries[Kind.CONTINUING_EDUCATION]
        for i, talent in enumerate(people[: figures[Kind.CONTINUING_EDUCATION][code]]):
            issuer.certify(
                talent,
                hours[i % len(hours)],
                code,
                dt.date(2026, 1, 5),
                dt.date(2026, 6, 30),
                hours=rng.choice([24, 30, 42, 60, 72, 90]),
            )
    # The replay notified the zone's officers of two years of applications at once (about
    # 860 items): they start read, as the subsidies step does for its history.
    Notification.objects.filter(kind__startswith="recognition.", read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return created + issuer.count
