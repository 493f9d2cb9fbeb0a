"""Forms of the joint-training pages (六方联动): practice bases, cohorts and their allocation,
agreements, milestones and trainees. They parse input; the services (``services_training``)
decide and validate the rules, and their errors are shown next to the fields they name.

People are chosen by their system number (the number on the talent's page) among the talents
the user sees, as the evaluation app's result form does: a cohort may hold hundreds of students
and a <select> of every talent of a region would not serve.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentflow.accounts.permissions import scope_for
from talentflow.core.forms import DateInput
from talentflow.core.widgets import FastSelect
from talentflow.directory.models import INSTITUTION_KINDS, Organisation, OrganisationKind
from talentflow.programmes import services_training
from talentflow.programmes.models import (
    AgreementStatus,
    CohortStatus,
    PracticeBase,
    PracticeBaseStatus,
)
from talentflow.programmes.permissions import organisation_ids
from talentflow.reference.models import Region

ALL = _("All")
# How many ranked choices a student's form offers (a CSV import may carry more).
CHOICES_PER_STUDENT = 5


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


def _numbers(text: str) -> list[int]:
    """System numbers typed one per line or separated by commas, spaces or 、."""
    numbers = []
    for token in re.split(r"[\s,，、;；]+", text or ""):
        if not token:
            continue
        if not token.isdigit():
            raise forms.ValidationError(
                _("“%(token)s” is not a system number: give numbers only."),
                params={"token": token},
            )
        numbers.append(int(token))
    return numbers


class TalentNumberField(forms.IntegerField):
    """A talent chosen by system number among those the form's user sees."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("help_text", _("The system number shown on the talent's page."))
        super().__init__(*args, **kwargs)


def talent_for(user, pk: int, cohort=None, organisation_id=None):
    """The talent numbered ``pk`` among those ``user`` sees; for a cohort also among the
    people of its institution (its staff and students, whom the institution enrols), those
    already in the cohort and those of ``organisation_id`` (a topic's enterprise mentor).
    None when there is no such talent. The API resolves ids the same way."""
    from talentflow.directory.models import TalentProfile
    from talentflow.directory.selectors import talent_visible

    talent = talent_visible(user=user).filter(pk=pk).first()
    if talent is None and cohort is not None:
        talent = (
            TalentProfile.objects.filter(pk=pk)
            .filter(
                Q(affiliations__organisation_id=cohort.institution_id)
                | Q(cohort_places__cohort=cohort)
                | Q(cohort_mentorships__cohort=cohort)
                | Q(affiliations__organisation_id=organisation_id or 0)
            )
            .distinct()
            .first()
        )
    return talent


def topic_needs(user, cohort):
    """The needs a cohort's topics may come from: the region's real needs (not drafts, not
    given up), which the cohort's editors pick whether or not the needs pages show each one to
    them, and the needs they see."""
    from talentflow.needs.models import Need
    from talentflow.needs.selectors import need_visible

    return (
        Need.objects.filter(
            Q(pk__in=need_visible(user=user).values("pk"))
            | ~Q(state__in=services_training.UNUSABLE_NEED_STATES)
        )
        .filter(enterprise__region__code__startswith=cohort.region.prefix)
        .select_related("enterprise")
        .order_by("-id")
    )


def _talent(user, pk, cohort=None, organisation_id=None):
    if pk is None:
        return None
    talent = talent_for(user, pk, cohort, organisation_id)
    if talent is None:
        raise forms.ValidationError(
            _("No talent you can see has the number %(n)s."), params={"n": pk}
        )
    return talent


def _institutions():
    return Organisation.objects.filter(kind__in=INSTITUTION_KINDS, is_active=True).order_by("name")


def _enterprises():
    return Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, is_active=True).order_by(
        "name"
    )


# Filters -------------------------------------------------------------------------------------


class PracticeBaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(PracticeBaseStatus.choices)
    )


class CohortFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(CohortStatus.choices)
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class AgreementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(AgreementStatus.choices)
    )


def apply_filters(qs, form: forms.Form, *, search: tuple[str, ...]):
    """Narrow a selector's queryset by the filter form: ``q`` over ``search`` paths, exact
    ``status`` and ``year``."""
    data = form.cleaned_data if form.is_valid() else {}
    q = (data.get("q") or "").strip()
    if q:
        cond = Q()
        for path in search:
            cond |= Q(**{f"{path}__icontains": q})
        qs = qs.filter(cond)
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("year"):
        qs = qs.filter(year=data["year"])
    return qs


# Practice bases ------------------------------------------------------------------------------


class PracticeBaseForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    description = forms.CharField(
        label=_("Facilities and supervision offered"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Labs, production lines, engineers who supervise, housing for students."),
    )
    capacity = forms.IntegerField(label=_("Students it can take"), min_value=1, max_value=1000)
    institutions = forms.ModelMultipleChoiceField(
        label=_("Partner institutions"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The universities or institutes whose students it takes."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        mine = organisation_ids(user)
        qs = _enterprises().filter(Q(pk__in=mine) | _region_q(user, "region"))
        if not (scope_for(user).is_admin or scope_for(user).is_officer):
            qs = _enterprises().filter(pk__in=mine)
        self.fields["enterprise"].queryset = qs
        if not self.is_bound and qs.count() == 1:
            self.initial.setdefault("enterprise", qs.first())
        self.fields["institutions"].queryset = _institutions()


class SubsidyForm(forms.Form):
    evidence = forms.FileField(
        label=_("Supporting document"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(settings.TALENTFLOW_DOCUMENT_TYPES)}
        ),
        help_text=_("For example the designation letter of the practice base."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# Cohorts -------------------------------------------------------------------------------------


class CohortForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("For example: 2026 级入企联培.")
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        regions = governed_regions(user)
        self.fields["region"].queryset = regions
        self.fields["institution"].queryset = _institutions()
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)
            if regions.count() == 1:
                self.initial.setdefault("region", regions.first())


class CohortMentorForm(forms.Form):
    mentor = TalentNumberField(label=_("Academic mentor (system number)"))
    capacity = forms.IntegerField(label=_("Students at most"), min_value=0, max_value=100)
    ranking = forms.CharField(
        label=_("Ranking of students"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The students' system numbers, best first, separated by commas or one per line. "
            "Every student who lists one of the mentor's topics should be ranked; the others "
            "cannot be placed with this mentor."
        ),
    )

    def __init__(self, *args, user, cohort, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.cohort = cohort

    def clean_mentor(self):
        return _talent(self.user, self.cleaned_data["mentor"], self.cohort)

    def clean_ranking(self):
        numbers = _numbers(self.cleaned_data.get("ranking", ""))
        places = {s.student_id: s.pk for s in self.cohort.students.all()}
        missing = [str(n) for n in numbers if n not in places]
        if missing:
            raise forms.ValidationError(
                _("Not students of this cohort: %(numbers)s. Add them as students first."),
                params={"numbers": ", ".join(missing)},
            )
        if len(set(numbers)) != len(numbers):
            raise forms.ValidationError(_("A student is ranked twice."))
        return [places[n] for n in numbers]


class CohortTopicForm(forms.Form):
    need = forms.ModelChoiceField(label=_("Enterprise need"), queryset=None, widget=FastSelect)
    title = forms.CharField(label=_("Topic"), max_length=200)
    mentor = forms.ModelChoiceField(label=_("Academic mentor"), queryset=None)
    enterprise_mentor = TalentNumberField(
        label=_("Enterprise mentor (system number)"), required=False
    )
    capacity = forms.IntegerField(label=_("Students at most"), min_value=1, max_value=100)

    def __init__(self, *args, user, cohort, **kwargs) -> None:

        super().__init__(*args, **kwargs)
        self.user = user
        self.cohort = cohort
        self.fields["need"].queryset = topic_needs(user, cohort)
        self.fields["need"].label_from_instance = lambda n: f"{n.enterprise} · {n.title}"
        self.fields["mentor"].queryset = cohort.mentors.select_related("mentor")

    def clean(self):
        data = super().clean()
        need = data.get("need")
        if "enterprise_mentor" in data and data["enterprise_mentor"] is not None:
            try:
                data["enterprise_mentor"] = _talent(
                    self.user,
                    data["enterprise_mentor"],
                    self.cohort,
                    need.enterprise_id if need else None,
                )
            except forms.ValidationError as error:
                self.add_error("enterprise_mentor", error)
        return data


class CohortStudentForm(forms.Form):
    student = TalentNumberField(label=_("Student (system number)"))

    def __init__(self, *args, user, cohort, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.cohort = cohort
        topics = [(t.pk, str(t)) for t in cohort.topics.all()]
        for i in range(1, CHOICES_PER_STUDENT + 1):
            self.fields[f"choice_{i}"] = forms.TypedChoiceField(
                label=_("Choice %(n)s") % {"n": i},
                choices=_blank(topics, _("—")),
                coerce=int,
                empty_value=None,
                required=False,
            )

    def clean_student(self):
        return _talent(self.user, self.cleaned_data["student"], self.cohort)

    def clean(self):
        data = super().clean()
        ranked = [data.get(f"choice_{i}") for i in range(1, CHOICES_PER_STUDENT + 1)]
        ranked = [t for t in ranked if t]
        if len(set(ranked)) != len(ranked):
            raise forms.ValidationError(_("A topic is chosen twice: rank each topic once."))
        data["preferences"] = ranked
        return data


class CohortImportForm(forms.Form):
    file = forms.FileField(
        label=_("Preferences file (CSV or Excel)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=_(
            "A header row, then one row per student: the student's system number, then the "
            "topics (number or exact title) best first. All rows are checked before any is saved."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > getattr(settings, "TALENTFLOW_IMPORT_MAX_BYTES", 5 * 1024 * 1024):
            raise forms.ValidationError(_("The file is too large."))
        return upload


class PlacementForm(forms.Form):
    topic = forms.TypedChoiceField(
        label=_("Topic"), coerce=int, empty_value=None, required=False, choices=()
    )
    pinned = forms.BooleanField(label=_("Pinned"), required=False)

    def __init__(self, *args, cohort, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["topic"].choices = _blank(
            [(t.pk, str(t)) for t in cohort.topics.all()], _("— not placed —")
        )

    def clean(self):
        data = super().clean()
        topic_id = data.get("topic")
        data["topic"] = self.cohort.topics.filter(pk=topic_id).first() if topic_id else None
        if data.get("pinned") and data["topic"] is None:
            raise forms.ValidationError(_("Choose the topic to pin the student to."))
        return data


class ConfirmForm(forms.Form):
    start_date = forms.DateField(label=_("Training starts"), widget=DateInput)
    end_date = forms.DateField(label=_("Training ends"), widget=DateInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The end must come after the start."))
        return data


# Agreements ----------------------------------------------------------------------------------


class AgreementForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Government (region)"), queryset=Region.objects.none())
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    need = forms.ModelChoiceField(label=_("Enterprise need"), queryset=None, widget=FastSelect)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    academic_mentor = TalentNumberField(label=_("Academic mentor (system number)"))
    enterprise_mentor = TalentNumberField(
        label=_("Enterprise mentor (system number)"), required=False
    )
    students = forms.CharField(
        label=_("Students (system numbers)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by commas or one per line."),
    )
    practice_base = forms.ModelChoiceField(
        label=_("Practice base"), queryset=PracticeBase.objects.none(), required=False
    )
    start_date = forms.DateField(label=_("Training starts"), widget=DateInput)
    end_date = forms.DateField(label=_("Training ends"), widget=DateInput)

    def __init__(self, *args, user, **kwargs) -> None:
        from talentflow.needs.models import Need
        from talentflow.needs.selectors import need_visible

        super().__init__(*args, **kwargs)
        self.user = user
        regions = governed_regions(user)
        self.fields["region"].queryset = regions
        if not self.is_bound and regions.count() == 1:
            self.initial.setdefault("region", regions.first())
        self.fields["institution"].queryset = _institutions()
        self.fields["enterprise"].queryset = _enterprises().filter(_region_q(user, "region"))
        self.fields["need"].queryset = (
            Need.objects.filter(pk__in=need_visible(user=user).values("pk"))
            .filter(_region_q(user, "enterprise__region"))
            .select_related("enterprise")
            .order_by("-id")
        )
        self.fields["need"].label_from_instance = lambda n: f"{n.enterprise} · {n.title}"
        self.fields["practice_base"].queryset = (
            PracticeBase.objects.filter(status=PracticeBaseStatus.APPROVED)
            .filter(_region_q(user, "region"))
            .select_related("enterprise")
        )

    def clean_academic_mentor(self):
        return _talent(self.user, self.cleaned_data["academic_mentor"])

    def clean_enterprise_mentor(self):
        return _talent(self.user, self.cleaned_data.get("enterprise_mentor"))

    def clean_students(self):
        numbers = _numbers(self.cleaned_data["students"])
        if not numbers:
            raise forms.ValidationError(_("Give at least one student."))
        return [_talent(self.user, n) for n in dict.fromkeys(numbers)]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The end must come after the start."))
        need, enterprise = data.get("need"), data.get("enterprise")
        if need and enterprise and need.enterprise_id != enterprise.pk:
            self.add_error("need", _("Choose a need of the enterprise."))
        return data


class EnterpriseMentorForm(forms.Form):
    enterprise_mentor = TalentNumberField(label=_("Enterprise mentor (system number)"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_enterprise_mentor(self):
        return _talent(self.user, self.cleaned_data["enterprise_mentor"])


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due = forms.DateField(label=_("Due"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("done_on", timezone.localdate())


class GraduateForm(forms.Form):
    graduated_on = forms.DateField(label=_("Graduated on"), widget=DateInput)
    result_summary = forms.CharField(
        label=_("Practical result"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the student achieved on the enterprise's need (捧着实践成果毕业)."),
    )
    outcome = forms.ModelChoiceField(
        label=_("Linked outcome of the need"), queryset=None, required=False
    )

    def __init__(self, *args, trainee, **kwargs) -> None:
        from talentflow.needs.models import Outcome

        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = Outcome.objects.filter(need_id=trainee.agreement.need_id)
        if not self.is_bound:
            self.initial.setdefault("graduated_on", timezone.localdate())


class DestinationForm(forms.Form):
    destination = forms.IntegerField(
        label=_("Works at (organisation system number)"),
        required=False,
        min_value=1,
        help_text=_("Leave empty if the organisation is not on the platform."),
    )
    destination_region = forms.CharField(
        label=_("Works in (region code)"),
        required=False,
        max_length=12,
        help_text=_("GB/T 2260 code, e.g. 330421 for 嘉善. Taken from the organisation if empty."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_destination(self):
        # Any organisation on the platform: a graduate's employer is rarely one the office or
        # the institution otherwise deals with.
        pk = self.cleaned_data.get("destination")
        if pk is None:
            return None
        org = Organisation.objects.select_related("region").filter(pk=pk).first()
        if org is None:
            raise forms.ValidationError(
                _("No organisation has the number %(n)s."), params={"n": pk}
            )
        return org

    def clean_destination_region(self):
        code = (self.cleaned_data.get("destination_region") or "").strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("Unknown region code: %(code)s."), params={"code": code})
        return region

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("destination_region") is None:
            if data.get("destination") is None:
                raise forms.ValidationError(_("Give the organisation or the region."))
            data["destination_region"] = data["destination"].region
        return data
