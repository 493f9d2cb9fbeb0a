"""Shapes of the directory API: what goes out, what comes in.

Outputs name related records by their natural codes (region 330421, industry 3391) next to
their names, so a reader needs no second call. Inputs take the same codes (see
``directory.api`` for how they are resolved); nothing in a body is a database id except
organisations, which have no other stable identifier that every organisation holds.
"""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
import datetime as dt

from ninja import Field, Schema
from pydantic import field_validator

from talentflow.directory.models import (
    AffiliationKind,
    Availability,
    Education,
    Gender,
    OrganisationKind,
)
from talentflow.reference.api import (
    AllianceRef,
    DisciplineOut,
    IndustryOut,
    QualificationOut,
    RegionOut,
    TitleSeriesOut,
)
from talentflow.reference.models import DisciplineScheme, TitleLevel

# Outputs ---------------------------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: str
    kind: str


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str = Field(description="One of the organisation kinds, e.g. enterprise, university")
    kind_label: str = Field(description="The kind in the request's language")
    uscc: str | None = Field(description="Unified social credit code (GB 32100-2015)")
    region: RegionOut
    industry: IndustryOut | None
    parent: OrganisationRef | None
    address: str
    website: str
    description: str
    data_source: str
    is_active: bool
    url: str = Field(description="The organisation's page in the web application")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class OrganisationDetailOut(OrganisationOut):
    shared_with: list[AllianceRef] = Field(
        description="Alliances whose member regions' officers can also see this record"
    )


class AffiliationOut(Schema):
    id: int
    kind: str = Field(description="employed, seconded, serving or studying")
    kind_label: str
    organisation: OrganisationRef
    position: str
    start_date: dt.date
    end_date: dt.date | None
    note: str
    is_current: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class TalentOut(Schema):
    id: int
    name: str
    gender: str
    birth_year: int | None
    education: str
    id_number_masked: str = Field(
        description="The identity number with all but the first and last four characters "
        "hidden; the number itself is never returned"
    )
    home_region: RegionOut
    title_series: TitleSeriesOut | None
    title_level: str
    title_name: str = Field(description="The title held, e.g. 正高级工程师")
    expertise: list[str]
    availability: str
    data_source: str
    is_active: bool
    current_affiliations: list[AffiliationOut] = Field(
        description="Affiliations without an end date"
    )
    url: str = Field(description="The talent's page in the web application")
    updated_at: dt.datetime

    @staticmethod
    def resolve_expertise(obj) -> list[str]:
        return obj.expertise_list

    @staticmethod
    def resolve_current_affiliations(obj) -> list:
        current = getattr(obj, "current_affiliations", None)
        if current is not None:
            return current
        # The detail selector prefetches every affiliation instead; filtering in Python keeps
        # the prefetch in use.
        return [a for a in obj.affiliations.all() if a.end_date is None]

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class PoolRef(Schema):
    code: str
    name: str


class TalentDetailOut(TalentOut):
    phone: str
    email: str
    biography: str
    qualifications: list[QualificationOut]
    disciplines: list[DisciplineOut]
    industries: list[IndustryOut]
    pools: list[PoolRef]
    affiliations: list[AffiliationOut] = Field(description="Every affiliation, newest first")
    has_account: bool = Field(description="Whether the talent signs in to keep the profile")

    @staticmethod
    def resolve_has_account(obj) -> bool:
        return obj.user_id is not None


# Inputs ----------------------------------------------------------------------------------

REGION_HELP = "GB/T 2260 region code, e.g. 330421 (嘉善县)"
INDUSTRY_HELP = "GB/T 4754-2017 industry code, e.g. 3391, or a section letter"


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: OrganisationKind
    region: str = Field(description=REGION_HELP, max_length=6)
    uscc: str | None = Field(
        None, description="Unified social credit code; required for enterprises", max_length=32
    )
    industry: str | None = Field(None, description=INDUSTRY_HELP, max_length=4)
    parent: int | None = Field(None, description="Id of a parent organisation you can see")
    address: str = Field("", max_length=255)
    website: str = Field("", max_length=200)
    description: str = ""
    shared_with: list[str] = Field(
        default_factory=list,
        description="Alliance codes, e.g. yrd-demo-zone: officers of their members see it too",
    )


class OrganisationPatch(Schema):
    """Only the fields sent are changed. A field that may be empty is cleared with null."""

    # Typed without None: these may be left out, but not cleared.
    name: str = Field(None, min_length=1, max_length=200)
    kind: OrganisationKind = None
    region: str = Field(None, description=REGION_HELP, max_length=6)
    is_active: bool = None
    uscc: str | None = Field(None, max_length=32)
    industry: str | None = Field(None, description=INDUSTRY_HELP, max_length=4)
    parent: int | None = None
    address: str | None = Field(None, max_length=255)
    website: str | None = Field(None, max_length=200)
    description: str | None = None
    shared_with: list[str] | None = Field(None, description="Alliance codes")


class DisciplineIn(Schema):
    scheme: DisciplineScheme
    code: str = Field(max_length=16)


DISCIPLINES_HELP = (
    'Disciplines as {"scheme": "grad2022", "code": "0805"} or as a bare code: a code that '
    "starts with a digit is in the graduate catalogue (grad2022, e.g. 0805), one that starts "
    "with a letter is an NSFC application code (nsfc, e.g. E01)"
)
EXPERTISE_HELP = "Keywords, as a list or one string separated by ；"


class TalentFieldsIn(Schema):
    """The talent fields shared by create and update (see TalentIn and TalentPatch)."""

    gender: Gender | None = None
    birth_year: int | None = Field(None, ge=1920, le=2015)
    education: Education | None = None
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    title_series: int | None = Field(
        None, description="Number (seq) of the title series, 1-27, e.g. 5 for 工程技术人员"
    )
    title_level: TitleLevel | None = None
    qualifications: list[int] | None = Field(
        None, description="Entry numbers in the national vocational qualification catalogue"
    )
    disciplines: list[DisciplineIn | str] | None = Field(None, description=DISCIPLINES_HELP)
    industries: list[str] | None = Field(None, description="GB/T 4754-2017 industry codes")
    expertise: list[str] | str | None = Field(None, description=EXPERTISE_HELP)
    biography: str | None = None
    availability: Availability | None = None
    pools: list[str] | None = Field(None, description="Codes of talent pools you can see")
    id_number: str | None = Field(
        None,
        description="Identity number (GB 11643-1999). Write-only: stored encrypted, "
        "only id_number_masked is ever returned. Officers only on update.",
        max_length=32,
        json_schema_extra={"writeOnly": True},
    )


class TalentIn(TalentFieldsIn):
    name: str = Field(min_length=1, max_length=64)
    home_region: str = Field(description=REGION_HELP, max_length=6)


class TalentPatch(TalentFieldsIn):
    """Only the fields sent are changed; null clears a field that may be empty."""

    name: str = Field(None, min_length=1, max_length=64)
    home_region: str = Field(None, description=REGION_HELP, max_length=6)
    is_active: bool = None


class AffiliationIn(Schema):
    organisation: int = Field(description="Id of an organisation you can see")
    kind: AffiliationKind
    start_date: dt.date
    end_date: dt.date | None = None
    position: str = Field("", max_length=64)
    note: str = Field("", max_length=255)

    @field_validator("position", "note", mode="before")
    @classmethod
    def _none_is_empty(cls, value):
        return "" if value is None else value


# Query parameters ------------------------------------------------------------------------


class OrganisationQuery(Schema):
    q: str | None = Field(None, description="Words in the name, description or address; a USCC")
    kind: OrganisationKind | None = None
    region: str | None = Field(None, description="Region code; a prefecture covers its counties")
    industry: str | None = Field(None, description="Industry code or section letter")


class TalentQuery(Schema):
    q: str | None = Field(None, description="Words in the name, expertise, biography or employer")
    region: str | None = Field(None, description="Home region, or region of a current organisation")
    industry: str | None = Field(None, description="Industry code or section letter")
    discipline: str | None = Field(None, description="Discipline code (prefix)")
    title_series: int | None = Field(
        None, description="Title series id, as in the title-series lookup"
    )
    title_level: TitleLevel | None = None
    pool: str | None = Field(None, description="Pool code or id")
    education: Education | None = None
    availability: Availability | None = None
    organisation: int | None = Field(None, description="Organisation id")
