"""Forms of the recognition pages. They parse input; the services decide and validate the rules
(membership of the issuing region, levels, hours, evidence), and their errors are shown next to
the fields they name."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentflow.core.forms import DateInput
from talentflow.core.widgets import FastSelect
from talentflow.recognition.models import CatalogueEntry, CertificateStatus, Kind
from talentflow.recognition.selectors import CatalogueFilters, CertificateFilters, stats_alliances
from talentflow.reference.models import Alliance, Qualification, Region, TitleLevel, TitleSeries

ACCEPT = ",".join(settings.TALENTFLOW_DOCUMENT_TYPES)
ALL = _("All")


def _blank(choices, label=ALL):
    return [("", label), *choices]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(Kind.choices))
    alliance = forms.ModelChoiceField(
        label=_("Alliance"), required=False, queryset=Alliance.objects.order_by("code")
    )

    def filters(self) -> CatalogueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        alliance = data.get("alliance")
        return CatalogueFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            alliance=alliance.pk if alliance else None,
        )


class CertificateFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(Kind.choices))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(CertificateStatus.choices)
    )
    issuer = forms.ModelChoiceField(
        label=_("Issuing region"),
        required=False,
        queryset=Region.objects.filter(alliances__isnull=False).distinct().order_by("code"),
    )
    valid = forms.BooleanField(label=_("Valid today"), required=False)

    def filters(self) -> CertificateFilters:
        data = self.cleaned_data if self.is_valid() else {}
        issuer = data.get("issuer")
        return CertificateFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            issuer=issuer.code if issuer else "",
            valid=bool(data.get("valid")),
        )


class CatalogueEntryForm(forms.Form):
    alliance = forms.ModelChoiceField(label=_("Alliance"), queryset=Alliance.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    qualification = forms.ModelChoiceField(
        label=_("Vocational qualification"),
        required=False,
        queryset=Qualification.objects.order_by("entry_no"),
        widget=FastSelect,
        help_text=_("For a vocational qualification: the entry of the 2021 national catalogue."),
    )
    title_series = forms.ModelChoiceField(
        label=_("Title series"),
        required=False,
        queryset=TitleSeries.objects.order_by("seq"),
        help_text=_("For a professional title: the series; the level is on each certificate."),
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=128,
        help_text=_("For work permits and continuing education: what is recognised."),
    )
    since = forms.DateField(label=_("Recognised since"), widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        alliances = stats_alliances(user).order_by("code")
        self.fields["alliance"].queryset = alliances
        if not self.is_bound:
            self.initial.setdefault("since", timezone.localdate())
            if alliances.count() == 1:
                self.initial.setdefault("alliance", alliances.first())


class ApplyForm(forms.Form):
    entry = forms.ModelChoiceField(
        label=_("What to recognise"),
        queryset=CatalogueEntry.objects.none(),
        widget=FastSelect,
    )
    issuing_region = forms.ModelChoiceField(
        label=_("Region to certify it"),
        queryset=Region.objects.filter(alliances__isnull=False).distinct().order_by("code"),
        help_text=_("One member region certifies; every member of the alliance accepts it."),
    )
    title_level = forms.ChoiceField(
        label=_("Title level"),
        required=False,
        choices=_blank(TitleLevel.choices, _("Not a title")),
    )
    hours = forms.IntegerField(
        label=_("Continuing-education hours"), required=False, min_value=1, max_value=1000
    )
    original_number = forms.CharField(
        label=_("Number of the original certificate"), required=False, max_length=64
    )
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where and when you obtained it, and by whom it was issued."),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("A scan of the certificate, permit or hours record."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = CatalogueEntry.objects.select_related(
            "alliance", "qualification", "title_series"
        ).order_by("alliance__code", "kind", "qualification__entry_no", "title_series__seq", "id")
        self.fields["entry"].label_from_instance = lambda e: (
            f"{e.get_kind_display()} · {e.label} ({e.alliance})"
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class CertifyForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput,
        help_text=_("Left empty: the kind's usual validity."),
    )


class RegisterImportForm(forms.Form):
    """An issuing region's register of certificates it already certified (recognition.register)."""

    region = forms.ModelChoiceField(label=_("Issuing region"), queryset=Region.objects.none())
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        codes = [r.code for r in regions]
        self.fields["region"].queryset = Region.objects.filter(code__in=codes).order_by("code")
        if len(codes) == 1:
            self.fields["region"].initial = codes[0]


class CatalogueImportForm(forms.Form):
    """An alliance's catalogue from a spreadsheet (recognition.catalogue_sheet)."""

    alliance = forms.ModelChoiceField(label=_("Alliance"), queryset=Alliance.objects.none())
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False)

    def __init__(self, *args, alliances=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [a.pk for a in alliances]
        self.fields["alliance"].queryset = Alliance.objects.filter(pk__in=ids).order_by("code")
        if len(ids) == 1:
            self.fields["alliance"].initial = ids[0]
