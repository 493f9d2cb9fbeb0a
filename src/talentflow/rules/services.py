"""Writes of the rules app: policies and their versions, budgets, applications (申报), their
review, and payouts. Each function is one atomic state change with one audit event; applicants
and reviewers are notified in the same transaction (e-mails after the commit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.accounts.models import Membership, Role
from talentflow.core.audit import audit_record, snapshot
from talentflow.core.notifications import notify, register
from talentflow.core.services import event_time as _when
from talentflow.core.services import require
from talentflow.core.uploads import check_upload
from talentflow.rules import facts as fact_specs
from talentflow.rules import permissions, selectors, workflow
from talentflow.rules import policy as engine
from talentflow.rules.models import (
    ApplicantKind,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Evidence,
    Payout,
    Policy,
    PolicyKind,
    PolicyVersionRecord,
    PolicyYear,
    VersionStatus,
    json_value,
)

for _kind, _message in {
    "rules.submitted": gettext_lazy("%(applicant)s applied for %(policy)s: %(amount)s yuan."),
    "rules.finance_review": gettext_lazy(
        "The talent office approved %(applicant)s's application for %(policy)s "
        "(%(amount)s yuan): finance review."
    ),
    "rules.returned": gettext_lazy(
        "Your application for %(policy)s was returned for amendment: %(reason)s"
    ),
    "rules.approved": gettext_lazy(
        "Your application for %(policy)s was approved: %(amount)s yuan."
    ),
    "rules.paid": gettext_lazy("%(amount)s yuan of %(policy)s were paid to %(applicant)s."),
    "rules.withdrawn": gettext_lazy(
        "%(applicant)s withdrew its application for %(policy)s. %(reason)s"
    ),
}.items():
    register(_kind, _message)

CENT = Decimal("0.01")
# Who is notified about what, by party.
SECOND_STEP = {PolicyKind.MONEY: ApplicationStatus.FINANCE_REVIEW}


# Helpers ---------------------------------------------------------------------------------


def _region_users(policy: Policy, role: str):
    code = policy.region_id
    codes = {code, code[:4] + "00", code[:2] + "0000"}
    return [
        m.user
        for m in Membership.objects.filter(
            role=role, region_id__in=codes, is_active=True
        ).select_related("user")
    ]


def _applicant_users(application: Application):
    if application.applicant_organisation_id is not None:
        return [
            m.user
            for m in Membership.objects.filter(
                organisation_id=application.applicant_organisation_id,
                role=Role.ENTERPRISE,
                is_active=True,
            ).select_related("user")
        ]
    talent = application.applicant_talent
    return [talent.user] if talent is not None and talent.user_id else []


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _tell(application: Application, kind: str, recipients, *, actor, **extra: Any) -> None:
    notify(
        recipients=recipients,
        kind=kind,
        params={
            "policy": application.policy.name,
            "applicant": application.applicant_name,
            "amount": _money(application.amount),
            **extra,
        },
        url=application.get_absolute_url(),
        exclude=actor,
    )


def _event(application: Application, *, actor, action: str, old: str, note: str, at) -> None:
    ApplicationEvent.objects.create(
        application=application,
        action=action,
        from_status=old,
        to_status=application.status,
        note=note,
        actor=actor,
        at=at,
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    return reason


# Policies, versions, budgets -------------------------------------------------------------


@transaction.atomic
def policy_create(
    *,
    actor,
    code: str,
    name: str,
    region,
    kind: str,
    applicant_kind: str,
    name_en: str = "",
    description: str = "",
    versions: Sequence[engine.PolicyVersion] = (),
    system_label: str | None = None,
) -> Policy:
    """A policy with its first (published) versions, e.g. from ``seeds``."""
    if actor is not None:
        require(
            permissions.scope_for(actor).is_admin, _("Only a platform administrator does this.")
        )
    policy = Policy(
        code=code,
        name=name,
        name_en=name_en,
        region=region,
        kind=kind,
        applicant_kind=applicant_kind,
        description=description,
    )
    policy.full_clean()
    policy.save()
    now = timezone.now()
    for pure in versions:
        if pure.kind != kind:
            raise ValidationError({"kind": _("The versions are of another kind than the policy.")})
        PolicyVersionRecord.objects.create(
            policy=policy,
            status=VersionStatus.PUBLISHED,
            published_at=now,
            created_by=actor,
            published_by=actor,
            **PolicyVersionRecord.fields_from_pure(pure),
        )
    audit_record(
        actor=actor,
        action="policy.create",
        obj=policy,
        after={**snapshot(policy), "versions": [v.version for v in versions]},
        region=policy.region_id,
        system_label=system_label,
    )
    return policy


# The seed's policies of 嘉善 (DOMAIN.md M1, M3): code → (name, English name, kind, who applies,
# description, versions).
SEED_DEFINITIONS = {
    "practice_base_subsidy": (
        "研究生实践基地育才补贴",
        "Graduate practice base subsidy",
        PolicyKind.MONEY,
        ApplicantKind.ENTERPRISE,
        "嘉善“六方联动”：被认定为研究生实践基地的企业，一次性给予育才补贴3万元。",
    ),
    "vice_president_subsidy": (
        "科技副总（英才D类）薪酬补贴",
        "Technology vice president (英才D类) subsidy",
        PolicyKind.MONEY,
        ApplicantKind.ENTERPRISE,
        "企业聘任的科技副总可按英才D类人才认定，按企业支付年薪的40%给予补贴，每年最高20万元。",
    ),
    "joint_training_priority": (
        "联合培养导师与研究生优先支持",
        "Joint-training priority for mentors and students",
        PolicyKind.FLAG,
        ApplicantKind.TALENT,
        "“六方联动”联合培养的导师和研究生，在人才和科技项目申报、职称评审中优先支持。",
    ),
}


@transaction.atomic
def seed_policies_create(*, region, system_label: str = "seed") -> dict[str, Policy]:
    """The three seed policies of ``region`` (嘉善 in the demo and the tests), once."""
    from talentflow.rules.seeds import SEED_POLICIES

    created = {}
    for code, (name, name_en, kind, applicant, description) in SEED_DEFINITIONS.items():
        existing = Policy.objects.filter(code=code).first()
        created[code] = existing or policy_create(
            actor=None,
            system_label=system_label,
            code=code,
            name=name,
            name_en=name_en,
            region=region,
            kind=kind,
            applicant_kind=applicant,
            description=description,
            versions=SEED_POLICIES[code],
        )
    return created


@transaction.atomic
def policy_year_set(
    *, actor, policy: Policy, year: int, budget: Decimal, system_label: str | None = None
) -> PolicyYear:
    """Set a year's budget. It may not fall below what is already committed and paid."""
    if actor is not None:
        require(permissions.can_manage_policy(actor, policy))
    if not policy.is_money:
        raise ValidationError(_("A priority policy has no budget."))
    row = PolicyYear.objects.select_for_update().filter(policy=policy, year=year).first()
    before = snapshot(row) if row is not None else None
    figures = selectors.budget_figures(policy, year)
    if budget < figures.committed + figures.paid:
        raise ValidationError(
            {
                "budget": _("The budget cannot be less than what is committed and paid: %(sum)s.")
                % {"sum": _money(figures.committed + figures.paid)}
            }
        )
    row = row or PolicyYear(policy=policy, year=year, budget=budget)
    row.budget = budget
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="policy.budget",
        obj=policy,
        before=before,
        after=snapshot(row),
        region=policy.region_id,
        system_label=system_label,
    )
    return row


def _version_snapshot(version: PolicyVersionRecord) -> dict[str, Any]:
    # core.audit.snapshot sorts lists; a version's steps keep their order (the last is the
    # amount), so they are recorded as they are.
    return {
        "policy": version.policy_id,
        "number": version.number,
        "effective_from": version.effective_from.isoformat(),
        "params": dict(version.params),
        "eligibility": version.eligibility,
        "steps": [dict(s) for s in version.steps],
        "facts": [
            {"name": n, "kind": fact_specs.spec(n, version.fact_kinds).kind} for n in version.facts
        ],
        "status": version.status,
        "note": version.note,
    }


def _version_locked(version: PolicyVersionRecord) -> PolicyVersionRecord:
    return (
        PolicyVersionRecord.objects.select_for_update(of=("self",))
        .select_related("policy")
        .get(pk=version.pk)
    )


@transaction.atomic
def version_draft_create(
    *, actor, policy: Policy, system_label: str | None = None
) -> PolicyVersionRecord:
    """A draft: a copy of the current version, starting the day after it (or today)."""
    if actor is not None:
        require(permissions.can_manage_policy(actor, policy))
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if selectors.draft_version(policy) is not None:
        raise ValidationError(_("This policy already has a draft version."))
    current = selectors.current_version(policy)
    if current is None:
        raise ValidationError(_("The policy has no published version to copy."))
    number = (policy.versions.order_by("-number").values_list("number", flat=True).first()) + 1
    draft = PolicyVersionRecord.objects.create(
        policy=policy,
        number=number,
        effective_from=max(timezone.localdate(), current.effective_from + dt.timedelta(days=1)),
        params=dict(current.params),
        eligibility=current.eligibility,
        steps=[dict(s) for s in current.steps],
        facts=list(current.facts),
        fact_kinds=dict(current.fact_kinds),
        status=VersionStatus.DRAFT,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="policy.version_draft",
        obj=draft,
        after=_version_snapshot(draft),
        region=policy.region_id,
        system_label=system_label,
    )
    return draft


def parse_params(raw: Mapping[str, Any], known: Iterable[str]) -> dict[str, Any]:
    """Parameter values as stored: exact decimals as strings, yes/no as booleans. Floats are
    refused (money and rates are exact); unknown names too (a version's names are fixed by its
    expressions)."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    known = set(known)
    for name, value in raw.items():
        if name not in known:
            errors[name] = _("Unknown parameter.")
            continue
        if isinstance(value, bool):
            out[name] = value
            continue
        if isinstance(value, float):
            errors[name] = _('Amounts and rates are exact: send them as text, e.g. "0.40".')
            continue
        text = str(value).replace(",", "").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            errors[name] = _("Enter an exact number, e.g. 200000 or 0.40.")
            continue
        if not number.is_finite() or number < 0:
            errors[name] = _("Enter a number of at least 0.")
            continue
        out[name] = json_value(number)
    missing = known - set(raw)
    for name in missing:
        errors[name] = _("This parameter is required.")
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def version_update(
    *,
    actor,
    version: PolicyVersionRecord,
    effective_from: dt.date | None = None,
    params: Mapping[str, Any] | None = None,
    eligibility: str | None = None,
    steps: Sequence[Mapping[str, str]] | None = None,
    facts: Sequence[Mapping[str, str]] | None = None,
    note: str | None = None,
) -> PolicyVersionRecord:
    """Change a draft: its start date, parameters, the facts it asks (each a name and a type),
    eligibility and steps. A published version never changes."""
    version = _version_locked(version)
    if actor is not None:
        require(permissions.can_manage_policy(actor, version.policy))
    if not version.is_draft:
        raise ValidationError(_("A published version cannot be changed; make a new draft."))
    before = _version_snapshot(version)
    if params is not None:
        version.params = parse_params(params, version.params.keys())
    if eligibility is not None:
        version.eligibility = eligibility.strip()
    if steps is not None:
        version.steps = [
            {
                "name": str(s.get("name", "")).strip(),
                "expression": str(s.get("expression", "")).strip(),
                "reads": str(s.get("reads", "")).strip(),
            }
            for s in steps
        ]
    if facts is not None:
        version.facts, version.fact_kinds = parse_facts(facts, version)
    if effective_from is not None:
        version.effective_from = effective_from
    if note is not None:
        version.note = note.strip()[:200]
    _validate_version(version)
    version.save()
    audit_record(
        actor=actor,
        action="policy.version_update",
        obj=version,
        before=before,
        after=_version_snapshot(version),
        region=version.policy.region_id,
    )
    return version


def parse_facts(
    raw: Sequence[Mapping[str, str]], version: PolicyVersionRecord
) -> tuple[list[str], dict[str, str]]:
    """A version's facts as stored: the names in order, and each one's type. A name is letters,
    digits and underscores, used once, and neither a parameter nor a step; the type is money,
    number, yes/no, date or text (the platform's own facts may keep theirs)."""
    errors: list[str] = []
    names: list[str] = []
    kinds: dict[str, str] = {}
    taken = set(version.params) | {str(s.get("name", "")) for s in version.steps}
    for entry in raw:
        name = str(entry.get("name", "")).strip()
        kind = str(entry.get("kind", "")).strip()
        known = fact_specs.FACTS.get(name)
        if (
            not name.isidentifier()
            or not name.isascii()
            or name.lower() in {"true", "false", "null"}
        ):
            errors.append(
                _("“%(name)s” is not a name of letters, digits and underscores.") % {"name": name}
            )
        elif name in names:
            errors.append(_("The fact %(name)s is listed twice.") % {"name": name})
        elif name in taken:
            errors.append(_("%(name)s is already a parameter or a step.") % {"name": name})
        elif kind not in fact_specs.KINDS and not (known is not None and kind == known.kind):
            errors.append(
                _("%(name)s: the type must be one of %(kinds)s.")
                % {"name": name, "kinds": ", ".join(fact_specs.KINDS)}
            )
        elif known is not None and known.derived and kind != known.kind:
            errors.append(_("%(name)s is computed by the platform as a yes/no.") % {"name": name})
        else:
            names.append(name)
            kinds[name] = kind
    if errors:
        raise ValidationError({"facts": errors})
    return names, kinds


def _validate_version(version: PolicyVersionRecord) -> engine.PolicyVersion:
    errors: dict[str, Any] = {}
    current = selectors.current_version(version.policy)
    if current is not None and version.effective_from <= current.effective_from:
        errors["effective_from"] = _(
            "A new version must start after the current one (from %(day)s)."
        ) % {"day": current.effective_from.isoformat()}
    for step in version.steps:
        if not step["name"].isidentifier():
            errors["steps"] = _("Each step needs a name of letters, digits and underscores.")
    if not version.steps:
        errors["steps"] = _("A version needs at least one step.")
    if errors:
        raise ValidationError(errors)
    try:
        pure = version.to_pure()
    except engine.PolicyError as error:
        raise ValidationError({"steps": str(error)}) from error
    # Try the version on sample facts, so an expression that parses but cannot compute (a
    # name that does not exist, text where a number is needed) is refused now.
    sample = {name: fact_specs.sample(name, version.fact_kinds) for name in pure.facts}
    try:
        engine.compute(pure, sample)
    except engine.PolicyError as error:
        raise ValidationError({"steps": str(error)}) from error
    return pure


@transaction.atomic
def version_publish(
    *, actor, version: PolicyVersionRecord, system_label: str | None = None
) -> PolicyVersionRecord:
    """Publish a draft: from its start date it decides new applications and resubmissions.
    Applications already computed keep their computation."""
    version = _version_locked(version)
    if actor is not None:
        require(permissions.can_manage_policy(actor, version.policy))
    if not version.is_draft:
        raise ValidationError(_("This version is already published."))
    _validate_version(version)
    before = _version_snapshot(version)
    version.status = VersionStatus.PUBLISHED
    version.published_by = actor
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="policy.version_publish",
        obj=version,
        before=before,
        after=_version_snapshot(version),
        region=version.policy.region_id,
        system_label=system_label,
    )
    return version


@transaction.atomic
def version_discard(
    *, actor, version: PolicyVersionRecord, system_label: str | None = None
) -> None:
    """Discard a draft: it is deleted, and the policy may get a new draft. A published version
    is never discarded (applications were decided with it, or may be)."""
    version = _version_locked(version)
    if actor is not None:
        require(permissions.can_manage_policy(actor, version.policy))
    if not version.is_draft:
        raise ValidationError(_("A published version cannot be discarded."))
    if version.applications.exists():  # never so today: drafts decide nothing
        raise ValidationError(_("Applications were computed with this version."))
    before = _version_snapshot(version)
    policy = version.policy
    version.delete()
    # Recorded on the policy: the draft is gone, its content stays in the trail.
    audit_record(
        actor=actor,
        action="policy.version_discard",
        obj=policy,
        before=before,
        after={"discarded": True},
        region=policy.region_id,
        system_label=system_label,
    )


# Applications ----------------------------------------------------------------------------


def _derived(policy: Policy, names: Iterable[str], application: Application) -> dict[str, Any]:
    """The facts the platform knows itself."""
    out: dict[str, Any] = {}
    if "subsidy_received" in names:
        others = Application.objects.filter(
            policy=policy,
            status__in=[ApplicationStatus.APPROVED, ApplicationStatus.PAID],
        ).exclude(pk=application.pk)
        if application.applicant_organisation_id is not None:
            others = others.filter(applicant_organisation_id=application.applicant_organisation_id)
        else:
            others = others.filter(applicant_talent_id=application.applicant_talent_id)
        out["subsidy_received"] = others.exists()
    return out


def _facts_of(policy: Policy, on: dt.date) -> tuple[list[str], dict[str, str]]:
    """The facts the version in force on ``on`` asks, and their types."""
    try:
        version = selectors.version_in_force(policy, on)
        return list(version.facts), dict(version.fact_kinds)
    except engine.PolicyError as error:
        raise ValidationError(
            {"applied_on": _("No version of the policy is in force on this date.")}
        ) from error


def _check_talent(policy: Policy, talent, organisation) -> None:
    if policy.code != "vice_president_subsidy":
        return
    if talent is None:
        raise ValidationError({"talent": _("Name the technology vice president (科技副总).")})
    if (
        organisation is not None
        and not talent.affiliations.filter(organisation=organisation).exists()
    ):
        raise ValidationError(
            {"talent": _("This talent has no affiliation with the applicant enterprise.")}
        )


@transaction.atomic
def application_create(
    *,
    actor,
    policy: Policy,
    facts: Mapping[str, Any],
    organisation=None,
    applicant_talent=None,
    talent=None,
    applied_on: dt.date | None = None,
    uploads: Sequence = (),
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Application:
    """A draft application by an enterprise (for itself) or a talent (for themselves)."""
    when = _when(actor, at)
    applied_on = applied_on or timezone.localdate()
    if policy.applicant_kind == ApplicantKind.ENTERPRISE:
        if organisation is None:
            raise ValidationError({"organisation": _("Choose the applicant enterprise.")})
        if actor is not None:
            require(
                permissions.applicant_organisations(actor, policy)
                .filter(pk=organisation.pk)
                .exists(),
                _("You may not apply for this enterprise."),
            )
        elif not organisation.region_id.startswith(policy.region.prefix):
            raise ValidationError(
                {"organisation": _("The enterprise is not in the policy's region.")}
            )
        applicant_talent = None
    else:
        if actor is not None:
            profile = getattr(actor, "talent_profile", None)
            require(profile is not None, _("Only a talent applies for this."))
            applicant_talent = profile
        if applicant_talent is None:
            raise ValidationError({"applicant_talent": _("Choose the applicant.")})
        organisation = None
    _check_talent(policy, talent, organisation)
    names, kinds = _facts_of(policy, applied_on)
    application = Application(
        policy=policy,
        applicant_organisation=organisation,
        applicant_talent=applicant_talent,
        talent=talent,
        applied_on=applied_on,
        year=applied_on.year,
        facts=fact_specs.clean(names, facts, kinds),
        created_by=actor,
    )
    application.facts.update(_derived(policy, names, application))
    application.full_clean()
    application.save()
    for upload in uploads:
        _evidence_save(actor, application, upload)
    _event(
        application,
        actor=actor,
        action="create",
        old="",
        note="",
        at=when,
    )
    audit_record(
        actor=actor,
        action="application.create",
        obj=application,
        after=snapshot(application),
        region=policy.region_id,
        system_label=system_label,
    )
    return application


@transaction.atomic
def application_update(
    *,
    actor,
    application: Application,
    facts: Mapping[str, Any],
    talent=None,
) -> Application:
    """The applicant amends a draft or a returned application; it is recomputed on submit."""
    application = _locked(application)
    require(
        permissions.can_edit_application(actor, application),
        _("You may not change this application."),
    )
    before = snapshot(application)
    _check_talent(
        application.policy, talent or application.talent, application.applicant_organisation
    )
    names, kinds = _facts_of(application.policy, application.applied_on)
    application.facts = fact_specs.clean(names, facts, kinds)
    application.facts.update(_derived(application.policy, names, application))
    if talent is not None:
        application.talent = talent
    application.full_clean()
    application.save()
    audit_record(
        actor=actor,
        action="application.update",
        obj=application,
        before=before,
        after=snapshot(application),
        region=application.policy.region_id,
    )
    return application


def _evidence_save(actor, application: Application, upload) -> Evidence:
    check_upload(upload)
    evidence = Evidence(
        application=application,
        original_name=PurePath(upload.name).name[:255],
        size=upload.size,
        content_type=(getattr(upload, "content_type", "") or "")[:128],
        uploaded_by=actor,
    )
    # Files are not transactional: a failure removes the file at once (see needs.document_add).
    evidence.file.save(upload.name, upload, save=False)
    try:
        evidence.full_clean()
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def evidence_add(*, actor, application: Application, upload) -> Evidence:
    application = _locked(application)
    require(
        permissions.can_edit_application(actor, application), _("You may not add evidence here.")
    )
    evidence = _evidence_save(actor, application, upload)
    audit_record(
        actor=actor,
        action="application.evidence",
        obj=application,
        after={"evidence": evidence.original_name, "size": evidence.size},
        region=application.policy.region_id,
    )
    return evidence


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("policy", "policy__region", "applicant_organisation", "applicant_talent")
        .get(pk=application.pk)
    )


def _parties(actor, application: Application) -> set[str]:
    if actor is None:  # a system task (the demo) acts as every party
        return set(workflow.Party)
    return permissions.parties(actor, application)


def _transition(actor, application: Application, action: workflow.Action) -> str:
    parties = _parties(actor, application)
    flag = not application.policy.is_money
    try:
        return workflow.check(action, application.status, parties, flag=flag)
    except workflow.TransitionError as error:
        if any(
            source == application.status and act == action
            for (act, source) in (workflow.FLAG_TRANSITIONS if flag else workflow.TRANSITIONS)
        ):
            raise PermissionDenied(_("You may not do this to this application.")) from error
        raise ValidationError(
            _("This is not possible while the application is “%(status)s”.")
            % {"status": application.get_status_display()}
        ) from error


def computation_data(result: engine.Computation, version: PolicyVersionRecord) -> dict[str, Any]:
    """The computation as stored on the application: everything its explanation needs."""
    return {
        "policy": result.policy,
        "version": result.version,
        "version_id": version.pk,
        "effective_from": result.effective_from.isoformat(),
        "eligible": result.eligible,
        "amount": str(result.amount),
        "granted": result.granted,
        "params": {k: json_value(v) for k, v in result.params.items()},
        "facts": {k: json_value(v) for k, v in result.facts.items()},
        "steps": [
            {"name": s.name, "value": json_value(s.value), "reads": s.reads} for s in result.steps
        ],
        "explanation": result.explanation(),
    }


def _compute(application: Application) -> None:
    """Compute with the version in force on the application's date and keep it all."""
    version = selectors.version_in_force(application.policy, application.applied_on)
    names = list(version.facts)
    application.facts.update(_derived(application.policy, names, application))
    try:
        result = engine.compute(
            version.to_pure(), fact_specs.for_engine(application.facts, version.fact_kinds)
        )
    except engine.PolicyError as error:
        raise ValidationError({"facts": str(error)}) from error
    application.version = version
    application.eligible = result.eligible
    application.amount = result.amount
    application.granted = result.granted
    application.computation = computation_data(result, version)
    application.computed_at = timezone.now()


@transaction.atomic
def application_submit(
    *, actor, application: Application, at: dt.datetime | None = None, system_label=None
) -> Application:
    """Submit (or resubmit after amending): computed now, with the version in force on the
    application's date. An application that is not eligible is not submitted: the applicant
    sees why."""
    when = _when(actor, at)
    application = _locked(application)
    target = _transition(actor, application, workflow.Action.SUBMIT)
    if not application.evidence.exists() and actor is not None:
        raise ValidationError({"file": _("Attach at least one evidence file.")})
    before = snapshot(application)
    old = application.status
    try:
        _compute(application)
    except engine.PolicyError as error:
        raise ValidationError({"applied_on": str(error)}) from error
    if not application.eligible:
        raise ValidationError(
            {
                "facts": _("Not eligible under version %(version)s: %(why)s")
                % {"version": application.version.number, "why": "; ".join(application.explanation)}
            }
        )
    application.status = target
    application.return_reason = ""
    application.save()
    _event(application, actor=actor, action="submit", old=old, note="", at=when)
    audit_record(
        actor=actor,
        action="application.submit",
        obj=application,
        before=before,
        after=snapshot(application),
        region=application.policy.region_id,
        system_label=system_label,
    )
    _tell(
        application, "rules.submitted", _region_users(application.policy, Role.OFFICER), actor=actor
    )
    return application


def _budget_check(application: Application) -> None:
    """Approval commits the amount: refused if it would exceed the year's budget left. The
    year's row is locked so that two approvals cannot both spend the same money."""
    row = (
        PolicyYear.objects.select_for_update()
        .filter(policy=application.policy, year=application.year)
        .first()
    )
    if row is None:
        raise ValidationError(
            _("No budget is set for %(year)s: approval would spend money nobody planned.")
            % {"year": application.year}
        )
    figures = selectors.budget_figures(application.policy, application.year)
    if application.amount > figures.left:
        raise ValidationError(
            _("Approving %(amount)s yuan would exceed the %(year)s budget: %(left)s yuan left.")
            % {
                "amount": _money(application.amount),
                "year": application.year,
                "left": _money(figures.left),
            }
        )
    if (
        "subsidy_received" in application.facts
        and _derived(application.policy, ["subsidy_received"], application)["subsidy_received"]
    ):
        raise ValidationError(_("This applicant has already received this subsidy."))


@transaction.atomic
def application_review(
    *,
    actor,
    application: Application,
    action: str,
    reason: str = "",
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Application:
    """The talent office, then finance: approve, or return to the applicant with a reason."""
    when = _when(actor, at)
    action = workflow.Action(action)
    if action not in {
        workflow.Action.OFFICE_APPROVE,
        workflow.Action.OFFICE_RETURN,
        workflow.Action.FINANCE_APPROVE,
        workflow.Action.FINANCE_RETURN,
    }:
        raise ValidationError(_("Unknown review action."))
    application = _locked(application)
    target = _transition(actor, application, action)
    note = _reason(reason) if action in workflow.RETURNS else (reason or "").strip()
    if target == workflow.State.APPROVED and application.policy.is_money:
        _budget_check(application)
    before = snapshot(application)
    old = application.status
    application.status = target
    if action in workflow.RETURNS:
        application.return_reason = note
    application.save()
    _event(application, actor=actor, action=action, old=old, note=note, at=when)
    audit_record(
        actor=actor,
        action=f"application.{action}",
        obj=application,
        before=before,
        after=snapshot(application),
        region=application.policy.region_id,
        system_label=system_label,
    )
    if action in workflow.RETURNS:
        _tell(
            application, "rules.returned", _applicant_users(application), actor=actor, reason=note
        )
    elif target == workflow.State.FINANCE_REVIEW:
        _tell(
            application,
            "rules.finance_review",
            _region_users(application.policy, Role.FINANCE),
            actor=actor,
        )
    else:
        _tell(application, "rules.approved", _applicant_users(application), actor=actor)
    return application


@transaction.atomic
def payout_record(
    *,
    actor,
    application: Application,
    paid_on: dt.date | None = None,
    reference: str = "",
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Payout:
    """Finance records the one payment of an approved amount. The application row is locked
    and the payout is unique per application: a second click waits, then finds it paid."""
    when = _when(actor, at)
    application = _locked(application)
    if (
        application.status == ApplicationStatus.PAID
        or Payout.objects.filter(application=application).exists()
    ):
        raise ValidationError(_("This application is already paid."))
    target = _transition(actor, application, workflow.Action.PAY)
    paid_on = paid_on or timezone.localdate(when)
    before = snapshot(application)
    payout = Payout(
        application=application,
        amount=application.amount,
        year=application.year,
        paid_on=paid_on,
        reference=(reference or "").strip()[:64],
        recorded_by=actor,
    )
    payout.full_clean(exclude=["application"])
    try:
        with transaction.atomic():
            payout.save()
    except IntegrityError as error:  # the unique application: another payout won the race
        raise ValidationError(_("This application is already paid.")) from error
    old = application.status
    application.status = target
    application.save(update_fields=["status", "updated_at"])
    _event(application, actor=actor, action="pay", old=old, note=payout.reference, at=when)
    audit_record(
        actor=actor,
        action="application.pay",
        obj=application,
        before=before,
        after={**snapshot(application), "payout": snapshot(payout)},
        region=application.policy.region_id,
        system_label=system_label,
    )
    _tell(application, "rules.paid", _applicant_users(application), actor=actor)
    return payout


@transaction.atomic
def application_withdraw(
    *,
    actor,
    application: Application,
    reason: str = "",
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Application:
    """The applicant withdraws an application not yet approved (by finance; by the office for
    a priority) nor paid. It is kept, as withdrawn: out of the budget figures and the what-if,
    never resubmitted. The talent office is told unless it was only a draft; finance too if the
    office had passed it on."""
    when = _when(actor, at)
    application = _locked(application)
    target = _transition(actor, application, workflow.Action.WITHDRAW)
    note = (reason or "").strip()[:2000]
    before = snapshot(application)
    old = application.status
    application.status = target
    application.withdrawal_reason = note
    application.save(update_fields=["status", "withdrawal_reason", "updated_at"])
    _event(application, actor=actor, action="withdraw", old=old, note=note, at=when)
    audit_record(
        actor=actor,
        action="application.withdraw",
        obj=application,
        before=before,
        after=snapshot(application),
        region=application.policy.region_id,
        system_label=system_label,
    )
    recipients = []
    if old != ApplicationStatus.DRAFT:
        recipients += _region_users(application.policy, Role.OFFICER)
    if application.events.filter(action=workflow.Action.OFFICE_APPROVE).exists():
        recipients += _region_users(application.policy, Role.FINANCE)
    if recipients:
        _tell(application, "rules.withdrawn", recipients, actor=actor, reason=note)
    return application
