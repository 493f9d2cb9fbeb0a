"""Matching pages: recommended experts on a need (with one-click invitations), the needs that
match a talent, code suggestions while a need is written, and the officer's global allocation.

Views only translate between HTTP and ``selectors``/``services``: who may see or do what is
decided there.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentflow.accounts.permissions import scope_for
from talentflow.directory.models import Organisation, OrganisationKind, TalentProfile
from talentflow.directory.selectors import organisation_visible, talent_visible
from talentflow.matching import selectors, services
from talentflow.matching.engine.types import Reason
from talentflow.matching.models import InterestKind
from talentflow.needs import selectors as need_selectors
from talentflow.needs.models import Need

# How each reason code of the engine reads (matching/engine/types.py: Reason.code).
REASON_LABELS = {
    "terms": gettext_lazy("Matched terms"),
    "industry": gettext_lazy("Industry"),
    "discipline": gettext_lazy("Discipline"),
    "past_work": gettext_lazy("Similar past engagements"),
    "verified_outcome": gettext_lazy("Verified outcomes in similar needs"),
    "title": gettext_lazy("Title level"),
    "region": gettext_lazy("Same region"),
    "pool": gettext_lazy("Shared talent pool"),
    "availability": gettext_lazy("Availability"),
    "load": gettext_lazy("Current load"),
}


def reason_rows(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    """The reasons that raised the score, largest first, then those that lowered it."""
    rows = [
        {
            "code": r.code,
            "label": REASON_LABELS.get(r.code, r.code),
            "score": r.score,
            "evidence": list(r.evidence),
            "negative": r.score < 0,
        }
        for r in reasons
        if r.score
    ]
    rows.sort(key=lambda row: (row["negative"], -abs(row["score"])))
    return rows


def _need(request: HttpRequest, pk: int) -> Need:
    need = need_selectors.need_visible(user=request.user).filter(pk=pk).first()
    if need is None:
        raise Http404(_("No such need, or you may not see it."))
    return need


@login_required
@require_GET
def need_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """Recommended experts and teams for a need, each explained, with invitations."""
    need = _need(request, pk)
    try:
        matches = selectors.recommend_for_need(user=request.user, need=need)
        error = ""
    except ValidationError as exc:
        matches, error = [], " ".join(exc.messages)
    invitations = list(selectors.invitations_for_need(user=request.user, need=need))
    invited = {i.talent_id for i in invitations}
    context = {
        "need": need,
        "error": error,
        "experts": [
            {"match": m, "reasons": reason_rows(m.reasons), "invited": m.talent.pk in invited}
            for m in matches
        ],
        "teams": selectors.recommend_teams(matches),
        "invitations": [(i, selectors.effective_status(i)) for i in invitations],
        "can_invite": need.state == "published",
        "nav_active": "needs",
    }
    template = "matching/_need_panel.html" if request.htmx else "matching/need_experts.html"
    return render(request, template, context)


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    talent = TalentProfile.objects.filter(pk=request.POST.get("talent") or 0).first()
    if talent is None:
        raise Http404(_("No such talent."))
    try:
        services.invite(
            actor=request.user, need=need, talent=talent, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(name)s is invited to propose for this need.") % {"name": talent.name}
        )
    return redirect("matching:need_experts", pk=need.pk)


@login_required
@require_GET
def for_me(request: HttpRequest) -> HttpResponse:
    """Open needs that match the user's talent profile, and the invitations they received."""
    scope = scope_for(request.user)
    if scope.talent_id is None:
        raise PermissionDenied(_("This page is for talents with a profile."))
    matches = selectors.needs_for_talent(user=request.user)
    invitations = list(selectors.invitations_for_talent(user=request.user))
    return render(
        request,
        "matching/for_me.html",
        {
            "nav_active": "needs",
            "matches": [{"match": m, "reasons": reason_rows(m.reasons)} for m in matches],
            "invitations": [(i, selectors.effective_status(i)) for i in invitations],
        },
    )


@login_required
@require_POST
def invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitations_for_talent(user=request.user).filter(pk=pk).first()
    if invitation is None:
        raise Http404(_("No such invitation."))
    try:
        services.invitation_decline(
            actor=request.user, invitation=invitation, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You declined the invitation."))
    return redirect("matching:for_me")


@login_required
@require_GET
def suggest_codes(request: HttpRequest) -> HttpResponse:
    """Industry and discipline codes suggested by a need's text (HTMX, on the need forms)."""
    text = " ".join(
        request.GET.get(name, "") for name in ("title", "summary", "description", "solver_brief")
    )
    suggestions = selectors.suggest_codes(text[:4000])
    return render(request, "matching/_suggest_codes.html", {"suggestions": suggestions})


@login_required
@require_http_methods(["GET", "POST"])
def allocation(request: HttpRequest) -> HttpResponse:
    """The officer's open needs, each proposed one expert so that no one is over-committed;
    the officer invites the proposed experts in one step."""
    needs = selectors.allocation_needs(user=request.user)  # PermissionDenied for non-officers
    if request.method == "POST":
        chosen = request.POST.getlist("pair")
        done, refused = 0, []
        for value in chosen:
            need_pk, _sep, talent_pk = value.partition(":")
            need = needs.filter(pk=int(need_pk) if need_pk.isdigit() else 0).first()
            talent = TalentProfile.objects.filter(
                pk=int(talent_pk) if talent_pk.isdigit() else 0
            ).first()
            if need is None or talent is None:
                continue
            try:
                services.invite(actor=request.user, need=need, talent=talent)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                reason = " ".join(getattr(exc, "messages", [str(exc)]))
                refused.append(f"{need.title} · {talent.name}: {reason}")
        if done:
            messages.success(request, _("%(count)d experts invited.") % {"count": done})
        for line in refused:
            messages.warning(request, line)
        return redirect("matching:allocation")
    proposal = selectors.allocation_for(user=request.user)
    return render(
        request,
        "matching/allocation.html",
        {
            "nav_active": "needs",
            "open_needs": needs.count(),
            "proposal": proposal,
            "rows": [{"a": a, "reasons": reason_rows(a.reasons)[:3]} for a in proposal.assignments],
        },
    )


class InterestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label=gettext_lazy("Interest"), choices=InterestKind.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=255)

    def __init__(self, *args: Any, user=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any registered enterprise (names are public registration data), plus whatever else
        # the user sees: a talent must be able to name the company their family owns.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(kind=OrganisationKind.ENTERPRISE)
            | Q(pk__in=organisation_visible(user=user).values("pk"))
        ).order_by("name")


class CapacityForm(forms.Form):
    max_concurrent = forms.IntegerField(
        label=gettext_lazy("Most engagements at once"),
        min_value=0,
        max_value=20,
        help_text=gettext_lazy("0 takes the talent out of recommendations."),
    )


def _talent(request: HttpRequest, pk: int) -> TalentProfile:
    talent = talent_visible(user=request.user).filter(pk=pk).first()
    if talent is None:
        raise Http404(_("No such talent, or you may not see them."))
    return talent


@login_required
@require_http_methods(["GET", "POST"])
def talent_interests(request: HttpRequest, pk: int) -> HttpResponse:
    """Declared interests (conflicts of interest) and capacity of a talent: for the talent and
    whoever may edit the profile. Recommendations never propose them to these organisations."""
    talent = _talent(request, pk)
    declarations = selectors.declarations_for_talent(user=request.user, talent=talent)
    interest_form = InterestForm(user=request.user)
    capacity_form = CapacityForm(initial={"max_concurrent": selectors.capacity_of(talent)})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "declare":
                interest_form = InterestForm(request.POST, user=request.user)
                if interest_form.is_valid():
                    services.interest_declare(
                        actor=request.user, talent=talent, **interest_form.cleaned_data
                    )
                    messages.success(request, _("The interest is declared."))
                    return redirect("matching:talent_interests", pk=talent.pk)
            elif action == "withdraw":
                declaration = declarations.filter(pk=request.POST.get("declaration") or 0).first()
                if declaration is None:
                    raise Http404
                services.interest_withdraw(actor=request.user, declaration=declaration)
                messages.success(request, _("The declaration is withdrawn."))
                return redirect("matching:talent_interests", pk=talent.pk)
            elif action == "capacity":
                capacity_form = CapacityForm(request.POST)
                if capacity_form.is_valid():
                    services.capacity_set(
                        actor=request.user,
                        talent=talent,
                        max_concurrent=capacity_form.cleaned_data["max_concurrent"],
                    )
                    messages.success(request, _("The capacity is saved."))
                    return redirect("matching:talent_interests", pk=talent.pk)
        except ValidationError as exc:
            target = capacity_form if action == "capacity" else interest_form
            for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                target.add_error(field if field in target.fields else None, errors)
    return render(
        request,
        "matching/talent_interests.html",
        {
            "nav_active": "talents",
            "talent": talent,
            "declarations": declarations,
            "interest_form": interest_form,
            "capacity_form": capacity_form,
        },
    )
