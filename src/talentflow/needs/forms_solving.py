"""Forms for answering and valuing a need: proposals, selection, 验题, 评价 and the reports.

The forms parse input and hand plain values to ``needs.services``, which own every rule that
decides whether a write happens. A form checks something itself only where the service's
message could not say *which* row is at fault (the reason for each declined proposal, the
evidence file of one criterion) or where input must be converted first (万元 into yuan).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from talentflow.accounts.permissions import scope_for
from talentflow.core.forms import DateInput
from talentflow.core.widgets import FastSelect
from talentflow.directory import selectors as directory_selectors
from talentflow.directory.forms import LookupSelect, industry_filter_choices
from talentflow.directory.models import Affiliation, Organisation, OrganisationKind, TalentProfile
from talentflow.needs import outcomes as outcome_rules
from talentflow.needs.models import (
    AcceptanceCriterion,
    Comparator,
    DeclineReason,
    IpTerms,
    OutcomeKind,
    Proposal,
    Qualifier,
    TeamRole,
)
from talentflow.needs.selectors import OUTCOME_DIMENSIONS

# Technology readiness levels as GB/T 22900 and the usual TRL scale count them; shown beside
# the choice so an expert and an enterprise mean the same thing by "6".
TRL_LEVELS: tuple[tuple[int, Any], ...] = (
    (1, _("Basic principles observed")),
    (2, _("Technology concept and application formulated")),
    (3, _("Concept proven by analysis and experiment")),
    (4, _("Key functions validated in the laboratory")),
    (5, _("Components validated in a relevant environment")),
    (6, _("Prototype demonstrated in a relevant environment")),
    (7, _("Prototype demonstrated in the real operating environment")),
    (8, _("Product or process finalised and qualified")),
    (9, _("Proven in production and actual use")),
)
# Lazy, so each reader gets the labels in their own language.
TRL_CHOICES = [(level, format_lazy("{} — {}", level, label)) for level, label in TRL_LEVELS]

# Institutions answer needs (services.proposal_submit refuses other kinds).
INSTITUTION_KINDS = (
    OrganisationKind.UNIVERSITY,
    OrganisationKind.RESEARCH_INSTITUTE,
    OrganisationKind.PLATFORM,
)
# Above this many visible talents the team select searches the server instead of listing all.
LOCAL_TALENT_OPTIONS = 200


def parse_decimal(raw: Any) -> Decimal | None:
    """A typed number as an exact Decimal: thousands separators and spaces are ignored, so
    “5,000,000.00” is 5000000.00. ``None`` when it is not a finite number."""
    text = str(raw or "").strip().replace(",", "").replace("，", "").replace(" ", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def check_upload(upload) -> None:
    """The platform's file rules (settings), checked before anything is written so the error
    stands next to the field it belongs to; services.document_add checks them again."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in settings.TALENTFLOW_DOCUMENT_TYPES:
        raise ValidationError(
            _("%(name)s: files of type %(suffix)s are not accepted; use one of %(allowed)s."),
            params={
                "name": upload.name,
                "suffix": suffix or "?",
                "allowed": " ".join(settings.TALENTFLOW_DOCUMENT_TYPES),
            },
        )
    if upload.size > settings.TALENTFLOW_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(mb)d MB."),
            params={
                "name": upload.name,
                "mb": settings.TALENTFLOW_DOCUMENT_MAX_BYTES // (1024 * 1024),
            },
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (evidence); cleans to a list, each file checked on its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        accept = ",".join(settings.TALENTFLOW_DOCUMENT_TYPES)
        self.widget.attrs.setdefault("accept", accept)

    def clean(self, data: Any, initial: Any = None) -> list:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not items and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        files = []
        errors: list[ValidationError] = []
        for item in items:
            upload = super().clean(item, initial)
            if not upload:
                continue
            try:
                check_upload(upload)
            except ValidationError as error:
                errors.append(error)
            files.append(upload)
        if errors:
            raise ValidationError(errors)
        return files


def _talent_label(talent: TalentProfile) -> str:
    employers = [a.organisation.name for a in getattr(talent, "current_affiliations", [])]
    return f"{talent.name} · {'、'.join(employers)}" if employers else talent.name


class TalentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TalentProfile) -> str:
        return _talent_label(obj)


def talents_for_team(user) -> QuerySet[TalentProfile]:
    """The talents ``user`` may put on a team: those the directory lets them see."""
    current = Prefetch(
        "affiliations",
        queryset=Affiliation.objects.filter(end_date__isnull=True).select_related("organisation"),
        to_attr="current_affiliations",
    )
    return directory_selectors.talent_visible(user=user).prefetch_related(current).order_by("name")


def talent_lookup_items(user, q: str, limit: int = 30) -> list[dict[str, str]]:
    """Tom Select options for a team member search: name or expertise contains ``q``."""
    from django.db.models import Q

    qs = talents_for_team(user)
    for term in q.split()[:5]:
        qs = qs.filter(Q(name__icontains=term) | Q(expertise__icontains=term))
    return [{"value": str(t.pk), "text": _talent_label(t)} for t in qs[:limit]]


# Proposals ---------------------------------------------------------------------------------


class ProposalForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The institution the proposal is submitted for."),
    )
    approach = forms.CharField(
        label=_("Approach"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The technical route: what you will do, how, and why it will work."),
    )
    trl = forms.TypedChoiceField(
        label=_("Technology readiness level (TRL)"),
        choices=[("", "—"), *TRL_CHOICES],
        coerce=int,
        help_text=_("How far the technology you propose has come, from 1 to 9."),
    )
    cost = forms.DecimalField(
        label=_("Cost (yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        localize=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        help_text=_("In yuan: 600000 for 60 万元."),
    )
    ip_terms = forms.ChoiceField(label=_("IP terms"), choices=[("", "—"), *IpTerms.choices])
    ip_note = forms.CharField(label=_("IP note"), max_length=255, required=False)

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        institutions = Organisation.objects.filter(
            pk__in=scope.organisation_ids, kind__in=INSTITUTION_KINDS
        ).order_by("name")
        field = self.fields["organisation"]
        field.queryset = institutions
        self.institution_count = institutions.count()
        if self.institution_count == 0:
            del self.fields["organisation"]
        elif scope.talent_id is None:
            # Acting only for institutions: the proposal is theirs. A talent may also
            # answer in their own name.
            field.required = True
            field.empty_label = None if self.institution_count == 1 else "—"
        else:
            field.empty_label = _("None — in my own name")


class TeamMemberForm(forms.Form):
    talent = TalentField(label=_("Talent"), queryset=TalentProfile.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices, initial=TeamRole.MEMBER)

    def __init__(self, *args: Any, talents: QuerySet[TalentProfile], lookup_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["talent"]
        field.queryset = talents
        field.widget.attrs["data-tom-select"] = ""
        if lookup_url:
            # Too many to list: render the chosen one only and search the rest on the server.
            field.widget = LookupSelect(attrs=dict(field.widget.attrs))
            field.widget.choices = field.choices
            field.widget.attrs["data-tom-select-url"] = lookup_url

    def has_changed(self) -> bool:
        # A row counts when it names a talent; the role alone (it has a default) does not.
        return bool(self["talent"].value())


class BaseTeamFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data]
        if not rows:
            raise ValidationError(_("Name the team, starting with its lead expert."))
        talents = [r["talent"].pk for r in rows]
        if len(set(talents)) != len(talents):
            raise ValidationError(_("A person appears twice in the team."))
        if [r["role"] for r in rows].count(TeamRole.LEAD) != 1:
            raise ValidationError(_("Name exactly one lead expert."))

    def members(self) -> list[tuple[TalentProfile, str]]:
        return [(f.cleaned_data["talent"], f.cleaned_data["role"]) for f in self.filled_forms()]

    def filled_forms(self) -> list[forms.Form]:
        return [f for f in self.forms if f.cleaned_data]


TeamFormSet = forms.formset_factory(
    TeamMemberForm, formset=BaseTeamFormSet, extra=3, max_num=30, validate_max=True
)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due"), widget=DateInput())
    deliverable = forms.CharField(label=_("Deliverable"), max_length=255, required=False)


class BaseMilestoneFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[forms.Form]:
        return [f for f in self.forms if f.cleaned_data]

    def milestones(self) -> list[dict[str, Any]]:
        return [dict(f.cleaned_data) for f in self.filled_forms()]


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, formset=BaseMilestoneFormSet, extra=3, max_num=30, validate_max=True
)


class DeclineForm(forms.Form):
    """The coded reason a proposal is declined; the service decides what is enough."""

    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "—"), *DeclineReason.choices], required=False
    )
    note = forms.CharField(
        label=_("Note to the proposer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the reason is “other”."),
    )


class SelectForm(forms.Form):
    """Select one proposal: the contract, and the reason each other open proposal is declined."""

    contract_amount = forms.DecimalField(
        label=_("Contract amount (yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        localize=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    planned_end = forms.DateField(
        label=_("Planned end"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: the last milestone's due date."),
    )

    def __init__(self, *args: Any, proposal: Proposal, others: Sequence[Proposal], **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "contract_amount": proposal.cost,
                "signed_on": dt.date.today(),
                "planned_end": max((m.due_date for m in proposal.milestones.all()), default=None),
            },
        )
        super().__init__(*args, **kwargs)
        self.others = list(others)
        for other in self.others:
            self.fields[f"reason_{other.pk}"] = forms.ChoiceField(
                label=_("Reason"), choices=[("", "—"), *DeclineReason.choices]
            )
            self.fields[f"note_{other.pk}"] = forms.CharField(
                label=_("Note to the proposer"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for other in self.others:
            if (
                data.get(f"reason_{other.pk}") == DeclineReason.OTHER
                and not (data.get(f"note_{other.pk}") or "").strip()
            ):
                self.add_error(f"note_{other.pk}", _("Say why, when the reason is “other”."))
        return data

    def decline_rows(self) -> list[dict[str, Any]]:
        return [
            {"proposal": o, "reason": self[f"reason_{o.pk}"], "note": self[f"note_{o.pk}"]}
            for o in self.others
        ]

    def declines(self) -> dict[int, tuple[str, str]]:
        return {
            o.pk: (self.cleaned_data[f"reason_{o.pk}"], self.cleaned_data[f"note_{o.pk}"])
            for o in self.others
        }


# 验题 -------------------------------------------------------------------------------------


class VerificationForm(forms.Form):
    """One row per acceptance criterion: passed, measured value, unit, note, evidence files."""

    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required when a criterion fails: what the solvers must work on before the next round."
        ),
    )

    def __init__(self, *args: Any, criteria: Iterable[AcceptanceCriterion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"passed_{c.pk}"] = forms.TypedChoiceField(
                label=_("Result"),
                choices=[("yes", _("Passed")), ("no", _("Failed"))],
                coerce=lambda v: v == "yes",
                widget=forms.RadioSelect,
            )
            measured = c.comparator != Comparator.PASS_FAIL
            self.fields[f"measured_{c.pk}"] = forms.CharField(
                label=_("Measured value"),
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            if measured:
                self.fields[f"measured_{c.pk}"].widget.attrs["required"] = "required"
            self.fields[f"unit_{c.pk}"] = forms.CharField(
                label=_("Unit"), required=False, max_length=32, initial=c.unit
            )
            self.fields[f"note_{c.pk}"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"evidence_{c.pk}"] = MultipleFileField(label=_("Evidence files"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for c in self.criteria:
            raw = data.get(f"measured_{c.pk}")
            if raw and parse_decimal(raw) is None:
                self.add_error(f"measured_{c.pk}", _("Enter a number."))
        return data

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "criterion": c,
                "passed": self[f"passed_{c.pk}"],
                "measured": self[f"measured_{c.pk}"],
                "unit": self[f"unit_{c.pk}"],
                "note": self[f"note_{c.pk}"],
                "evidence": self[f"evidence_{c.pk}"],
            }
            for c in self.criteria
        ]

    def checks(self) -> list[dict[str, Any]]:
        """In criteria order, which the service's error keys (checks.N.field) follow."""
        d = self.cleaned_data
        return [
            {
                "criterion": c,
                "passed": d[f"passed_{c.pk}"],
                "measured_value": parse_decimal(d.get(f"measured_{c.pk}")),
                "unit": d.get(f"unit_{c.pk}", ""),
                "note": d.get(f"note_{c.pk}", ""),
            }
            for c in self.criteria
        ]

    def evidence(self) -> dict[int, list]:
        return {c.pk: self.cleaned_data.get(f"evidence_{c.pk}") or [] for c in self.criteria}


# 评价 -------------------------------------------------------------------------------------


class AmountScale:
    YUAN = "yuan"
    WAN = "wan"  # 万元: ten thousand yuan


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of outcome"), choices=[("", "—"), *OutcomeKind.choices])
    amount = forms.CharField(
        label=_("Amount"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_(
            "Money in yuan (or count it in 万元 below), percentages as the change in percent "
            "(for energy −15%, enter 15), counts as whole numbers."
        ),
    )
    scale = forms.ChoiceField(
        label=_("Counted in"),
        choices=[(AmountScale.YUAN, _("yuan (元)")), (AmountScale.WAN, _("万元 (10,000 yuan)"))],
        initial=AmountScale.YUAN,
        required=False,
        help_text=_("For money only: 500 万元 is recorded as 5,000,000 yuan."),
    )
    unit_basis = forms.CharField(
        label=_("Per"),
        max_length=16,
        required=False,
        help_text=_("For a cost per unit only: the unit, e.g. 吨 (tonne)."),
    )
    qualifier = forms.ChoiceField(
        label=_("Qualifier"), choices=Qualifier.choices, initial=Qualifier.EXACT
    )
    period_start = forms.DateField(label=_("Measured from"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Measured until"), required=False, widget=DateInput())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = MultipleFileField(
        label=_("Evidence files"),
        help_text=_("Invoices, statements, test reports, patent notices …"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        raw = data.get("amount")
        if raw is None:
            return data
        value = parse_decimal(raw)
        if value is None:
            self.add_error("amount", _("Enter a number."))
            return data
        if data.get("scale") == AmountScale.WAN:
            if data.get("kind") not in outcome_rules.MONEY_KINDS:
                self.add_error("scale", _("万元 applies to amounts of money only."))
                return data
            value *= 10000
        # Exact: the service receives the Decimal the person typed, not a float.
        data["amount_value"] = value
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


# Reports -----------------------------------------------------------------------------------


DIMENSION_LABELS = {
    "region": _("Region"),
    "enterprise": _("Enterprise"),
    "institution": _("Institution"),
    "expert": _("Expert"),
}


class ReportFilterForm(forms.Form):
    by = forms.ChoiceField(
        label=_("Per"),
        choices=[(d, DIMENSION_LABELS[d]) for d in OUTCOME_DIMENSIONS],
        required=False,
        widget=forms.HiddenInput,
    )
    region = forms.ChoiceField(label=_("Region"), required=False, widget=FastSelect)
    industry = forms.ChoiceField(label=_("Industry"), required=False, widget=FastSelect)

    def __init__(self, *args: Any, region_choices: Sequence[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions")), *region_choices]
        self.fields["industry"].choices = industry_filter_choices()
        for name in ("region", "industry"):
            self.fields[name].widget.attrs["data-tom-select"] = ""

    def value(self, name: str) -> str:
        """The valid part of the input: an unknown code is reported and ignored, not fatal."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""
