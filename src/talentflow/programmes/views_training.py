"""The joint-training pages (六方联动): graduate practice bases and their 育才补贴, cohorts with
the stable allocation of students to enterprise topics (the officers' allocation page), the
six-party agreements with milestones and trainees, and the retention figures per region.

Views parse input, call one selector or service and render. A record out of sight is a 404
(``selectors_training`` decides); visible but not changeable is a 403 (the services decide,
with ``core.services.require``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentflow.directory.io.sheets import FORMATS
from talentflow.directory.views import (
    _add_service_errors,
    _is_partial,
    _paginate,
    _query_without_page,
    _render_list,
)
from talentflow.evaluation.views import _export
from talentflow.programmes import permissions, selectors_training, services_training, workflow
from talentflow.programmes.forms_training import (
    AgreementFilterForm,
    AgreementForm,
    CohortFilterForm,
    CohortForm,
    CohortImportForm,
    CohortMentorForm,
    CohortStudentForm,
    CohortTopicForm,
    ConfirmForm,
    DestinationForm,
    EnterpriseMentorForm,
    GraduateForm,
    MilestoneDoneForm,
    MilestoneForm,
    OptionalReasonForm,
    PlacementForm,
    PracticeBaseFilterForm,
    PracticeBaseForm,
    ReasonForm,
    SubsidyForm,
    apply_filters,
)
from talentflow.programmes.models import (
    Agreement,
    AgreementStatus,
    CohortStatus,
    Milestone,
    PracticeBaseStatus,
    Trainee,
)

NAV = "programmes"


def _deny() -> None:
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def _one(queryset, pk: int):
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404(_("No such record, or you may not see it."))
    return record


def _base(user, pk: int):
    return _one(
        selectors_training.practice_bases_for(user).select_related(
            "enterprise", "region", "subsidy_application"
        ),
        pk,
    )


def _cohort(user, pk: int):
    return _one(selectors_training.cohorts_for(user).select_related("region", "institution"), pk)


def _agreement(user, pk: int):
    return _one(
        selectors_training.agreements_for(user).select_related(
            "region",
            "institution",
            "enterprise",
            "academic_mentor",
            "enterprise_mentor",
            "need",
            "practice_base",
            "cohort_topic__cohort",
        ),
        pk,
    )


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _transition(request: HttpRequest, obj, action: str, done: dict, run) -> HttpResponse:
    """An action button of a record's page: ``action`` must be a key of ``done`` (else 404);
    a reason is required where the workflow says so; ``run(reason)`` calls the service; the
    outcome is a message on the record's page."""
    if action not in done:
        raise Http404
    reason = (request.POST.get("reason") or "").strip()
    try:
        if action in workflow.NEEDS_REASON and not reason:
            raise ValidationError(_("Give the reason."))
        run(reason)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, done[action])
    return redirect(obj)


def _enterprise_ids(user) -> list[int]:
    from talentflow.accounts.models import Role
    from talentflow.accounts.permissions import scope_for

    return [o for o, r in scope_for(user).organisation_roles.items() if r == Role.ENTERPRISE]


def _may_enter(user) -> bool:
    """The office, and those acting for an enterprise or institution, have training lists."""
    return permissions.is_office_user(user) or bool(permissions.organisation_ids(user))


# Practice bases (研究生实践基地) -----------------------------------------------------------------


PRACTICE_BASE_SEARCH = ("enterprise__name", "description")


@login_required
@require_GET
def practice_base_list(request: HttpRequest) -> HttpResponse:
    """The office: its region's applications and bases; an enterprise: its own."""
    user = request.user
    form = PracticeBaseFilterForm(request.GET or None)
    qs = apply_filters(
        selectors_training.practice_bases_for(user).select_related("enterprise", "region"),
        form,
        search=PRACTICE_BASE_SEARCH,
    )
    page_obj = _paginate(request, qs)
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "bases": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
        "is_office": permissions.is_office_user(user),
        "can_apply": permissions.is_office_user(user) or bool(_enterprise_ids(user)),
    }
    return _render_list(
        request,
        template="programmes/training/practice_base_list.html",
        partial="programmes/training/_practice_base_results.html",
        context=context,
    )


PRACTICE_BASE_COLUMNS = (
    ("系统编号", 10),
    ("企业", 32),
    ("地区", 14),
    ("可接收研究生", 12),
    ("合作院校", 36),
    ("申请日期", 12),
    ("决定日期", 12),
    ("状态", 10),
    ("育才补贴申请", 14),
)


@login_required
@require_GET
def practice_base_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    user = request.user
    if not _may_enter(user):
        _deny()
    form = PracticeBaseFilterForm(request.GET or None)
    qs = apply_filters(
        selectors_training.practice_bases_for(user)
        .select_related("enterprise", "region")
        .prefetch_related("institutions"),
        form,
        search=PRACTICE_BASE_SEARCH,
    )
    rows = (
        [
            b.pk,
            b.enterprise.name,
            b.region.name,
            b.capacity,
            "、".join(i.name for i in b.institutions.all()),
            b.applied_on,
            b.decided_on,
            b.get_status_display(),
            b.subsidy_application_id or "",
        ]
        for b in qs
    )
    return _export(
        fmt=fmt,
        title="研究生实践基地",
        filename="practice-bases",
        columns=PRACTICE_BASE_COLUMNS,
        rows=rows,
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_base_create(request: HttpRequest) -> HttpResponse:
    """An enterprise applies to be a graduate practice base (or the office files for it)."""
    user = request.user
    if not (permissions.is_office_user(user) or _enterprise_ids(user)):
        _deny()
    form = PracticeBaseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            base = services_training.practice_base_apply(
                actor=user,
                enterprise=data["enterprise"],
                description=data["description"],
                capacity=data["capacity"],
                institutions=list(data["institutions"]),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The application is filed with the talent office."))
            return redirect(base)
    return render(
        request, "programmes/training/practice_base_form.html", {"nav_active": NAV, "form": form}
    )


@login_required
@require_GET
def practice_base_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    base = _base(user, pk)
    parties = permissions.practice_base_parties(user, base)
    actions = [str(a) for a in workflow.allowed(workflow.PRACTICE_BASE, base.status, parties)]
    context = {
        "nav_active": NAV,
        "base": base,
        "institutions": base.institutions.order_by("name"),
        "actions": actions,
        "reason_form": ReasonForm(),
        "optional_reason_form": OptionalReasonForm(),
        "subsidy_form": SubsidyForm(),
        "agreements": base.agreements.select_related("institution").order_by("-start_date"),
    }
    # Only the designated enterprise applies for its 育才补贴 (services_training).
    context["can_apply_subsidy"] = (
        workflow.Party.HOST in parties
        and base.status == PracticeBaseStatus.APPROVED
        and base.subsidy_application_id is None
    )
    return render(request, "programmes/training/practice_base_detail.html", context)


@login_required
@require_POST
def practice_base_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """approve (office), reject (office, with a reason), withdraw (the enterprise, with a
    reason)."""
    base = _base(request.user, pk)
    done = {
        workflow.Action.APPROVE: _("The enterprise is designated a graduate practice base."),
        workflow.Action.REJECT: _("The application is rejected."),
        workflow.Action.WITHDRAW: _("The application is withdrawn."),
    }
    return _transition(
        request,
        base,
        action,
        done,
        lambda reason: services_training.practice_base_transition(
            actor=request.user, base=base, action=action, reason=reason
        ),
    )


@login_required
@require_POST
def practice_base_subsidy(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply for the 育才补贴 through the rules app; the amount is the policy's, not ours."""
    base = _base(request.user, pk)
    form = SubsidyForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        upload = form.cleaned_data.get("evidence")
        application = services_training.practice_base_subsidy_apply(
            actor=request.user, base=base, uploads=[upload] if upload else ()
        )
    except ValidationError as error:
        _error_message(request, error)
        return redirect(base)
    messages.success(request, _("The 育才补贴 application is filed: follow it here."))
    return redirect(application)


# Cohorts and the allocation -----------------------------------------------------------------


@login_required
@require_GET
def cohort_list(request: HttpRequest) -> HttpResponse:
    """The office: its region's cohorts; an institution: its own."""
    user = request.user
    form = CohortFilterForm(request.GET or None)
    qs = apply_filters(
        selectors_training.cohorts_for(user)
        .select_related("region", "institution")
        .annotate(
            n_students=Count("students", distinct=True),
            n_topics=Count("topics", distinct=True),
            n_placed=Count(
                "students", filter=Q(students__placed_topic__isnull=False), distinct=True
            ),
        ),
        form,
        search=("name", "institution__name"),
    ).order_by("-year", "-id")
    page_obj = _paginate(request, qs)
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "cohorts": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
        "is_office": permissions.is_office_user(user),
    }
    return _render_list(
        request,
        template="programmes/training/cohort_list.html",
        partial="programmes/training/_cohort_results.html",
        context=context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.is_office_user(user):
        _deny()
    form = CohortForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort = services_training.cohort_create(
                actor=user,
                name=data["name"],
                region=data["region"],
                institution=data["institution"],
                year=data["year"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("The cohort is open: add its mentors, topics and students.")
            )
            return redirect(cohort)
    return render(
        request, "programmes/training/cohort_form.html", {"nav_active": NAV, "form": form}
    )


def _cohort_context(user, cohort) -> dict[str, Any]:
    parties = permissions.cohort_parties(user, cohort)
    is_office = workflow.Party.OFFICE in parties
    is_open = cohort.status == CohortStatus.OPEN
    mentors = list(
        cohort.mentors.select_related("mentor").annotate(
            n_placed=Count("topics__placed_students", distinct=True)
        )
    )
    topics = list(
        cohort.topics.select_related("need__enterprise", "mentor__mentor", "enterprise_mentor")
        .annotate(n_placed=Count("placed_students", distinct=True))
        .order_by("id")
    )
    topic_names = {t.pk: t for t in topics}
    students = list(
        cohort.students.select_related("student", "placed_topic").order_by("student__name", "id")
    )
    by_place = {s.pk: s for s in students}
    for s in students:
        s.ranked = [topic_names[t] for t in s.preferences if t in topic_names]
    for m in mentors:
        m.ranked = [by_place[p].student for p in m.ranking if p in by_place]
    runs = list(cohort.runs.select_related("run_by")[:10])
    latest = runs[0] if runs else None
    return {
        "nav_active": NAV,
        "cohort": cohort,
        "mentors": mentors,
        "topics": topics,
        "students": students,
        "runs": runs,
        "latest": latest,
        "latest_unplaced": (latest.students - latest.placed) if latest else None,
        "latest_dropped": latest.result.get("dropped_pairs")
        if latest and isinstance(latest.result, dict)
        else None,
        "is_office": is_office,
        "can_edit": bool(parties) and is_open,
        "can_run": is_office and is_open,
        "can_confirm": is_office and is_open and latest is not None,
        "can_import": bool(parties) and is_open and hasattr(services_training, "cohort_import"),
        "confirm_form": ConfirmForm(),
        "import_form": CohortImportForm(),
        "topic_choices": topics,
        "agreements": Agreement.objects.filter(cohort_topic__cohort=cohort).select_related(
            "enterprise"
        )
        if not is_open
        else [],
    }


@login_required
@require_GET
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The allocation page: mentors, topics, students with their ranked choices and where the
    latest run placed them, the run history, and the office's controls."""
    cohort = _cohort(request.user, pk)
    context = _cohort_context(request.user, cohort)
    if _is_partial(request) and request.GET.get("part") == "placements":
        return render(request, "programmes/training/_placements.html", context)
    return render(request, "programmes/training/cohort_detail.html", context)


def _cohort_member_form(
    request: HttpRequest, pk: int, *, form_class, template_title: str, save
) -> HttpResponse:
    user = request.user
    cohort = _cohort(user, pk)
    if not permissions.cohort_parties(user, cohort):
        _deny()
    form = form_class(request.POST or None, user=user, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            save(user, cohort, form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(cohort)
    return render(
        request,
        "programmes/training/cohort_member_form.html",
        {"nav_active": NAV, "form": form, "cohort": cohort, "title": template_title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_mentor(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a mentor, or change an existing mentor's capacity and ranking."""

    def save(user, cohort, data):
        services_training.cohort_mentor_set(
            actor=user,
            cohort=cohort,
            mentor=data["mentor"],
            capacity=data["capacity"],
            ranking=data["ranking"],
        )

    return _cohort_member_form(
        request,
        pk,
        form_class=CohortMentorForm,
        template_title=_("Academic mentor"),
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_topic(request: HttpRequest, pk: int) -> HttpResponse:
    def save(user, cohort, data):
        services_training.cohort_topic_add(
            actor=user,
            cohort=cohort,
            need=data["need"],
            title=data["title"],
            mentor=data["mentor"],
            capacity=data["capacity"],
            enterprise_mentor=data.get("enterprise_mentor"),
        )

    return _cohort_member_form(
        request, pk, form_class=CohortTopicForm, template_title=_("Topic"), save=save
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_student(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a student, or change an existing student's ranked choices."""

    def save(user, cohort, data):
        services_training.cohort_student_set(
            actor=user, cohort=cohort, student=data["student"], preferences=data["preferences"]
        )

    return _cohort_member_form(
        request, pk, form_class=CohortStudentForm, template_title=_("Student"), save=save
    )


@login_required
@require_POST
def cohort_import(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cohort = _cohort(user, pk)
    if not permissions.cohort_parties(user, cohort):
        _deny()
    if not hasattr(services_training, "cohort_import"):
        raise Http404
    form = CohortImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(cohort)
    upload = form.cleaned_data["file"]
    try:
        report = services_training.cohort_import(
            actor=user, cohort=cohort, data=upload.read(), filename=upload.name
        )
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("Imported: %(report)s") % {"report": report})
    return redirect(cohort)


@login_required
@require_POST
def cohort_run(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request.user, pk)
    try:
        run = services_training.allocation_run(actor=request.user, cohort=cohort)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request,
            _("Allocation run: %(placed)s of %(students)s students placed, %(pinned)s pinned.")
            % {"placed": run.placed, "students": run.students, "pinned": run.pinned},
        )
    return redirect(cohort)


@login_required
@require_POST
def cohort_placement(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    """Pin a student to a topic (kept by every re-run) or release the pin."""
    user = request.user
    cohort = _cohort(user, pk)
    place = cohort.students.filter(pk=student_pk).first()
    if place is None:
        raise Http404(_("No such record, or you may not see it."))
    form = PlacementForm(request.POST, cohort=cohort)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.non_field_errors()) or _("Choose a topic."))
        services_training.placement_set(
            actor=user,
            cohort_student=place,
            topic=form.cleaned_data["topic"],
            pinned=form.cleaned_data["pinned"],
        )
    except ValidationError as error:
        _error_message(request, error)
    else:
        if form.cleaned_data["pinned"]:
            messages.success(request, _("The placement is pinned: re-run the allocation."))
        else:
            messages.success(request, _("The pin is released: re-run the allocation."))
    if _is_partial(request):
        context = _cohort_context(user, cohort)
        return render(request, "programmes/training/_placements.html", context)
    return redirect(cohort)


@login_required
@require_POST
def cohort_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The allocation becomes one draft agreement per topic with placed students."""
    cohort = _cohort(request.user, pk)
    form = ConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                [e for errors in form.errors.values() for e in errors]
                or _("Give the training dates.")
            )
        agreements = services_training.allocation_confirm(
            actor=request.user,
            cohort=cohort,
            start_date=form.cleaned_data["start_date"],
            end_date=form.cleaned_data["end_date"],
        )
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request,
            _("The allocation is confirmed: %(n)s draft agreements to sign.")
            % {"n": len(agreements)},
        )
    return redirect(cohort)


# Agreements (六方联动) -----------------------------------------------------------------------


AGREEMENT_SEARCH = ("topic", "enterprise__name", "institution__name", "need__title")


def _agreement_list(user, form):
    return apply_filters(
        selectors_training.agreements_for(user)
        .select_related("region", "institution", "enterprise", "academic_mentor")
        .annotate(n_trainees=Count("trainees", distinct=True)),
        form,
        search=AGREEMENT_SEARCH,
    ).order_by("-start_date", "-id")


@login_required
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    """Every party sees its agreements: the office, the institution, the enterprise, the
    mentors and the students."""
    user = request.user
    form = AgreementFilterForm(request.GET or None)
    page_obj = _paginate(request, _agreement_list(user, form))
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "agreements": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
        "is_office": permissions.is_office_user(user),
    }
    return _render_list(
        request,
        template="programmes/training/agreement_list.html",
        partial="programmes/training/_agreement_results.html",
        context=context,
    )


AGREEMENT_COLUMNS = (
    ("系统编号", 10),
    ("政府（地区）", 14),
    ("院校", 28),
    ("企业", 28),
    ("学校导师", 12),
    ("企业导师", 12),
    ("课题", 30),
    ("企业需求", 30),
    ("研究生人数", 10),
    ("开始", 12),
    ("结束", 12),
    ("状态", 12),
)


@login_required
@require_GET
def agreement_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    user = request.user
    form = AgreementFilterForm(request.GET or None)
    qs = _agreement_list(user, form).select_related("enterprise_mentor", "need")
    rows = (
        [
            a.pk,
            a.region.name,
            a.institution.name,
            a.enterprise.name,
            a.academic_mentor.name,
            a.enterprise_mentor.name if a.enterprise_mentor else "",
            a.topic,
            a.need.title,
            a.n_trainees,
            a.start_date,
            a.end_date,
            a.get_status_display(),
        ]
        for a in qs
    )
    return _export(
        fmt=fmt,
        title="联合培养协议",
        filename="training-agreements",
        columns=AGREEMENT_COLUMNS,
        rows=rows,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    """The office records an agreement made outside a cohort."""
    user = request.user
    if not permissions.is_office_user(user):
        _deny()
    form = AgreementForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services_training.agreement_create(
                actor=user,
                region=data["region"],
                institution=data["institution"],
                enterprise=data["enterprise"],
                academic_mentor=data["academic_mentor"],
                enterprise_mentor=data.get("enterprise_mentor"),
                need=data["need"],
                topic=data["topic"],
                students=data["students"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                practice_base=data.get("practice_base"),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("The agreement is recorded as a draft: sign it when ready.")
            )
            return redirect(agreement)
    return render(
        request, "programmes/training/agreement_form.html", {"nav_active": NAV, "form": form}
    )


@login_required
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    agreement = _agreement(user, pk)
    parties = permissions.agreement_parties(user, agreement)
    manages = bool(
        parties & {workflow.Party.OFFICE, workflow.Party.INSTITUTION, workflow.Party.HOST}
    )
    trains = bool(parties & {workflow.Party.OFFICE, workflow.Party.INSTITUTION})
    live = agreement.status in (AgreementStatus.DRAFT, AgreementStatus.SIGNED)
    trainees = list(
        agreement.trainees.select_related("student", "destination", "destination_region", "outcome")
    )
    for t in trainees:
        t.graduate_form = GraduateForm(trainee=t, prefix=f"t{t.pk}")
    context = {
        "nav_active": NAV,
        "agreement": agreement,
        "milestones": list(agreement.milestones.all()),
        "trainees": trainees,
        "actions": [
            str(a) for a in workflow.allowed(workflow.AGREEMENT, agreement.status, parties)
        ],
        "needs_reason": [str(a) for a in workflow.NEEDS_REASON],
        "can_milestone": manages and live,
        "can_train": trains,
        "can_name_mentor": workflow.Party.OFFICE in parties
        and agreement.status == AgreementStatus.DRAFT,
        "mentor_form": EnterpriseMentorForm(user=user),
        "milestone_form": MilestoneForm(),
        "done_form": MilestoneDoneForm(),
        "destination_form": DestinationForm(user=user),
        "reason_form": ReasonForm(),
    }
    return render(request, "programmes/training/agreement_detail.html", context)


@login_required
@require_POST
def agreement_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """sign / cancel (office, draft), complete (office or institution), terminate (office)."""
    agreement = _agreement(request.user, pk)
    done = {
        workflow.Action.SIGN: _("The agreement is signed: training starts."),
        workflow.Action.CANCEL: _("The draft agreement is cancelled."),
        workflow.Action.COMPLETE: _("The agreement is completed."),
        workflow.Action.TERMINATE: _("The agreement is terminated."),
    }
    return _transition(
        request,
        agreement,
        action,
        done,
        lambda reason: services_training.agreement_transition(
            actor=request.user, agreement=agreement, action=action, reason=reason
        ),
    )


@login_required
@require_POST
def agreement_mentor(request: HttpRequest, pk: int) -> HttpResponse:
    """The office names (or changes) the enterprise mentor of a draft: needed to sign."""
    user = request.user
    agreement = _agreement(user, pk)
    if workflow.Party.OFFICE not in permissions.agreement_parties(user, agreement):
        _deny()
    form = EnterpriseMentorForm(request.POST, user=user)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services_training.agreement_mentor_set(
            actor=user,
            agreement=agreement,
            enterprise_mentor=form.cleaned_data["enterprise_mentor"],
        )
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The enterprise mentor is named."))
    return redirect(agreement)


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request.user, pk)
    form = MilestoneForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()]
            )
        services_training.milestone_add(
            actor=request.user, agreement=agreement, **form.cleaned_data
        )
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The milestone is added."))
    return redirect(agreement)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    milestone = _one(
        Milestone.objects.filter(agreement__in=selectors_training.agreements_for(user)), pk
    )
    form = MilestoneDoneForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the date it was done."))
        services_training.milestone_done(actor=user, milestone=milestone, **form.cleaned_data)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The milestone is done."))
    return redirect(milestone.agreement)


def _trainee(user, pk: int) -> Trainee:
    return _one(
        Trainee.objects.select_related("agreement").filter(
            agreement__in=selectors_training.agreements_for(user)
        ),
        pk,
    )


@login_required
@require_POST
def trainee_graduate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trainee = _trainee(user, pk)
    form = GraduateForm(request.POST, trainee=trainee, prefix=f"t{trainee.pk}")
    try:
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()]
            )
        services_training.trainee_graduate(actor=user, trainee=trainee, **form.cleaned_data)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("%(name)s graduated.") % {"name": trainee.student})
    return redirect(trainee.agreement)


@login_required
@require_POST
def trainee_destination(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trainee = _trainee(user, pk)
    form = DestinationForm(request.POST, user=user)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        trainee = services_training.trainee_destination(
            actor=user,
            trainee=trainee,
            destination=form.cleaned_data.get("destination"),
            destination_region=form.cleaned_data["destination_region"],
        ) or Trainee.objects.get(pk=trainee.pk)
    except ValidationError as error:
        _error_message(request, error)
    else:
        trainee.refresh_from_db()
        if trainee.stayed:
            messages.success(request, _("Destination recorded: stayed in the region (留在本地)."))
        else:
            messages.success(request, _("Destination recorded: left the region."))
    return redirect(trainee.agreement)


@login_required
@require_POST
def trainee_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    trainee = _trainee(user, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason."))
        services_training.trainee_withdraw(
            actor=user, trainee=trainee, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("%(name)s left the programme.") % {"name": trainee.student})
    return redirect(trainee.agreement)


# Statistics --------------------------------------------------------------------------------


# (key of selectors_training.region_stats, label, Chinese export header)
STAT_KEYS = (
    ("academic_mentors", gettext_lazy("Academic mentors"), "学校导师"),
    ("enterprise_mentors", gettext_lazy("Enterprise mentors"), "企业导师"),
    ("students", gettext_lazy("Students"), "研究生"),
    ("enterprises", gettext_lazy("Enterprises"), "企业"),
    ("practice_bases", gettext_lazy("Practice bases"), "实践基地"),
    ("graduates", gettext_lazy("Graduates"), "毕业"),
    ("known_destinations", gettext_lazy("Known destinations"), "去向已知"),
    ("stayed", gettext_lazy("Stayed in the region"), "留在本地"),
)


def _region_label(row: dict) -> str:
    region = row.get("region")
    if region is None:
        return row.get("region_name") or row.get("code") or ""
    return getattr(region, "name", None) or row.get("region_name") or str(region)


@login_required
@require_GET
def training_stats(request: HttpRequest) -> HttpResponse:
    """Per region: mentors, students, enterprises, practice bases, graduates, and how many
    graduates stayed (留在本地) — the retention rate."""
    user = request.user
    if not _may_enter(user):
        _deny()
    rows = selectors_training.region_stats(user)
    keys = [(k, label) for k, label, _zh in STAT_KEYS]
    table = []
    for row in rows:
        rate = row.get("retention_rate")
        table.append(
            {
                "label": _region_label(row),
                "cells": [row.get(k, 0) for k, _label in keys],
                "rate": None if rate is None else f"{rate * 100:.1f}%",
                "rate_value": None if rate is None else str(round(rate * 100, 1)),
            }
        )
    chart = None
    if table:
        chart = {
            "labels": [t["label"] for t in table],
            "series": [
                {"name": str(_("Students")), "values": [row.get("students", 0) for row in rows]},
                {"name": str(_("Graduates")), "values": [row.get("graduates", 0) for row in rows]},
                {"name": str(_("Stayed")), "values": [row.get("stayed", 0) for row in rows]},
            ],
            "rate_name": str(_("Retention rate (%)")),
            "rates": [t["rate_value"] for t in table],
        }
    if request.GET.get("format") in FORMATS:
        columns = (("地区", 16), *((zh, 12) for _k, _l, zh in STAT_KEYS), ("留存率", 10))
        return _export(
            fmt=request.GET["format"],
            title="联合培养统计",
            filename="training-stats",
            columns=columns,
            rows=([t["label"], *t["cells"], t["rate"] or ""] for t in table),
        )
    return render(
        request,
        "programmes/training/stats.html",
        {
            "nav_active": NAV,
            "headers": [label for _k, label in keys],
            "table": table,
            "chart": chart,
        },
    )
