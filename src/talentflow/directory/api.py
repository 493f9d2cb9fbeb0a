"""The directory over the API: organisations, talents and their affiliations.

Each endpoint parses its input, resolves the natural codes in it, and calls one selector (to
read) or one service (to write). The selectors apply the caller's scope, so a list here holds
exactly what the same user's web list holds; the services check permissions and write the
audit trail. Nothing in this module decides who may see or change what.
"""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from talentflow.core.models import DataSource
from talentflow.directory import selectors, services
from talentflow.directory.filters import organisation_filters_from, talent_filters_from
from talentflow.directory.models import Affiliation, Organisation, Pool, TalentProfile
from talentflow.directory.schemas import (
    AffiliationIn,
    AffiliationOut,
    DisciplineIn,
    OrganisationDetailOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    OrganisationQuery,
    TalentDetailOut,
    TalentIn,
    TalentOut,
    TalentPatch,
    TalentQuery,
)
from talentflow.reference.models import (
    Alliance,
    Discipline,
    DisciplineScheme,
    Industry,
    Qualification,
    Region,
    TitleSeries,
)

router = Router(tags=["directory"])

# The web lists' page size, so page N of the API is page N of the web list.
PAGE_SIZE = settings.TALENTFLOW_PAGE_SIZE
MAX_PAGE_SIZE = 100


# Resolving natural codes -----------------------------------------------------------------


def _codes(values: Iterable[str]) -> list[str]:
    return [str(v).strip() for v in values if str(v).strip()]


def _join(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


class References:
    """Turns the codes of a request body into records, collecting every unknown code.

    All unknown codes are reported at once, each under the field that named it, as one 422.
    Pools and organisations resolve only among those the caller can see, so a body cannot
    be used to probe for records hidden from them.
    """

    def __init__(self, *, user) -> None:
        self.user = user
        self.errors: dict[str, list[str]] = {}

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    def region(self, field: str, code: str) -> Region | None:
        region = Region.objects.filter(code=code.strip()).first()
        if region is None:
            self.fail(field, _("Unknown region code: %(code)s.") % {"code": code})
        return region

    def industry(self, field: str, code: str | None) -> Industry | None:
        if not code or not code.strip():
            return None
        found = self.industries(field, [code])
        return found[0] if found else None

    def industries(self, field: str, codes: Iterable[str]) -> list[Industry]:
        wanted = [c.upper() for c in _codes(codes)]
        found = list(Industry.objects.filter(code__in=wanted))
        missing = sorted(set(wanted) - {i.code for i in found})
        if missing:
            self.fail(field, _("Unknown industry code: %(codes)s.") % {"codes": _join(missing)})
        return found

    def disciplines(self, field: str, items: Iterable[DisciplineIn | str]) -> list[Discipline]:
        wanted: list[tuple[str, str]] = []
        for item in items:
            if isinstance(item, str):
                code = item.strip().upper()
                if not code:
                    continue
                # The two catalogues cannot be confused: graduate codes are digits, NSFC
                # application codes begin with the letter of their department.
                scheme = (
                    DisciplineScheme.NSFC if code[0].isalpha() else DisciplineScheme.GRADUATE_2022
                )
                wanted.append((str(scheme), code))
            else:
                wanted.append((str(item.scheme.value), item.code.strip().upper()))
        if not wanted:
            return []
        match = Q(pk__in=[])
        for scheme, code in wanted:
            match |= Q(scheme=scheme, code=code)
        found = list(Discipline.objects.filter(match))
        missing = sorted(set(wanted) - {(d.scheme, d.code) for d in found})
        if missing:
            self.fail(
                field,
                _("Unknown discipline code: %(codes)s.")
                % {"codes": _join(f"{scheme}:{code}" for scheme, code in missing)},
            )
        return found

    def qualifications(self, field: str, numbers: Iterable[int]) -> list[Qualification]:
        wanted = set(numbers)
        found = list(Qualification.objects.filter(entry_no__in=wanted))
        missing = sorted(wanted - {q.entry_no for q in found})
        if missing:
            self.fail(
                field,
                _("Unknown qualification entry number: %(numbers)s.") % {"numbers": _join(missing)},
            )
        return found

    def title_series(self, field: str, seq: int | None) -> TitleSeries | None:
        if seq is None:
            return None
        series = TitleSeries.objects.filter(seq=seq).first()
        if series is None:
            self.fail(field, _("Unknown title series number: %(seq)s.") % {"seq": seq})
        return series

    def pools(self, field: str, codes: Iterable[str]) -> list[Pool]:
        wanted = _codes(codes)
        found = list(selectors.pool_visible(user=self.user).filter(code__in=wanted))
        missing = sorted(set(wanted) - {p.code for p in found})
        if missing:
            self.fail(field, _("Unknown talent pool: %(codes)s.") % {"codes": _join(missing)})
        return found

    def alliances(self, field: str, codes: Iterable[str]) -> list[Alliance]:
        wanted = _codes(codes)
        found = list(Alliance.objects.filter(code__in=wanted))
        missing = sorted(set(wanted) - {a.code for a in found})
        if missing:
            self.fail(field, _("Unknown alliance: %(codes)s.") % {"codes": _join(missing)})
        return found

    def organisation(self, field: str, pk: int | None) -> Organisation | None:
        if pk is None:
            return None
        organisation = selectors.organisation_visible(user=self.user).filter(pk=pk).first()
        if organisation is None:
            self.fail(field, _("Unknown organisation: %(id)s.") % {"id": pk})
        return organisation


def sent(payload: Schema, *, all_fields: bool = False) -> dict[str, Any]:
    """The fields of a body as parsed (nested schemas and enums intact): for a partial update
    only those the client sent, for a create every field with its default."""
    names = type(payload).model_fields if all_fields else payload.model_fields_set
    return {name: getattr(payload, name) for name in names}


def _text(value: str | None) -> str:
    return value if value is not None else ""


def organisation_data(payload: Mapping[str, Any], *, user) -> dict[str, Any]:
    """Service arguments from an organisation body (only the keys present in it)."""
    refs = References(user=user)
    data: dict[str, Any] = {}
    for name, value in payload.items():
        if name == "region":
            data[name] = refs.region(name, value)
        elif name == "industry":
            data[name] = refs.industry(name, value)
        elif name == "parent":
            data[name] = refs.organisation(name, value)
        elif name == "shared_with":
            data[name] = refs.alliances(name, value or [])
        elif name == "uscc":
            data[name] = (value or "").strip() or None
        elif name in {"address", "website", "description"}:
            data[name] = _text(value)
        else:
            data[name] = value
    refs.raise_if_any()
    return data


def talent_data(payload: Mapping[str, Any], *, user) -> dict[str, Any]:
    """Service arguments from a talent body (only the keys present in it)."""
    refs = References(user=user)
    data: dict[str, Any] = {}
    for name, value in payload.items():
        if name == "home_region":
            data[name] = refs.region(name, value)
        elif name == "title_series":
            data[name] = refs.title_series(name, value)
        elif name == "qualifications":
            data[name] = refs.qualifications(name, value or [])
        elif name == "disciplines":
            data[name] = refs.disciplines(name, value or [])
        elif name == "industries":
            data[name] = refs.industries(name, value or [])
        elif name == "pools":
            data[name] = refs.pools(name, value or [])
        elif name == "expertise":
            data[name] = "；".join(value) if isinstance(value, list) else _text(value)
        elif name in {"gender", "education", "title_level", "availability"}:
            data[name] = str(value.value) if value is not None else ""
        elif name in {"phone", "email", "id_number"}:
            data[name] = _text(value).strip()
        elif name == "biography":
            data[name] = _text(value)
        else:
            data[name] = value
    refs.raise_if_any()
    return data


# Organisations ---------------------------------------------------------------------------


@router.get("/organisations", response=list[OrganisationOut], summary="List organisations")
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def organisation_list(
    request: HttpRequest, filters: Query[OrganisationQuery]
) -> QuerySet[Organisation]:
    """The organisations you can see, filtered as on the web list, a page at a time."""
    params = filters.model_dump(mode="json", exclude_none=True)
    return selectors.organisation_list(
        user=request.auth, filters=organisation_filters_from({k: str(v) for k, v in params.items()})
    )


@router.post(
    "/organisations", response={201: OrganisationDetailOut}, summary="Register an organisation"
)
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Organisation:
    """Officers register organisations in their own region; administrators anywhere."""
    data = organisation_data(sent(payload, all_fields=True), user=request.auth)
    organisation = services.organisation_create(
        actor=request.auth, data_source=DataSource.API, **data
    )
    return selectors.organisation_get(user=request.auth, pk=organisation.pk)


@router.get(
    "/organisations/{organisation_id}",
    response=OrganisationDetailOut,
    summary="One organisation",
)
def organisation_detail(request: HttpRequest, organisation_id: int) -> Organisation:
    return selectors.organisation_get(user=request.auth, pk=organisation_id)


@router.patch(
    "/organisations/{organisation_id}",
    response=OrganisationDetailOut,
    summary="Change an organisation",
)
def organisation_update(
    request: HttpRequest, organisation_id: int, payload: OrganisationPatch
) -> Organisation:
    """Change the fields sent. An enterprise may edit its own record but not its kind, code,
    region or sharing, which belong to the talent office of its region."""
    organisation = selectors.organisation_get(user=request.auth, pk=organisation_id)
    data = organisation_data(sent(payload), user=request.auth)
    services.organisation_update(actor=request.auth, organisation=organisation, data=data)
    return selectors.organisation_get(user=request.auth, pk=organisation.pk)


# Talents ---------------------------------------------------------------------------------


@router.get("/talents", response=list[TalentOut], summary="List talents")
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def talent_list(request: HttpRequest, filters: Query[TalentQuery]) -> QuerySet[TalentProfile]:
    """The talents you can see, filtered as on the web list, a page at a time."""
    params = filters.model_dump(mode="json", exclude_none=True)
    return selectors.talent_list(
        user=request.auth, filters=talent_filters_from({k: str(v) for k, v in params.items()})
    )


@router.post("/talents", response={201: TalentDetailOut}, summary="Register a talent")
def talent_create(request: HttpRequest, payload: TalentIn) -> TalentProfile:
    """Officers register talents whose home region is theirs; administrators anywhere."""
    data = talent_data(sent(payload), user=request.auth)
    talent = services.talent_create(actor=request.auth, data_source=DataSource.API, **data)
    return selectors.talent_get(user=request.auth, pk=talent.pk)


@router.get("/talents/{talent_id}", response=TalentDetailOut, summary="One talent")
def talent_detail(request: HttpRequest, talent_id: int) -> TalentProfile:
    return selectors.talent_get(user=request.auth, pk=talent_id)


@router.patch("/talents/{talent_id}", response=TalentDetailOut, summary="Change a talent")
def talent_update(request: HttpRequest, talent_id: int, payload: TalentPatch) -> TalentProfile:
    """Change the fields sent. Officers of the home region change everything; a talent
    changes the self-service fields of their own profile."""
    talent = selectors.talent_get(user=request.auth, pk=talent_id)
    data = talent_data(sent(payload), user=request.auth)
    services.talent_update(actor=request.auth, talent=talent, data=data)
    return selectors.talent_get(user=request.auth, pk=talent.pk)


@router.get(
    "/talents/{talent_id}/affiliations",
    response=list[AffiliationOut],
    summary="A talent's affiliations",
)
def affiliation_list(request: HttpRequest, talent_id: int) -> list[Affiliation]:
    """Every affiliation of the talent, newest first: the record of where they worked."""
    return list(selectors.talent_get(user=request.auth, pk=talent_id).affiliations.all())


@router.post(
    "/talents/{talent_id}/affiliations",
    response={201: AffiliationOut},
    summary="Record an affiliation",
)
def affiliation_create(request: HttpRequest, talent_id: int, payload: AffiliationIn) -> Affiliation:
    """Tie the talent to an organisation from a date: employed, seconded, serving, studying."""
    talent = selectors.talent_get(user=request.auth, pk=talent_id)
    refs = References(user=request.auth)
    organisation = refs.organisation("organisation", payload.organisation)
    refs.raise_if_any()
    return services.affiliation_create(
        actor=request.auth,
        talent=talent,
        organisation=organisation,
        kind=payload.kind,
        start_date=payload.start_date,
        end_date=payload.end_date,
        position=payload.position,
        note=payload.note,
    )
