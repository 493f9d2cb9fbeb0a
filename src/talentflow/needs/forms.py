"""Forms of the need lifecycle pages.

The edit forms validate input and hand ``cleaned_data`` to the services, which own every write
and decide who may change what; a form never saves. The filter form only re-shows what the
user chose: the query is parsed by ``need_filters_from``, the same way for the list page, its
HTMX partial and the export links, so an export is exactly the list on screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from talentflow.accounts.models import Role
from talentflow.accounts.permissions import scope_for
from talentflow.core.forms import DateInput
from talentflow.core.widgets import FastSelect
from talentflow.directory import selectors as directory_selectors
from talentflow.directory.filters import _choice, _code, _int, _text
from talentflow.directory.forms import (
    _lookup_field,
    _tom_select,
    industry_filter_choices,
    region_filter_choices,
)
from talentflow.directory.models import INSTITUTION_KINDS, Organisation, OrganisationKind
from talentflow.needs import selectors
from talentflow.needs.models import (
    Comparator,
    EnterpriseVisit,
    Need,
    NeedSource,
    NeedStage,
    NeedState,
)
from talentflow.needs.selectors import NeedFilters

# The query parameters of the need list (and of its export links).
NEED_PARAMS = ("q", "stage", "state", "region", "industry", "overdue", "source", "open_only")
VISIT_PARAMS = ("region", "visitor", "date_from", "date_to")

_TRUE = {"1", "on", "true", "yes"}


def _flag(params: Mapping[str, str], name: str) -> bool:
    return _text(params, name, 8).lower() in _TRUE


def need_filters_from(params: Mapping[str, str]) -> NeedFilters:
    return NeedFilters(
        q=_text(params, "q"),
        stage=_choice(params, "stage", NeedStage),
        state=_choice(params, "state", NeedState),
        region=_code(params, "region"),
        industry=_code(params, "industry"),
        overdue=_flag(params, "overdue"),
        source=_choice(params, "source", NeedSource),
        open_only=_flag(params, "open_only"),
        enterprise=_int(params, "enterprise"),
    )


def region_prefix(code: str) -> str:
    """The GB/T 2260 prefix a region code stands for: a province or prefecture covers what
    lies inside it (the same rule as ``selectors.need_list``)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


# Filters -----------------------------------------------------------------------------------


class NeedFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Title, summary or enterprise, e.g. 涂布"),
                "autocomplete": "off",
            }
        ),
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *NeedStage.choices]
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *NeedState.choices]
    )
    region = forms.ChoiceField(label=_("Region"), required=False, widget=FastSelect)
    industry = forms.ChoiceField(label=_("Industry"), required=False, widget=FastSelect)
    source = forms.ChoiceField(
        label=_("How it arrived"),
        required=False,
        choices=[("", _("Posted or collected")), *NeedSource.choices],
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    # Kept by the tabs above the list; a hidden field so filtering stays inside the tab.
    open_only = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = set(
            selectors.need_visible(user=user)
            .order_by()
            .values_list("region_id", flat=True)
            .distinct()
        )
        codes |= set(scope_for(user).region_codes)
        self.fields["region"].choices = region_filter_choices(codes)
        self.fields["industry"].choices = industry_filter_choices()
        for name in ("region", "industry"):
            _tom_select(self.fields[name])


# Attachments -------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe): cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        single = super().clean
        files = [d for d in data if d] if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            single(None, initial)  # raises "required" when the field is
            return []
        return [single(d, initial) for d in files]


def _document_help() -> str:
    return _("Up to %(mb)d MB each; %(types)s.") % {
        "mb": settings.TALENTFLOW_DOCUMENT_MAX_BYTES // (1024 * 1024),
        "types": " ".join(settings.TALENTFLOW_DOCUMENT_TYPES),
    }


class AttachmentsForm(forms.Form):
    """Files attached to a need. The service checks type and size again; checking here lets
    a bad file be refused before anything is written."""

    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attachments"]
        field.required = required
        field.help_text = _document_help()
        field.widget.attrs["accept"] = ",".join(settings.TALENTFLOW_DOCUMENT_TYPES)

    def clean_attachments(self) -> list[UploadedFile]:
        files = self.cleaned_data.get("attachments") or []
        errors = []
        for upload in files:
            suffix = PurePath(upload.name).suffix.lower()
            if suffix not in settings.TALENTFLOW_DOCUMENT_TYPES:
                errors.append(
                    _("%(name)s: files of type %(suffix)s are not accepted.")
                    % {"name": upload.name, "suffix": suffix or "?"}
                )
            elif upload.size > settings.TALENTFLOW_DOCUMENT_MAX_BYTES:
                errors.append(
                    _("%(name)s is larger than %(mb)d MB.")
                    % {
                        "name": upload.name,
                        "mb": settings.TALENTFLOW_DOCUMENT_MAX_BYTES // (1024 * 1024),
                    }
                )
        if errors:
            raise forms.ValidationError(errors)
        return files


# The need ----------------------------------------------------------------------------------

POSE_FORM_FIELDS = (
    "title",
    "summary",
    "description",
    "current_state",
    "target_indicators",
    "industry",
    "budget_min",
    "budget_max",
    "wanted_by",
    "confidentiality",
)
ASSIST_FORM_FIELDS = (
    "solver_brief",
    "disciplines",
    "target_institutions",
    "target_pools",
    "proposals_due",
)
_WIDGETS = {
    "summary": forms.Textarea(attrs={"rows": 3}),
    "description": forms.Textarea(attrs={"rows": 6}),
    "current_state": forms.Textarea(attrs={"rows": 4}),
    "target_indicators": forms.Textarea(attrs={"rows": 3}),
    "solver_brief": forms.Textarea(attrs={"rows": 5}),
    "wanted_by": DateInput(),
    "proposals_due": DateInput(),
    "confidentiality": forms.RadioSelect(),
}


def _budget_help() -> str:
    return _("In yuan (元), exact to the fen: 50万元 is 500000.")


def enterprises_posing_for(user) -> QuerySet[Organisation]:
    """The enterprises ``user`` acts for as an enterprise user: those they pose needs for."""
    roles = scope_for(user).organisation_roles
    ids = [pk for pk, role in roles.items() if role == Role.ENTERPRISE]
    return Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.ENTERPRISE).order_by(
        "name"
    )


class NeedPoseForm(forms.Form):
    """What the enterprise writes (出题). Also shown to the talent office while it assists."""

    def __init__(
        self,
        *args: Any,
        need: Need | None = None,
        enterprises: Sequence[Organisation] | QuerySet[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        if need is not None:
            kwargs.setdefault("initial", model_to_dict(need, fields=POSE_FORM_FIELDS))
        super().__init__(*args, **kwargs)
        if enterprises is not None and len(enterprises) > 1:
            self.fields["enterprise"] = forms.ModelChoiceField(
                label=_("Enterprise"),
                queryset=Organisation.objects.filter(pk__in=[e.pk for e in enterprises]),
                help_text=_("You act for several enterprises: which one poses this need?"),
            )
        self.fields.update(fields_for_model(Need, fields=POSE_FORM_FIELDS, widgets=_WIDGETS))
        _lookup_field(self.fields["industry"], "industries")
        for name in ("budget_min", "budget_max"):
            field = self.fields[name]
            field.help_text = _budget_help()
            field.widget.attrs.update({"inputmode": "decimal", "data-wan-yuan": ""})
        self.fields["confidentiality"].initial = self.initial.get("confidentiality", "public")
        self.fields["confidentiality"].help_text = _(
            "Confidential: only the public summary is shown to solvers until they accept the "
            "platform's confidentiality terms; the description, current state and attachments "
            "stay hidden."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("budget_min"), data.get("budget_max")
        if low is not None and high is not None and high < low:
            self.add_error("budget_max", _("The upper end of the budget is below its lower end."))
        return data

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in POSE_FORM_FIELDS}


def institution_choices(user, need: Need | None) -> QuerySet[Organisation]:
    """Institutions the officer can see, and those already targeted (perhaps by someone who
    sees more), so saving the form never drops a target silently."""
    q = Q(
        pk__in=directory_selectors.organisation_visible(user=user)
        .filter(kind__in=INSTITUTION_KINDS)
        .values("pk")
    )
    if need is not None and need.pk:
        q |= Q(pk__in=need.target_institutions.values("pk"))
    return Organisation.objects.filter(q).select_related("region").order_by("name")


def pool_choices(user, need: Need | None):
    from talentflow.directory.models import Pool

    q = Q(pk__in=directory_selectors.pool_visible(user=user).values("pk"))
    if need is not None and need.pk:
        q |= Q(pk__in=need.target_pools.values("pk"))
    return Pool.objects.filter(q).order_by("name")


class NeedAssistForm(forms.Form):
    """What the talent office adds while assisting (助题): the solvers' brief and the targets."""

    def __init__(self, *args: Any, user, need: Need, **kwargs: Any) -> None:
        kwargs.setdefault("initial", model_to_dict(need, fields=ASSIST_FORM_FIELDS))
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Need, fields=ASSIST_FORM_FIELDS, widgets=_WIDGETS))
        _lookup_field(self.fields["disciplines"], "disciplines")
        institutions = self.fields["target_institutions"]
        institutions.queryset = institution_choices(user, need)
        institutions.label_from_instance = lambda o: f"{o.name}（{o.region.name}）"
        institutions.help_text = _(
            "Only these institutions and their people may propose. Leave empty (and no pool) "
            "to open the need to every solver."
        )
        _tom_select(institutions)
        pools = self.fields["target_pools"]
        pools.queryset = pool_choices(user, need)
        pools.help_text = _("The talents of these pools may propose (also across the alliance).")
        _tom_select(pools)
        self.fields["proposals_due"].help_text = _(
            "Needed to publish; it becomes the deadline of the answering stage."
        )

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ASSIST_FORM_FIELDS}


# Acceptance criteria -----------------------------------------------------------------------


class CriterionForm(forms.Form):
    description = forms.CharField(label=_("Criterion"), max_length=255, required=False)
    comparator = forms.ChoiceField(
        label=_("Comparison"), choices=Comparator.choices, initial=Comparator.PASS_FAIL
    )
    target_value = forms.DecimalField(
        label=_("Target value"), max_digits=18, decimal_places=4, required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=32, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.cleaned_data.get("DELETE"):
            return data
        if not (data.get("description") or "").strip():
            if data.get("target_value") is not None or (data.get("unit") or "").strip():
                self.add_error("description", _("Describe what the workshop checks."))
        elif data.get("comparator") != Comparator.PASS_FAIL and data.get("target_value") is None:
            self.add_error("target_value", _("A measured criterion needs the value to reach."))
        return data

    @property
    def is_row(self) -> bool:
        """A criterion to keep: described and not marked for removal."""
        data = getattr(self, "cleaned_data", {})
        return bool((data.get("description") or "").strip()) and not data.get("DELETE")


CriteriaFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True, max_num=50)


def criteria_initial(need: Need) -> list[dict[str, Any]]:
    return [
        {
            "description": c.description,
            "comparator": c.comparator,
            # 98.6000 as stored reads 98.6; normalize() alone would turn 100 into 1E+2.
            "target_value": (
                format(c.target_value.normalize(), "f") if c.target_value is not None else None
            ),
            "unit": c.unit,
        }
        for c in need.criteria.all()
    ]


# Transitions -------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# Visits (走访) -------------------------------------------------------------------------------


def _visiting_organisations(user) -> QuerySet[Organisation]:
    """An institution user names their own institution as visitor; an officer may name any
    institution they can see (an institute visited with them), or none."""
    scope = scope_for(user)
    visible = directory_selectors.organisation_visible(user=user).filter(kind__in=INSTITUTION_KINDS)
    if scope.is_admin or scope.is_officer:
        return visible.select_related("region").order_by("name")
    return visible.filter(pk__in=scope.organisation_ids).select_related("region").order_by("name")


def visit_enterprises(user) -> QuerySet[Organisation]:
    """Enterprises ``user`` may record a visit to: an officer those of the governed regions,
    an institute any enterprise it can see."""
    scope = scope_for(user)
    visible = directory_selectors.organisation_visible(user=user).filter(
        kind=OrganisationKind.ENTERPRISE
    )
    if scope.is_admin or Role.INSTITUTION in scope.organisation_roles.values():
        return visible.select_related("region").order_by("name")
    return visible.filter(scope.region_q("region")).select_related("region").order_by("name")


class VisitForm(forms.ModelForm):
    class Meta:
        model = EnterpriseVisit
        fields = ("enterprise", "visited_on", "visitor_organisation", "participants", "notes")
        widgets = {"visited_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        enterprise = self.fields["enterprise"]
        enterprise.queryset = visit_enterprises(user)
        enterprise.label_from_instance = lambda o: f"{o.name}（{o.region.name}）"
        _tom_select(enterprise)
        visitor = self.fields["visitor_organisation"]
        visitor.queryset = _visiting_organisations(user)
        visitor.label_from_instance = lambda o: f"{o.name}（{o.region.name}）"
        if not (scope.is_admin or scope.is_officer):
            visitor.required = True
            visitor.empty_label = None
        else:
            visitor.help_text = _("Leave empty when the talent office visited on its own.")
            _tom_select(visitor)
        self.fields["participants"].help_text = _(
            "Who took part, e.g. 青田人才办 王科长、丽水学院 李教授"
        )

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class VisitFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False, widget=FastSelect)
    visitor = forms.ChoiceField(label=_("Visited by"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user, visits: QuerySet[EnterpriseVisit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        codes = set(visits.order_by().values_list("region_id", flat=True).distinct())
        codes |= set(scope_for(user).region_codes)
        self.fields["region"].choices = region_filter_choices(codes)
        _tom_select(self.fields["region"])
        visitors = (
            Organisation.objects.filter(
                pk__in=visits.exclude(visitor_organisation=None).values("visitor_organisation")
            )
            .order_by("name")
            .values_list("pk", "name")
        )
        self.fields["visitor"].choices = [("", _("Any visitor")), *visitors]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        """The valid part of the input: a bad date is reported and ignored, not fatal."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        region = data.get("region") or ""
        visitor = data.get("visitor") or ""
        return {
            "region": region_prefix(region) if region else "",
            "visitor": int(visitor) if str(visitor).isdigit() else None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
