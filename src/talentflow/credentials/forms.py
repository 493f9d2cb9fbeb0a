"""Forms of the talent-code pages: the catalogue's filters and the service form."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentflow.accounts.permissions import scope_for
from talentflow.core.widgets import FastSelect
from talentflow.credentials import keys
from talentflow.credentials.models import ServiceGroup, ServiceLimit
from talentflow.credentials.selectors import ServiceFilters
from talentflow.directory.models import Organisation, OrganisationKind
from talentflow.evaluation.models import Tier
from talentflow.reference.models import Region

ALL = _("All")


def _blank(choices, label=ALL):
    return [("", label), *choices]


def member_regions():
    return Region.objects.filter(code__in=keys.member_codes()).order_by("code")


def managed_regions(user):
    """The member regions an officer manages services of (an administrator: all of them)."""
    scope = scope_for(user)
    regions = member_regions()
    if scope.is_admin:
        return regions
    q = Q(pk__in=[])
    for prefix in scope.region_prefixes:
        q |= Q(code__startswith=prefix)
    return regions.filter(q)


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    group = forms.ChoiceField(
        label=_("Service group"), required=False, choices=_blank(ServiceGroup.choices)
    )
    tier = forms.ChoiceField(label=_("Tier"), required=False, choices=_blank(Tier.choices))
    limit = forms.ChoiceField(
        label=_("Limit"), required=False, choices=_blank(ServiceLimit.choices)
    )
    mine = forms.BooleanField(label=_("Only my organisation's services"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _blank([(r.code, r.name) for r in member_regions()])

    def filters(self) -> ServiceFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ServiceFilters(
            q=data.get("q") or "",
            region=data.get("region") or "",
            group=data.get("group") or "",
            tier=data.get("tier") or "",
            limit=data.get("limit") or "",
            mine=bool(data.get("mine")),
        )


class ServiceForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    group = forms.ChoiceField(label=_("Service group"), choices=ServiceGroup.choices)
    eligible_tiers = forms.MultipleChoiceField(
        label=_("Eligible tiers"), choices=Tier.choices, widget=forms.CheckboxSelectMultiple
    )
    limit = forms.ChoiceField(label=_("Limit"), choices=ServiceLimit.choices)
    limit_count = forms.IntegerField(
        label=_("Times a year"),
        min_value=1,
        max_value=365,
        initial=1,
        help_text=_("For a limit of N times a year."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    active = forms.BooleanField(label=_("Offered"), required=False, initial=True)

    def __init__(self, *args, user, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        regions = managed_regions(user)
        self.fields["region"].queryset = regions
        q = Q(pk__in=[])
        for region in regions:
            q |= Q(region__code__startswith=region.prefix)
        self.fields["provider"].queryset = Organisation.objects.filter(
            q, kind=OrganisationKind.SERVICE_PROVIDER
        ).order_by("name")
        if editing:
            self.fields["code"].disabled = True
        elif regions.count() == 1 and not self.is_bound:
            self.initial.setdefault("region", regions.first())

    def clean(self):
        data = super().clean()
        region, provider = data.get("region"), data.get("provider")
        if region and provider and not provider.region_id.startswith(region.prefix):
            self.add_error("provider", _("The provider is not in this region."))
        return data
