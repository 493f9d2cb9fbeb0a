"""Writes to the directory. Each function is one atomic state change with one audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from talentflow.accounts import permissions
from talentflow.core import crypto
from talentflow.core.audit import audit_record, snapshot
from talentflow.core.models import DataSource
from talentflow.core.services import (
    add_m2m_to_new,
    apply_m2m,
    model_update,
    refuse_fields_outside,
    require,
)
from talentflow.core.validators import id_number_mask, normalise_code, validate_id_number
from talentflow.directory.models import (
    Affiliation,
    Organisation,
    Pool,
    TalentProfile,
)

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "uscc",
    "region",
    "industry",
    "parent",
    "address",
    "website",
    "description",
    "shared_with",
    "is_active",
)
ORGANISATION_M2M = ("shared_with",)

# Fields a talent may change on their own profile; officers may change all of TALENT_FIELDS.
TALENT_SELF_FIELDS = (
    "phone",
    "email",
    "education",
    "title_series",
    "title_level",
    "qualifications",
    "disciplines",
    "industries",
    "expertise",
    "biography",
    "availability",
)
TALENT_FIELDS = (
    "name",
    "gender",
    "birth_year",
    "home_region",
    "pools",
    "is_active",
    *TALENT_SELF_FIELDS,
)
TALENT_M2M = ("qualifications", "disciplines", "industries", "pools")


def _clean_or_raise(instance, *, exclude: Iterable[str] = ()) -> None:
    if getattr(instance, "uscc", None) is not None:
        instance.uscc = normalise_code(instance.uscc) or None
    # Each model's clean() restates its CHECK constraints with a message on the right field,
    # and the database enforces them; evaluating them again here costs a query per save.
    instance.full_clean(exclude=list(exclude), validate_constraints=False)


def normalise_expertise(value: str) -> str:
    """Keywords arrive separated by any of ，,、；; or spaces-in-lists; store them joined by ；."""
    for sep in "，,、;\n":
        value = value.replace(sep, "；")
    seen: list[str] = []
    for word in (w.strip() for w in value.split("；")):
        if word and word not in seen:
            seen.append(word)
    return "；".join(seen)


# Organisations ---------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    actor,
    name: str,
    kind: str,
    region,
    uscc: str | None = None,
    industry=None,
    parent=None,
    address: str = "",
    website: str = "",
    description: str = "",
    shared_with: Iterable = (),
    data_source: str = DataSource.ENTERED,
    system_label: str | None = None,
) -> Organisation:
    region_code = getattr(region, "pk", region)
    if actor is not None:
        require(
            permissions.can_create_organisation(actor, region_code=region_code),
            _("You may only register organisations in your own region."),
        )
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        uscc=uscc or None,
        region_id=region_code,
        industry_id=getattr(industry, "pk", industry),
        parent_id=getattr(parent, "pk", parent),
        address=address,
        website=website,
        description=description,
        data_source=data_source,
    )
    _clean_or_raise(organisation)
    organisation.save()
    links = {"shared_with": list(shared_with)}
    add_m2m_to_new(organisation, links, ORGANISATION_M2M)
    audit_record(
        actor=actor,
        action="organisation.create",
        obj=organisation,
        after=snapshot(organisation, m2m=links),
        region=organisation.region_id,
        system_label=system_label,
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, data: Mapping[str, Any]
) -> Organisation:
    require(permissions.can_edit_organisation(actor, organisation))
    scope = permissions.scope_for(actor)
    allowed = list(ORGANISATION_FIELDS)
    if not (scope.is_admin or scope.governs_region(organisation.region_id)):
        # An enterprise edits its own record, but not where it is registered or what it is:
        # those belong to the talent office of its region.
        allowed = [f for f in allowed if f not in {"kind", "uscc", "region", "shared_with"}]
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    refuse_fields_outside(
        instance=organisation, data=data, allowed=allowed, known=ORGANISATION_FIELDS
    )
    before = snapshot(organisation, m2m=ORGANISATION_M2M)
    changed, changed_m2m = model_update(instance=organisation, data=data, fields=allowed)
    if "region" in changed and not (scope.is_admin or scope.governs_region(organisation.region_id)):
        raise ValidationError(
            {"region": _("You may only move an organisation within your region.")}
        )
    if not changed and not changed_m2m:
        return organisation
    _clean_or_raise(organisation)
    organisation.save()
    apply_m2m(organisation, data, changed_m2m)
    audit_record(
        actor=actor,
        action="organisation.update",
        obj=organisation,
        before=before,
        after=snapshot(organisation, m2m=ORGANISATION_M2M),
        region=organisation.region_id,
    )
    return organisation


# Talents ---------------------------------------------------------------------------------


def _set_id_number(talent: TalentProfile, raw: str) -> None:
    code = normalise_code(raw)
    try:
        validate_id_number(code)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from error
    digest = crypto.lookup_digest(code)
    duplicate = TalentProfile.objects.filter(id_number_digest=digest).exclude(pk=talent.pk)
    if duplicate.exists():
        raise ValidationError(
            {"id_number": _("Another talent profile already has this identity number.")}
        )
    talent.id_number_encrypted = crypto.encrypt(code)
    talent.id_number_digest = digest
    talent.id_number_masked = id_number_mask(code)


@transaction.atomic
def talent_create(
    *,
    actor,
    name: str,
    home_region,
    id_number: str = "",
    data_source: str = DataSource.ENTERED,
    system_label: str | None = None,
    **fields: Any,
) -> TalentProfile:
    region_code = getattr(home_region, "pk", home_region)
    if actor is not None:
        require(
            permissions.can_create_talent(actor, region_code=region_code),
            _("You may only register talents whose home region is yours."),
        )
    unknown = set(fields) - set(TALENT_FIELDS) - {"user"}
    if unknown:
        raise TypeError(f"unknown talent fields: {sorted(unknown)}")
    talent = TalentProfile(name=name.strip(), home_region_id=region_code, data_source=data_source)
    plain = {k: v for k, v in fields.items() if k not in TALENT_M2M}
    if "expertise" in plain:
        plain["expertise"] = normalise_expertise(plain["expertise"])
    model_update(instance=talent, data=plain, fields=[*plain])
    if id_number:
        _set_id_number(talent, id_number)
    # The digest's uniqueness was checked by _set_id_number with a message people understand.
    _clean_or_raise(talent, exclude=["id_number_digest"])
    talent.save()
    links = {name: list(fields.get(name) or ()) for name in TALENT_M2M}
    add_m2m_to_new(talent, links, TALENT_M2M)
    audit_record(
        actor=actor,
        action="talent.create",
        obj=talent,
        after=snapshot(talent, m2m=links),
        region=talent.home_region_id,
        system_label=system_label,
    )
    return talent


@transaction.atomic
def talent_update(*, actor, talent: TalentProfile, data: Mapping[str, Any]) -> TalentProfile:
    require(permissions.can_edit_talent(actor, talent))
    scope = permissions.scope_for(actor)
    officer = scope.is_admin or scope.governs_region(talent.home_region_id)
    allowed = TALENT_FIELDS if officer else TALENT_SELF_FIELDS
    talent = TalentProfile.objects.select_for_update().get(pk=talent.pk)
    refuse_fields_outside(instance=talent, data=data, allowed=allowed, known=TALENT_FIELDS)
    before = snapshot(talent, m2m=TALENT_M2M)
    data = dict(data)
    if "expertise" in data:
        data["expertise"] = normalise_expertise(data["expertise"] or "")
    changed, changed_m2m = model_update(instance=talent, data=data, fields=allowed)
    if "home_region" in changed and not (
        scope.is_admin or scope.governs_region(talent.home_region_id)
    ):
        raise ValidationError(
            {"home_region": _("You may only move a talent within your own region.")}
        )
    id_number = normalise_code(data.get("id_number") or "")
    if id_number and officer and crypto.lookup_digest(id_number) != talent.id_number_digest:
        _set_id_number(talent, id_number)
        changed.append("id_number_masked")
    if not changed and not changed_m2m:
        return talent
    _clean_or_raise(talent)
    talent.save()
    apply_m2m(talent, data, changed_m2m)
    audit_record(
        actor=actor,
        action="talent.update",
        obj=talent,
        before=before,
        after=snapshot(talent, m2m=TALENT_M2M),
        region=talent.home_region_id,
    )
    return talent


# Affiliations ----------------------------------------------------------------------------


@transaction.atomic
def affiliation_create(
    *,
    actor,
    talent: TalentProfile,
    organisation: Organisation,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    position: str = "",
    note: str = "",
    system_label: str | None = None,
) -> Affiliation:
    if actor is not None:
        require(
            permissions.can_edit_talent(actor, talent)
            or permissions.can_edit_organisation(actor, organisation)
        )
    affiliation = Affiliation(
        talent=talent,
        organisation=organisation,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        position=position,
        note=note,
    )
    affiliation.full_clean()
    affiliation.save()
    audit_record(
        actor=actor,
        action="affiliation.create",
        obj=affiliation,
        after=snapshot(affiliation),
        region=organisation.region_id,
        system_label=system_label,
    )
    return affiliation


@transaction.atomic
def affiliation_end(*, actor, affiliation: Affiliation, end_date: dt.date) -> Affiliation:
    require(
        permissions.can_edit_talent(actor, affiliation.talent)
        or permissions.can_edit_organisation(actor, affiliation.organisation)
    )
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    if affiliation.end_date is not None:
        raise ValidationError({"end_date": _("This affiliation has already ended.")})
    before = snapshot(affiliation)
    affiliation.end_date = end_date
    affiliation.full_clean()
    affiliation.save(update_fields=["end_date", "updated_at"])
    audit_record(
        actor=actor,
        action="affiliation.end",
        obj=affiliation,
        before=before,
        after=snapshot(affiliation),
        region=affiliation.organisation.region,
    )
    return affiliation


# Pools -----------------------------------------------------------------------------------


@transaction.atomic
def pool_create(
    *,
    actor,
    code: str,
    name: str,
    region=None,
    alliance=None,
    description: str = "",
    system_label: str | None = None,
) -> Pool:
    if actor is not None:
        scope = permissions.scope_for(actor)
        region_code = getattr(region, "pk", region)
        require(
            scope.is_admin
            or (region_code is not None and scope.governs_region(region_code))
            or (alliance is not None and getattr(alliance, "pk", alliance) in scope.alliance_ids)
        )
    pool = Pool(
        code=code,
        name=name,
        description=description,
        region_id=getattr(region, "pk", region),
        alliance_id=getattr(alliance, "pk", alliance),
    )
    pool.full_clean()
    pool.save()
    audit_record(
        actor=actor,
        action="pool.create",
        obj=pool,
        after=snapshot(pool),
        region=pool.region,
        system_label=system_label,
    )
    return pool
