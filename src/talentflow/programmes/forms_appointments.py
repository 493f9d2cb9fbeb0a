"""Forms of the appointment pages (科技副总, 产业教授, 合伙人, 互聘共享). They parse input; the
services decide and validate the rules (conflicts, concurrency, terms), and their errors are
shown next to the fields they name."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentflow.accounts.permissions import scope_for
from talentflow.core.forms import DateInput
from talentflow.core.widgets import FastSelect
from talentflow.directory import selectors as directory_selectors
from talentflow.directory.forms import _lookup_field, _tom_select
from talentflow.directory.models import INSTITUTION_KINDS, Organisation, OrganisationKind
from talentflow.programmes import permissions
from talentflow.programmes.models import (
    AppointmentKind,
    AppointmentLevel,
    AppointmentRequest,
    AppointmentStatus,
    RequestStatus,
    ReviewRating,
    WorkLogKind,
)
from talentflow.reference.models import Region

ALL = _("All")


def _blank(choices, label=ALL):
    return [("", label), *choices]


def _region_choices(queryset: QuerySet) -> list[tuple[str, str]]:
    """The regions of the records in ``queryset`` (its ``region`` relation)."""
    codes = queryset.order_by().values_list("region_id", flat=True).distinct()
    return [(r.code, r.name) for r in Region.objects.filter(code__in=codes).order_by("code")]


# Filters ---------------------------------------------------------------------------------------


class RequestFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(AppointmentKind.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(RequestStatus.choices)
    )
    region = forms.ChoiceField(label=_("Region"), required=False, widget=FastSelect)

    def __init__(self, *args, queryset: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _blank(_region_choices(queryset))

    def apply(self, qs: QuerySet) -> QuerySet:
        data = self.cleaned_data if self.is_valid() else {}
        if q := (data.get("q") or "").strip():
            qs = qs.filter(
                Q(title__icontains=q) | Q(host__name__icontains=q) | Q(field__icontains=q)
            )
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("region"):
            qs = qs.filter(region__code__startswith=data["region"])
        return qs


class AppointmentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Appointee, host or letter number."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(AppointmentKind.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(AppointmentStatus.choices)
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=_blank(AppointmentLevel.choices)
    )
    region = forms.ChoiceField(label=_("Region"), required=False, widget=FastSelect)

    def __init__(self, *args, queryset: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _blank(_region_choices(queryset))

    def apply(self, qs: QuerySet) -> QuerySet:
        data = self.cleaned_data if self.is_valid() else {}
        if q := (data.get("q") or "").strip():
            qs = qs.filter(
                Q(appointee__name__icontains=q)
                | Q(host__name__icontains=q)
                | Q(letter_number__icontains=q)
            )
        for name in ("kind", "status", "level"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("region"):
            qs = qs.filter(region__code__startswith=data["region"])
        return qs


# Requests --------------------------------------------------------------------------------------


def request_hosts(user) -> QuerySet[Organisation]:
    """The organisations ``user`` may file a request for: those they act for, and (an officer)
    those of the regions they govern."""
    scope = scope_for(user)
    q = Q(pk__in=permissions.organisation_ids(user))
    if scope.is_admin:
        q |= Q(kind=OrganisationKind.ENTERPRISE) | Q(kind__in=INSTITUTION_KINDS)
    elif scope.is_officer:
        q |= scope.region_q("region") & (
            Q(kind=OrganisationKind.ENTERPRISE) | Q(kind__in=INSTITUTION_KINDS)
        )
    return Organisation.objects.filter(q, is_active=True).select_related("region").order_by("name")


REQUEST_FIELDS = ("industry", "disciplines", "target_organisations")


def target_choices(user) -> QuerySet[Organisation]:
    """Where a request may look: every active institution (universities and institutes are
    public), and the organisations the user sees (enterprises, for an industry professor)."""
    visible = directory_selectors.organisation_visible(user=user).values("pk")
    return (
        Organisation.objects.filter(Q(kind__in=INSTITUTION_KINDS) | Q(pk__in=visible))
        .filter(is_active=True)
        .select_related("region")
        .order_by("name")
    )


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=AppointmentKind.choices,
        help_text=_(
            "An enterprise asks for a technology vice president, a partner or mutual hiring; an "
            "institution asks for an industry professor."
        ),
    )
    host = forms.ModelChoiceField(
        label=_("Host organisation"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What the appointee should do"), widget=forms.Textarea(attrs={"rows": 5})
    )
    field = forms.CharField(
        label=_("Field"),
        max_length=200,
        required=False,
        help_text=_("The technical field, in a few words (e.g. 功能膜材料)."),
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hosts = self.fields["host"]
        hosts.queryset = request_hosts(user)
        hosts.label_from_instance = lambda o: f"{o.name}（{o.region.name}）"
        self.fields.update(fields_for_model(AppointmentRequest, fields=REQUEST_FIELDS))
        _lookup_field(self.fields["industry"], "industries")
        _lookup_field(self.fields["disciplines"], "disciplines")
        targets = self.fields["target_organisations"]
        targets.queryset = target_choices(user)
        targets.label_from_instance = lambda o: f"{o.name}（{o.region.name}）"
        targets.help_text = _(
            "The institutions (or, for an industry professor, the enterprises) to look in."
        )
        _tom_select(targets)
        if not self.is_bound:
            first = list(hosts.queryset[:2])
            if len(first) == 1:
                self.initial.setdefault("host", first[0].pk)

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "host": data["host"],
            "title": data["title"],
            "description": data["description"],
            "field": data.get("field") or "",
            "industry": data.get("industry"),
            "disciplines": list(data.get("disciplines") or ()),
            "target_organisations": list(data.get("target_organisations") or ()),
        }


class ProposeForm(forms.Form):
    talent = forms.IntegerField(widget=forms.HiddenInput)
    level = forms.ChoiceField(
        label=_("Level"), choices=AppointmentLevel.choices, initial=AppointmentLevel.COUNTY
    )
    proposal_note = forms.CharField(
        label=_("Why this candidate"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# Appointments ----------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class StartForm(forms.Form):
    term_start = forms.DateField(label=_("Term starts"), widget=DateInput)
    term_end = forms.DateField(label=_("Term ends"), widget=DateInput)
    duties = forms.CharField(label=_("Duties"), widget=forms.Textarea(attrs={"rows": 3}))
    days_per_month = forms.IntegerField(
        label=_("Working days per month"), min_value=1, max_value=31
    )
    annual_salary = forms.DecimalField(
        label=_("Annual salary (yuan)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        help_text=_("What the host pays per year; needed for the subsidy. Exact to the fen."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end <= start:
            self.add_error("term_end", _("The term must end after it starts."))
        return data


class RenewForm(forms.Form):
    term_end = forms.DateField(label=_("New term ends"), widget=DateInput)
    duties = forms.CharField(
        label=_("Duties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Left empty: the same duties."),
    )
    days_per_month = forms.IntegerField(
        label=_("Working days per month"), required=False, min_value=1, max_value=31
    )
    annual_salary = forms.DecimalField(
        label=_("Annual salary (yuan)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
    )


class WorkLogForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkLogKind.choices)
    days = forms.DecimalField(
        label=_("Days"),
        min_value=Decimal("0.5"),
        max_value=Decimal("31"),
        max_digits=4,
        decimal_places=1,
        initial=Decimal("1"),
    )
    summary = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())


class ReviewForm(forms.Form):
    period_start = forms.DateField(label=_("Period starts"), widget=DateInput)
    period_end = forms.DateField(label=_("Period ends"), widget=DateInput)
    rating = forms.ChoiceField(label=_("Rating"), choices=ReviewRating.choices)
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must not end before it starts."))
        return data


# Joint labs ------------------------------------------------------------------------------------


class JointLabForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    established_on = forms.DateField(label=_("Established on"), widget=DateInput)
    appointment = forms.ModelChoiceField(
        label=_("Through appointment"),
        queryset=None,
        required=False,
        widget=FastSelect,
        help_text=_("The appointment through which the lab was co-built, if any."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user, appointments: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        region_q = Q() if scope.is_admin else scope.region_q("region")
        self.fields["enterprise"].queryset = (
            Organisation.objects.filter(region_q, kind=OrganisationKind.ENTERPRISE)
            .select_related("region")
            .order_by("name")
        )
        visible = directory_selectors.organisation_visible(user=user)
        self.fields["institution"].queryset = (
            Organisation.objects.filter(
                pk__in=visible.filter(kind__in=INSTITUTION_KINDS).values("pk")
            )
            .select_related("region")
            .order_by("name")
        )
        self.fields["appointment"].queryset = appointments
        if not self.is_bound:
            self.initial.setdefault("established_on", timezone.localdate())
