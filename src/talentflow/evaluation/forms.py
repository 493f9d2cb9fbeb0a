"""Forms of the evaluation pages. They parse input; the services decide and validate the rules
(quota, period, region), and their errors are shown next to the fields they name."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentflow.accounts.permissions import scope_for
from talentflow.core.forms import DateInput
from talentflow.core.widgets import FastSelect
from talentflow.directory.models import (
    Affiliation,
    Education,
    Organisation,
    OrganisationKind,
    TalentProfile,
)
from talentflow.evaluation.models import (
    AUTHORISED_CATEGORIES,
    DIRECT_CATEGORIES,
    AuthorisationStatus,
    Category,
    EvaluationStatus,
    RecommendationStatus,
    ResultSource,
    Tier,
)
from talentflow.evaluation.selectors import (
    AuthorisationFilters,
    EvaluationFilters,
    ResultFilters,
)
from talentflow.evaluation.services import EVIDENCE_KINDS
from talentflow.reference.models import Region

ACCEPT = ",".join(settings.TALENTFLOW_DOCUMENT_TYPES)


ALL = _("All")


def _blank(choices, label=ALL):
    return [("", label), *choices]


def governed_regions(user):
    """The regions an officer governs (an administrator: every county and city)."""
    scope = scope_for(user)
    if scope.is_admin:
        return Region.objects.exclude(level="province").order_by("code")
    return Region.objects.filter(code__in=scope.region_codes).order_by("code")


def _region_q(user, path: str) -> Q:
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    return scope.region_q(path)


# Filters -------------------------------------------------------------------------------------


class AuthorisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(AuthorisationStatus.choices)
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=_blank([(c.value, c.label) for c in AUTHORISED_CATEGORIES]),
    )
    current = forms.BooleanField(label=_("Period includes today"), required=False)

    def filters(self) -> AuthorisationFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return AuthorisationFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            category=data.get("category") or "",
            current=bool(data.get("current")),
        )


class EvaluationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(EvaluationStatus.choices)
    )

    def filters(self) -> EvaluationFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return EvaluationFilters(q=data.get("q") or "", status=data.get("status") or "")


RESULT_STATES = [
    ("current", _("Valid today")),
    ("expired", _("Expired")),
    ("revoked", _("Revoked")),
]


class ResultFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_blank(Category.choices)
    )
    tier = forms.ChoiceField(label=_("Tier"), required=False, choices=_blank(Tier.choices))
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=_blank(ResultSource.choices)
    )
    state = forms.ChoiceField(label=_("Validity"), required=False, choices=_blank(RESULT_STATES))
    region = forms.CharField(required=False, widget=forms.HiddenInput)

    def filters(self) -> ResultFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ResultFilters(
            q=data.get("q") or "",
            category=data.get("category") or "",
            tier=data.get("tier") or "",
            source=data.get("source") or "",
            state=data.get("state") or "",
            region=(data.get("region") or "").strip()[:6],
        )


class RecommendationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(RecommendationStatus.choices)
    )


# Authorisations ----------------------------------------------------------------------------


class AuthorisationForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[(c.value, c.label) for c in AUTHORISED_CATEGORIES]
    )
    scope = forms.CharField(
        label=_("Scope"),
        max_length=500,
        help_text=_("The fields, roles or industries the authorisation covers."),
    )
    quota = forms.IntegerField(label=_("Quota of talents"), min_value=1, max_value=10000)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput)
    period_end = forms.DateField(label=_("Period until"), widget=DateInput)
    criteria_text = forms.CharField(
        label=_("Evaluation criteria"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the enterprise values: contribution, skills, results — not degrees."),
    )
    criteria_file = forms.FileField(
        label=_("Criteria document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = (
            Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, is_active=True)
            .filter(_region_q(user, "region"))
            .order_by("name")
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


# Evaluations ---------------------------------------------------------------------------------


class EvaluationForm(forms.Form):
    talent = forms.ModelChoiceField(
        label=_("Talent"), queryset=TalentProfile.objects.none(), widget=FastSelect
    )
    evaluated_on = forms.DateField(label=_("Evaluation date"), widget=DateInput)
    role = forms.CharField(label=_("Role"), max_length=100)
    years_on_job = forms.IntegerField(label=_("Years on the job"), min_value=0, max_value=70)
    achievements = forms.CharField(
        label=_("Achievements and contribution"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Patents, problems solved, products, apprentices trained, awards."),
    )
    degree = forms.ChoiceField(
        label=_("Degree (optional)"),
        required=False,
        choices=[("", _("None or not relevant")), *Education.choices],
    )
    proposed_tier = forms.ChoiceField(label=_("Proposed tier"), choices=Tier.choices)
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("One file: certificates, patents, awards (PDF, Office, images, zip)."),
    )

    def __init__(self, *args, authorisation, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        employees = Affiliation.objects.filter(
            organisation=authorisation.enterprise, kind__in=EVIDENCE_KINDS
        ).values("talent_id")
        self.fields["talent"].queryset = TalentProfile.objects.filter(pk__in=employees).order_by(
            "name"
        )
        if editing:
            del self.fields["talent"]
        if not self.is_bound and not editing:
            self.initial.setdefault("evaluated_on", timezone.localdate())

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            from talentflow.core.uploads import check_upload

            try:
                check_upload(upload, "evidence")
            except forms.ValidationError as error:
                raise forms.ValidationError(error.message_dict["evidence"]) from error
        return upload


class EndorseForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DateInput,
        required=False,
        help_text=_("Left empty: the tier's usual validity."),
    )


# Recommendations ------------------------------------------------------------------------------


class RecommendationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    region = forms.ModelChoiceField(
        label=_("Talent office"),
        queryset=Region.objects.filter(level="county").order_by("code"),
        widget=FastSelect,
    )


class EntryForm(forms.Form):
    talent = forms.ModelChoiceField(
        label=_("Talent"), queryset=TalentProfile.objects.none(), widget=FastSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    proposed_tier = forms.ChoiceField(label=_("Proposed tier"), choices=Tier.choices)


class BaseEntryFormSet(forms.BaseFormSet):
    def __init__(self, *args, talents, **kwargs) -> None:
        self.talents = talents
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["talent"].queryset = self.talents
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        form.fields["talent"].queryset = self.talents
        return form


EntryFormSet = forms.formset_factory(
    EntryForm, formset=BaseEntryFormSet, extra=3, min_num=1, validate_min=True, max_num=200
)


def recommendable_talents(association: Organisation):
    """People currently working for an enterprise of the association's prefecture."""
    prefix = association.region_id[:4]
    employees = Affiliation.objects.filter(
        organisation__kind=OrganisationKind.ENTERPRISE,
        organisation__region__code__startswith=prefix,
        kind__in=EVIDENCE_KINDS,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
    return TalentProfile.objects.filter(pk__in=employees.values("talent_id")).order_by("name")


class NoticeForm(forms.Form):
    notice_start = forms.DateField(label=_("Notice from"), widget=DateInput)
    notice_end = forms.DateField(label=_("Notice until"), widget=DateInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            # 公示 usually runs five working days: a week.
            self.initial.update(notice_start=today, notice_end=today + dt.timedelta(days=7))


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("uphold", _("Uphold: remove the talent")), ("dismiss", _("Dismiss"))],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class FinaliseForm(forms.Form):
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput, required=False)
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DateInput,
        required=False,
        help_text=_("Left empty: the tier's usual validity."),
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Your objection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


# Results ---------------------------------------------------------------------------------------


class ResultForm(forms.Form):
    talent = forms.IntegerField(
        label=_("Talent (system number)"),
        help_text=_("The number shown on the talent's page."),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[(c.value, c.label) for c in DIRECT_CATEGORIES]
    )
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DateInput,
        required=False,
        help_text=_("Left empty: the tier's usual validity."),
    )
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence_file = forms.FileField(
        label=_("Evidence document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        regions = governed_regions(user)
        self.fields["region"].queryset = regions
        if not self.is_bound:
            self.initial.setdefault("valid_from", timezone.localdate())
            if regions.count() == 1:
                self.initial.setdefault("region", regions.first())

    def clean_talent(self):
        pk = self.cleaned_data["talent"]
        from talentflow.directory.selectors import talent_visible

        talent = talent_visible(user=self.user).filter(pk=pk).first()
        if talent is None:
            raise forms.ValidationError(_("No talent has this number."))
        return talent
