"""Forms of the call pages. They parse input; the services decide and validate the rules
(weights, the panel's regions, the period, conflicts)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentflow.accounts.models import Membership, Role
from talentflow.calls import permissions
from talentflow.calls.models import CallKind, CallStatus
from talentflow.calls.selectors import CallFilters
from talentflow.core.forms import DateInput
from talentflow.directory.models import Organisation, OrganisationKind, TalentProfile
from talentflow.reference.models import Alliance

ACCEPT = ",".join(settings.TALENTFLOW_DOCUMENT_TYPES)
ALL = _("All")


def _blank(choices, label=ALL):
    return [("", label), *choices]


class CallFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(CallStatus.choices)
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(CallKind.choices))
    region = forms.CharField(label=_("Calling region code"), required=False, max_length=6)

    def filters(self) -> CallFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return CallFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            region=(data.get("region") or "").strip()[:6],
        )


class CallForm(forms.Form):
    alliance = forms.ModelChoiceField(label=_("Alliance"), queryset=Alliance.objects.none())
    programme = forms.CharField(label=_("Programme"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CallKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    period_start = forms.DateField(label=_("Applications from"), widget=DateInput)
    period_end = forms.DateField(label=_("Applications until"), widget=DateInput)
    quota = forms.IntegerField(label=_("Quota"), min_value=1, max_value=10000)

    def __init__(self, *args, user, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        scope = permissions.scope_for(user)
        qs = Alliance.objects.order_by("code")
        if not scope.is_admin:
            q = Q(pk__in=[])
            for prefix in scope.region_prefixes:
                q |= Q(memberships__region__code__startswith=prefix)
            qs = qs.filter(q).distinct()
        self.fields["alliance"].queryset = qs
        if editing:
            del self.fields["alliance"]


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200, required=False)
    weight = forms.IntegerField(label=_("Weight (%)"), min_value=1, max_value=100, required=False)
    max_score = forms.DecimalField(
        label=_("Maximum score"), min_value=0.01, max_digits=6, decimal_places=2, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("name") and (data.get("weight") is None or data.get("max_score") is None):
            raise forms.ValidationError(_("Give the weight and the maximum score."))
        return data


CriterionFormSet = forms.formset_factory(CriterionForm, extra=0, min_num=6, max_num=20)


class PanelForm(forms.Form):
    officers = forms.ModelMultipleChoiceField(
        label=_("Officers"),
        required=False,
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Talent-office officers of the member regions."),
    )
    experts = forms.ModelMultipleChoiceField(
        label=_("Experts"),
        required=False,
        queryset=TalentProfile.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Named experts of the member regions."),
    )

    def __init__(self, *args, call, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        members = permissions.member_codes(call.alliance_id)
        self.fields["officers"].queryset = (
            get_user_model()
            .objects.filter(
                pk__in=Membership.objects.filter(
                    role=Role.OFFICER, is_active=True, region_id__in=members
                ).values("user_id")
            )
            .order_by("username")
        )
        self.fields["experts"].queryset = (
            TalentProfile.objects.filter(
                Q(home_region_id__in=members)
                | Q(affiliations__organisation__region_id__in=members, affiliations__end_date=None)
            )
            .distinct()
            .order_by("name")
        )


class ApplicationForm(forms.Form):
    project_title = forms.CharField(label=_("Project"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Enterprise of the project"), queryset=Organisation.objects.none()
    )
    statement = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Your achievements and plans against the call's criteria."),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, call, talent, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if call.kind != CallKind.PROJECT:
            del self.fields["project_title"]
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                kind=OrganisationKind.ENTERPRISE,
                affiliations__talent=talent,
                affiliations__end_date=None,
            ).distinct()


class ScoreForm(forms.Form):
    """One row per criterion: 0..max."""

    def __init__(self, *args, criteria, initial_scores=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.DecimalField(
                label=f"{c.name} ({c.weight}%)",
                min_value=0,
                max_value=c.max_score,
                max_digits=6,
                decimal_places=2,
                help_text=_("0 to %(max)s") % {"max": c.max_score},
                initial=(initial_scores or {}).get(c.pk),
            )

    def scores(self) -> dict[int, object]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
