"""Forms of the directory pages.

The filter forms only re-show what the user chose: the query itself is parsed by
``filters.py``, the same way for the list pages, the export links and the API. The edit forms
validate input and hand ``cleaned_data`` to the services, which own every write; a form never
calls ``save()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from talentflow.accounts.permissions import scope_for
from talentflow.core.validators import normalise_code
from talentflow.core.widgets import FastSelect
from talentflow.directory import selectors
from talentflow.directory.models import (
    Affiliation,
    Availability,
    Education,
    Organisation,
    OrganisationKind,
    TalentProfile,
)
from talentflow.directory.services import ORGANISATION_FIELDS, TALENT_FIELDS, TALENT_SELF_FIELDS
from talentflow.reference.models import (
    Alliance,
    Discipline,
    DisciplineScheme,
    Industry,
    Qualification,
    Region,
    TitleLevel,
    TitleSeries,
)

Choices = list[tuple[Any, Any]]


def lookup_url(kind: str) -> str:
    """The reference lookup endpoint Tom Select loads options from (see reference/api.py)."""
    return reverse("api:reference_lookup", kwargs={"kind": kind})


# Widgets ---------------------------------------------------------------------------------


class _ChosenOnlyMixin:
    """Render only the chosen options of a large taxonomy.

    2,916 NSFC codes or 1,970 industries would make every form page megabytes long; Tom Select
    loads the other options from the lookup API as the user types. The field's queryset still
    spans the whole taxonomy, so any valid code is accepted, and without JavaScript the chosen
    values are kept as they are.
    """

    allow_multiple_selected: bool

    def optgroups(self, name: str, value: list[str], attrs: dict | None = None):
        everything = self.choices
        self.choices = self._chosen_choices(value)
        try:
            return super().optgroups(name, value, attrs)  # type: ignore[misc]
        finally:
            self.choices = everything

    def _chosen_choices(self, value: Iterable[str]) -> Choices:
        field = self.choices.field  # a ModelChoiceIterator knows its field
        choices: Choices = []
        if not self.allow_multiple_selected and field.empty_label is not None:
            choices.append(("", field.empty_label))
        keys = []
        pk_field = field.queryset.model._meta.pk
        for raw in value:
            if raw in (None, ""):
                continue
            try:
                keys.append(pk_field.to_python(raw))
            except ValidationError:
                continue
        if keys:
            choices += [
                (field.prepare_value(obj), field.label_from_instance(obj))
                for obj in field.queryset.filter(pk__in=keys)
            ]
        return choices


class LookupSelect(_ChosenOnlyMixin, forms.Select):
    pass


class LookupSelectMultiple(_ChosenOnlyMixin, forms.SelectMultiple):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _tom_select(field: forms.Field, kind: str | None = None) -> None:
    """Mark a select for Tom Select, loading from the lookup API when ``kind`` is given."""
    field.widget.attrs["data-tom-select"] = ""
    if kind:
        field.widget.attrs["data-tom-select-url"] = lookup_url(kind)


# Choices of the filter panels --------------------------------------------------------------


def industry_filter_choices() -> Choices:
    """GB/T 4754 门类 as groups, each opening with the whole section, then its 大类."""
    rows = sorted(
        Industry.objects.filter(level__lte=2).values_list("code", "name", "level", "section"),
        key=lambda r: (r[3], r[2], r[0]),
    )
    groups: Choices = []
    for code, name, level, section in rows:
        if level == 1:
            label = _("%(code)s %(name)s (whole section)") % {"code": code, "name": name}
            options = [(code, label)]
            groups.append((f"{section} {name}", options))
        elif groups:
            groups[-1][1].append((code, f"{code} {name}"))
    return [("", _("All industries")), *groups]


def discipline_filter_choices() -> Choices:
    """The graduate catalogue: 门类 as groups, each opening with the whole 门类, then 一级学科."""
    rows = Discipline.objects.filter(scheme=DisciplineScheme.GRADUATE_2022, level__lte=2)
    groups: dict[str, tuple[str, Choices]] = {}
    for d in sorted(rows, key=lambda d: (d.code[:2], d.level, d.code)):
        if d.level == 1:
            options = [(d.code, _("%(code)s %(name)s (all)") % {"code": d.code, "name": d.name})]
            groups[d.code] = (f"{d.code} {d.name}", options)
        elif d.code[:2] in groups:
            groups[d.code[:2]][1].append((d.code, f"{d.code} {d.name}"))
    return [("", _("All disciplines")), *groups.values()]


def region_filter_choices(codes: Iterable[str]) -> Choices:
    """The regions in ``codes`` and their prefectures, grouped by province.

    Filtering by a prefecture covers its counties (the selectors match code prefixes), so the
    prefectures are offered too: an officer of 丽水 filters by the city as a whole.
    """
    counties = list(Region.objects.filter(code__in=set(codes)).select_related("parent__parent"))
    wanted: dict[str, Region] = {}
    for region in counties:
        wanted[region.code] = region
        parent = region.parent
        if parent is not None and parent.level != "province":
            wanted[parent.code] = parent
    provinces: dict[str, tuple[str, Choices]] = {}
    for code in sorted(wanted):
        region = wanted[code]
        province = region.code[:2]
        if province not in provinces:
            label = _province_name(region)
            provinces[province] = (label, [])
        indent = "" if region.level != "county" else "\u3000"
        provinces[province][1].append((code, indent + region.name))
    return [("", _("All regions")), *provinces.values()]


def _province_name(region: Region) -> str:
    node = region
    while node.parent is not None:
        node = node.parent
    return node.name


def _region_codes_in_use(user, *, talents: bool) -> set[str]:
    codes = set(
        selectors.organisation_visible(user=user)
        .order_by()
        .values_list("region_id", flat=True)
        .distinct()
    )
    if talents:
        codes |= set(
            selectors.talent_visible(user=user)
            .order_by()
            .values_list("home_region_id", flat=True)
            .distinct()
        )
    codes |= set(scope_for(user).region_codes)
    return codes


class TalentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, expertise, biography or organisation, e.g. 压铸"),
                "autocomplete": "off",
            }
        ),
    )
    region = forms.ChoiceField(label=_("Region"), required=False, widget=FastSelect)
    industry = forms.ChoiceField(label=_("Industry"), required=False, widget=FastSelect)
    discipline = forms.ChoiceField(label=_("Discipline"), required=False, widget=FastSelect)
    title_series = forms.ChoiceField(label=_("Title series"), required=False)
    title_level = forms.ChoiceField(
        label=_("Title level"),
        required=False,
        choices=[("", _("All levels")), *TitleLevel.choices],
    )
    pool = forms.ChoiceField(label=_("Talent pool"), required=False)
    education = forms.ChoiceField(
        label=_("Education"),
        required=False,
        choices=[("", _("Any education")), *Education.choices],
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        required=False,
        choices=[("", _("Any availability")), *Availability.choices],
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(
            _region_codes_in_use(user, talents=True)
        )
        self.fields["industry"].choices = industry_filter_choices()
        self.fields["discipline"].choices = discipline_filter_choices()
        self.fields["title_series"].choices = [
            ("", _("All title series")),
            *TitleSeries.objects.values_list("pk", "name"),
        ]
        pools = selectors.pool_visible(user=user)
        self.fields["pool"].choices = [("", _("All pools")), *((p.pk, p.name) for p in pools)]
        for name in ("region", "industry", "discipline"):
            _tom_select(self.fields[name])


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, credit code, address or industry"),
                "autocomplete": "off",
            }
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *OrganisationKind.choices],
    )
    region = forms.ChoiceField(label=_("Region"), required=False, widget=FastSelect)
    industry = forms.ChoiceField(label=_("Industry"), required=False, widget=FastSelect)

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(
            _region_codes_in_use(user, talents=False)
        )
        self.fields["industry"].choices = industry_filter_choices()
        for name in ("region", "industry"):
            _tom_select(self.fields[name])


# Region choices of the edit forms ----------------------------------------------------------


def governed_regions(user) -> QuerySet[Region]:
    """The regions an officer governs and every region inside them (GB/T 2260 prefixes)."""
    scope = scope_for(user)
    if scope.is_admin:
        return Region.objects.all()
    q = Q(pk__in=[])
    for prefix in scope.region_prefixes:
        q |= Q(code__startswith=prefix)
    return Region.objects.filter(q).order_by("code")


def _replace_widget(field: forms.ModelChoiceField, widget: forms.Widget) -> None:
    widget.choices = field.choices
    widget.is_required = field.required
    widget.attrs.update(field.widget_attrs(widget))
    field.widget = widget


def _region_field(form: forms.ModelForm, name: str, user) -> None:
    field = form.fields[name]
    field.queryset = governed_regions(user)
    field.label_from_instance = lambda r: r.full_name or r.name
    if scope_for(user).is_admin:
        # Every region of China: load them as the admin types.
        _replace_widget(field, LookupSelect())
        _tom_select(field, "regions")
        return
    regions = list(field.queryset[:2])
    if len(regions) == 1 and not form.instance.pk:
        # A county officer registers in their county; nothing to choose.
        form.initial[name] = form.initial.get(name) or regions[0].pk


def _lookup_field(field: forms.ModelChoiceField, kind: str) -> None:
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    _replace_widget(field, LookupSelectMultiple() if multiple else LookupSelect())
    _tom_select(field, kind)


# Talents -----------------------------------------------------------------------------------


class TalentForm(forms.ModelForm):
    """A talent profile; officers see every field, a talent on their own profile fewer.

    ``self_service`` follows the service's rule (``talent_update``): only an administrator or
    an officer of the talent's home region changes name, home region, pools and identity number.
    """

    id_number = forms.CharField(
        label=_("Identity number"),
        required=False,
        max_length=24,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("18 characters (GB 11643). Stored encrypted; only a masked form is shown."),
    )

    field_order = [
        "name",
        "gender",
        "birth_year",
        "id_number",
        "education",
        "home_region",
        "phone",
        "email",
        "title_series",
        "title_level",
        "qualifications",
        "disciplines",
        "industries",
        "expertise",
        "biography",
        "availability",
        "pools",
        "is_active",
    ]

    class Meta:
        model = TalentProfile
        fields = TALENT_FIELDS
        widgets = {
            "biography": forms.Textarea(attrs={"rows": 5}),
            "expertise": forms.TextInput(),
        }

    def __init__(self, *args: Any, user, self_service: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.self_service = self_service
        if self_service:
            for name in list(self.fields):
                if name not in TALENT_SELF_FIELDS:
                    del self.fields[name]
        else:
            _region_field(self, "home_region", user)
            self._visible_pools = selectors.pool_visible(user=user)
            self.fields["pools"].queryset = self._visible_pools
            _tom_select(self.fields["pools"])
            if self.instance.pk and self.instance.id_number_masked:
                self.fields["id_number"].help_text = _(
                    "Currently %(masked)s. Leave blank to keep it; type a new number to replace it."
                ) % {"masked": self.instance.id_number_masked}
        self.fields["title_series"].queryset = TitleSeries.objects.all()
        self.fields["qualifications"].queryset = Qualification.objects.all()
        _tom_select(self.fields["qualifications"])
        _lookup_field(self.fields["disciplines"], "disciplines")
        _lookup_field(self.fields["industries"], "industries")

    def clean_id_number(self) -> str:
        # The service validates the check digit; folding case here lets 'x' pass as 'X'.
        return normalise_code(self.cleaned_data.get("id_number") or "")

    def service_data(self) -> dict[str, Any]:
        """The cleaned values for ``talent_create``/``talent_update``."""
        allowed: Sequence[str] = TALENT_SELF_FIELDS if self.self_service else TALENT_FIELDS
        data = {name: self.cleaned_data[name] for name in allowed if name in self.cleaned_data}
        if "pools" in data and self.instance.pk:
            # Pools of other regions are not offered to this officer; keep them as they are.
            hidden = self.instance.pools.exclude(pk__in=self._visible_pools.values("pk"))
            data["pools"] = [*data["pools"], *hidden]
        if not self.self_service:
            data["id_number"] = self.cleaned_data.get("id_number", "")
        return data


# Organisations -----------------------------------------------------------------------------

# What only an administrator or an officer of the organisation's region changes (see
# ``organisation_update``); an enterprise editing its own record does not see these fields.
ORGANISATION_OFFICE_FIELDS = ("kind", "uscc", "region", "shared_with")


def _model_label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


class OrganisationForm(forms.ModelForm):
    # Longer than 18: people paste codes with spaces; the code is folded, then checked.
    uscc = forms.CharField(
        label=_model_label(Organisation, "uscc"),
        required=False,
        max_length=32,
        empty_value=None,
        help_text=Organisation._meta.get_field("uscc").help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    website = forms.URLField(
        label=_model_label(Organisation, "website"),
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user, office: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.instance.pk:
            del self.fields["is_active"]
        if not office:
            for name in ORGANISATION_OFFICE_FIELDS:
                del self.fields[name]
        else:
            _region_field(self, "region", user)
            # The alliances of the user's regions, and those already chosen (perhaps by an
            # administrator), so saving the form never drops a sharing silently.
            alliances = Q(pk__in=selectors.alliance_visible(user=user).values("pk"))
            if self.instance.pk:
                alliances |= Q(pk__in=self.instance.shared_with.values("pk"))
            self.fields["shared_with"].queryset = Alliance.objects.filter(alliances)
            _replace_widget(self.fields["shared_with"], forms.CheckboxSelectMultiple())
        # The current parent stays choosable even where the user may not see it (an
        # enterprise whose group is registered elsewhere), so saving never unlinks it.
        parents = Q(pk__in=selectors.organisation_visible(user=user).values("pk"))
        if self.instance.parent_id:
            parents |= Q(pk=self.instance.parent_id)
        self.fields["parent"].queryset = (
            Organisation.objects.filter(parents).exclude(pk=self.instance.pk).order_by("name")
        )
        _tom_select(self.fields["parent"])
        _lookup_field(self.fields["industry"], "industries")

    def clean_uscc(self) -> str | None:
        # People paste codes with spaces or in lower case; the check runs on the folded code.
        return normalise_code(self.cleaned_data.get("uscc") or "") or None

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


# Affiliations ------------------------------------------------------------------------------


class AffiliationForm(forms.ModelForm):
    class Meta:
        model = Affiliation
        fields = ("organisation", "kind", "position", "start_date", "end_date", "note")
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].label_from_instance = lambda o: f"{o.name}（{o.region.name}）"
        _tom_select(self.fields["organisation"])
        if not self.is_bound:
            self.fields["start_date"].initial = dt.date.today()

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AffiliationEndForm(forms.Form):
    end_date = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def clean_end_date(self) -> dt.date:
        return self.cleaned_data.get("end_date") or dt.date.today()
