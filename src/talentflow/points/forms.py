"""Forms of the points pages. They validate input; the services decide and write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from talentflow.accounts.permissions import scope_for
from talentflow.core.forms import DateInput
from talentflow.directory.filters import _choice, _code, _text
from talentflow.directory.forms import LookupSelect
from talentflow.directory.models import TalentProfile
from talentflow.needs.forms_solving import TalentField, parse_decimal
from talentflow.points.models import (
    RECORDED_KINDS,
    EventKind,
    EventSource,
    PointsRate,
    SchemeVersion,
)
from talentflow.points.selectors import EventFilters
from talentflow.reference.models import Region

EVENT_PARAMS = ("q", "kind", "source", "region", "year")


def event_filters_from(params: Mapping[str, str]) -> EventFilters:
    year = _text(params, "year", 4)
    return EventFilters(
        q=_text(params, "q"),
        kind=_choice(params, "kind", EventKind),
        source=_choice(params, "source", EventSource),
        region=_code(params, "region"),
        year=year if year.isdigit() else "",
    )


class EventFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Event kind"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)
    year = forms.CharField(label=_("Year"), required=False, max_length=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any kind")), *EventKind.choices]
        self.fields["source"].choices = [("", _("Any source")), *EventSource.choices]


class DecimalText(forms.CharField):
    """A number typed with or without thousands separators, as an exact Decimal."""

    def clean(self, value: Any):
        value = super().clean(value)
        if value in (None, ""):
            return None
        number = parse_decimal(value)
        if number is None:
            raise forms.ValidationError(_("Enter a number."))
        return number


class EventForm(forms.Form):
    talent = TalentField(label=_("Talent"), queryset=TalentProfile.objects.none())
    kind = forms.ChoiceField(label=_("Event kind"))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    quantity = DecimalText(
        label=_("Quantity"),
        help_text=_("Years of the appointment served, students mentored, or days of service."),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=255)
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The document that proves it: its number, issuer and date."),
    )

    def __init__(
        self, *args: Any, user, talents: QuerySet[TalentProfile], lookup_url: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in RECORDED_KINDS]
        field = self.fields["talent"]
        field.queryset = talents
        field.widget.attrs["data-tom-select"] = ""
        if lookup_url:
            field.widget = LookupSelect(attrs=dict(field.widget.attrs))
            field.widget.choices = field.choices
            field.widget.attrs["data-tom-select-url"] = lookup_url
        scope = scope_for(user)
        regions = Region.objects.all() if scope.is_admin else Region.objects.none()
        if not scope.is_admin:
            regions = Region.objects.filter(code__in=scope.region_codes)
        self.fields["region"].queryset = regions.order_by("code")
        if len(scope.region_codes) == 1:
            self.fields["region"].initial = next(iter(scope.region_codes))


class SchemeForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    name = forms.CharField(label=_("Name"), max_length=128)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        qs = Region.objects.filter(code__in=scope.region_codes)
        if scope.is_admin:
            qs = Region.objects.exclude(level="province")
        self.fields["region"].queryset = qs.order_by("code")


class VersionForm(forms.ModelForm):
    period_cap = DecimalText(
        label=_("Cap per talent and year (all kinds)"),
        required=False,
        help_text=_("Leave empty for no overall cap."),
    )

    class Meta:
        model = SchemeVersion
        fields = ["effective_from", "note"]
        widgets = {
            "effective_from": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class RateForm(forms.Form):
    """One row of the table. A row without a kind is ignored; a kind without points is kept
    (it earns 0 points and appears on statements)."""

    kind = forms.ChoiceField(label=_("Event kind"), required=False)
    base_points = DecimalText(label=_("Base points"), required=False)
    points_per_unit = DecimalText(label=_("Points per unit"), required=False)
    unit_size = DecimalText(label=_("Unit size"), required=False)
    cap = DecimalText(label=_("Cap per talent and year"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *EventKind.choices]


RateFormSet = forms.formset_factory(RateForm, extra=3, max_num=len(EventKind.choices))


def rate_initial(rates: QuerySet[PointsRate]) -> list[dict[str, Any]]:
    return [
        {
            "kind": r.kind,
            "base_points": r.base_points,
            "points_per_unit": r.points_per_unit.normalize(),
            "unit_size": r.unit_size,
            "cap": r.cap,
        }
        for r in rates
    ]


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was wrong with this event: the talent reads it."),
    )
