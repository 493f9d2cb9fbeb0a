"""Forms of the rules app: application facts with evidence, a draft version's parameters and
expressions, budgets, review reasons, payouts, and the application list's filters."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.core.forms import DateInput
from talentflow.directory.models import TalentProfile
from talentflow.needs.forms import AttachmentsForm, MultipleFileField
from talentflow.rules import facts as fact_specs
from talentflow.rules.models import ApplicationStatus, Policy, PolicyVersionRecord


class ApplicationForm(forms.Form):
    """The facts a version asks, the applicant enterprise and the talent concerned (for the
    科技副总 subsidy), and evidence files. Values are checked again by the service."""

    def __init__(
        self,
        *args: Any,
        fact_names: list[str],
        fact_kinds: dict[str, str] | None = None,
        organisations=None,
        talents=None,
        evidence_required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Applicant enterprise"), queryset=organisations, empty_label=None
            )
        if talents is not None:
            self.fields["talent"] = forms.ModelChoiceField(
                label=_("Technology vice president (科技副总)"), queryset=talents
            )
        for name in fact_specs.asked(fact_names, fact_kinds):
            spec = fact_specs.spec(name, fact_kinds)
            if spec.kind == fact_specs.BOOL:
                field: forms.Field = forms.BooleanField(label=spec.label, required=False)
            elif spec.kind == fact_specs.CHOICE:
                field = forms.ChoiceField(label=spec.label, choices=spec.choices)
            elif spec.kind == fact_specs.DATE:
                field = forms.DateField(label=spec.label, widget=DateInput())
            elif spec.kind == fact_specs.TEXT:
                field = forms.CharField(label=spec.label, max_length=fact_specs.TEXT_MAX)
            elif spec.kind == fact_specs.NUMBER:
                field = forms.DecimalField(label=spec.label, min_value=0, max_digits=20)
            else:
                field = forms.DecimalField(
                    label=spec.label, min_value=0, max_digits=14, decimal_places=2
                )
            self.fields[f"fact_{name}"] = field
        self.fact_names = fact_specs.asked(fact_names, fact_kinds)
        self.fields["evidence"] = MultipleFileField(label=_("Evidence"), required=evidence_required)
        self.fields["evidence"].help_text = AttachmentsForm().fields["attachments"].help_text

    def clean_evidence(self):
        checker = AttachmentsForm(files=None)
        checker.cleaned_data = {"attachments": self.cleaned_data.get("evidence") or []}
        return checker.clean_attachments()

    def facts(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(f"fact_{name}") for name in self.fact_names}


def talents_of(organisation) -> Any:
    return TalentProfile.objects.filter(affiliations__organisation=organisation).distinct()


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (required to return)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PayoutForm(forms.Form):
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), widget=DateInput())
    reference = forms.CharField(
        label=gettext_lazy("Payment reference"), max_length=64, required=False
    )


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    budget = forms.DecimalField(
        label=gettext_lazy("Budget (yuan)"), min_value=0, max_digits=14, decimal_places=2
    )


class VersionForm(forms.Form):
    """A draft version: start date, parameters (one field each), eligibility, and the steps as
    JSON lines. The service validates exact decimals and that every expression computes."""

    effective_from = forms.DateField(label=gettext_lazy("Effective from"), widget=DateInput())
    eligibility = forms.CharField(
        label=gettext_lazy("Eligibility (expression)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    steps = forms.CharField(
        label=gettext_lazy("Steps"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace"}),
        help_text=gettext_lazy(
            'One step per line as JSON: {"name": …, "expression": …, "reads": …}. The last '
            "step is the amount."
        ),
    )
    facts = forms.CharField(
        label=gettext_lazy("Facts asked"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text=gettext_lazy(
            "One fact per line: its name, a colon and its type — money, number, yes/no, date "
            "or text. E.g. annual_salary: money. The application form asks these."
        ),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, version: PolicyVersionRecord, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.param_names = list(version.params)
        for name in self.param_names:
            # Text, not a number field: the service parses the exact decimal and says why not.
            self.fields[f"param_{name}"] = forms.CharField(label=name, max_length=40)
            self.initial.setdefault(f"param_{name}", str(version.params[name]))
        self.initial.setdefault("effective_from", version.effective_from)
        self.initial.setdefault("eligibility", version.eligibility)
        self.initial.setdefault(
            "steps", "\n".join(json.dumps(s, ensure_ascii=False) for s in version.steps)
        )
        self.initial.setdefault("note", version.note)
        self.initial.setdefault(
            "facts",
            "\n".join(
                f"{name}: {KIND_WORDS.get(kind, kind)}"
                for name in version.facts
                for kind in [fact_specs.spec(name, version.fact_kinds).kind]
            ),
        )

    def clean_facts(self) -> list[dict[str, str]]:
        """The lines as (name, type) pairs; the service checks names and types."""
        facts = []
        words = {word: kind for kind, word in KIND_WORDS.items()}
        for number, line in enumerate(self.cleaned_data["facts"].splitlines(), start=1):
            if not line.strip():
                continue
            name, colon, kind = line.partition(":")
            if not colon:
                raise forms.ValidationError(
                    _("Line %(n)s needs a name, a colon and a type.") % {"n": number}
                )
            kind = kind.strip().lower()
            facts.append({"name": name.strip(), "kind": words.get(kind, kind)})
        return facts

    def clean_steps(self) -> list[dict[str, str]]:
        steps = []
        for number, line in enumerate(self.cleaned_data["steps"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                step = json.loads(line)
            except json.JSONDecodeError as error:
                raise forms.ValidationError(_("Line %(n)s is not JSON.") % {"n": number}) from error
            if not isinstance(step, dict) or not {"name", "expression"} <= set(step):
                raise forms.ValidationError(
                    _("Line %(n)s needs a name and an expression.") % {"n": number}
                )
            steps.append(step)
        return steps

    def params(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"param_{name}"] for name in self.param_names}


# How a type is written in the draft's facts list (the stored code otherwise).
KIND_WORDS = {fact_specs.BOOL: "yes/no"}


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    policy = forms.ModelChoiceField(
        label=gettext_lazy("Policy"), queryset=Policy.objects.none(), required=False
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=2000)
    applicant = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = Policy.objects.order_by("region_id", "code")
        self.fields["status"].choices = [("", "—"), *ApplicationStatus.choices]


APPLICATION_PARAMS = ("q", "policy", "status", "year", "applicant")
