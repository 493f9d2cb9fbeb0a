"""The recognition pages (一地认定、三地互认): the catalogue with its export, certificates with the
signature check and the issuer's actions, the talent's application, and the figures per region.

Views parse input, call one selector or service and render. A record out of sight is a 404
(the selectors decide); visible but not changeable is a 403 (the services decide).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentflow.accounts.permissions import scope_for
from talentflow.directory.io.importer import file_too_large_message
from talentflow.directory.io.sheets import FORMATS, XLSX_CONTENT_TYPE
from talentflow.directory.views import (
    _add_service_errors,
    _get_or_404,
    _is_partial,
    _paginate,
    _query_without_page,
    _render_list,
)
from talentflow.evaluation.views import _export
from talentflow.recognition import (
    catalogue_sheet,
    permissions,
    register,
    selectors,
    services,
    workflow,
)
from talentflow.recognition.forms import (
    ApplyForm,
    CatalogueEntryForm,
    CatalogueFilterForm,
    CatalogueImportForm,
    CertificateFilterForm,
    CertifyForm,
    ReasonForm,
    RegisterImportForm,
)
from talentflow.recognition.models import Evidence, Kind

NAV = "recognition"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# The catalogue -------------------------------------------------------------------------------


@login_required
@require_GET
def catalogue_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CatalogueFilterForm(request.GET or None)
    filters = form.filters()
    page_obj = _paginate(request, selectors.catalogue_list(user=user, filters=filters))
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "entries": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
        "can_maintain": permissions.maintains_catalogue(user),
    }
    if not _is_partial(request):
        context["counts"] = selectors.catalogue_counts(user=user, alliance=filters.alliance)
    return _render_list(
        request,
        template="recognition/catalogue_list.html",
        partial="recognition/_catalogue_results.html",
        context=context,
    )


CATALOGUE_COLUMNS = (
    ("系统编号", 10),
    ("互认联盟", 24),
    ("类别", 30),
    ("名称", 36),
    ("目录编号", 10),
    ("互认起始", 12),
    ("备注", 30),
)


@login_required
@require_GET
def catalogue_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    form = CatalogueFilterForm(request.GET or None)
    qs = selectors.catalogue_list(user=request.user, filters=form.filters())
    rows = (
        [
            e.pk,
            str(e.alliance),
            e.get_kind_display(),
            e.label,
            e.qualification.entry_no
            if e.qualification_id
            else (e.title_series.seq if e.title_series_id else ""),
            e.since,
            e.note,
        ]
        for e in qs.iterator(chunk_size=500)
    )
    return _export(
        fmt=fmt,
        title="互认目录",
        filename="recognition-catalogue",
        columns=CATALOGUE_COLUMNS,
        rows=rows,
    )


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(permissions.maintains_catalogue(user))
    form = CatalogueEntryForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.catalogue_create(
                actor=user,
                alliance=data["alliance"],
                kind=data["kind"],
                since=data["since"],
                qualification=data.get("qualification"),
                title_series=data.get("title_series"),
                name=data.get("name") or "",
                note=data.get("note") or "",
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The entry is open for recognition."))
            return redirect(entry)
    return render(request, "recognition/catalogue_form.html", {"nav_active": NAV, "form": form})


def _import_page(request, *, form, run, template_url: str, columns, done_url: str, texts: dict):
    """The import pages of the catalogue and the certificate register: check or import the
    uploaded file with ``run(cleaned_data, data, filename)``; on success back to ``done_url``."""
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.TALENTFLOW_IMPORT_MAX_BYTES:
            form.add_error("file", file_too_large_message(settings.TALENTFLOW_IMPORT_MAX_BYTES))
        else:
            result = run(form.cleaned_data, upload.read(), upload.name)
            if result.committed:
                messages.success(
                    request,
                    _("%(file)s: %(created)s new, %(unchanged)s already here.")
                    % {
                        "file": result.filename,
                        "created": result.created,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect(done_url)
    context = {
        "nav_active": NAV,
        "form": form,
        "result": result,
        "columns": columns,
        "template_url": template_url,
        **texts,
        "max_rows": register.MAX_ROWS,
        "max_mb": settings.TALENTFLOW_IMPORT_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "recognition/import.html", context)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_import(request: HttpRequest) -> HttpResponse:
    """Officers of a member region import the alliance's catalogue: all rows or none."""
    alliances = catalogue_sheet.maintained_alliances(request.user)
    _require(bool(alliances))
    form = CatalogueImportForm(request.POST or None, request.FILES or None, alliances=alliances)
    return _import_page(
        request,
        form=form,
        run=lambda data, content, name: catalogue_sheet.import_catalogue(
            actor=request.user,
            alliance=data["alliance"],
            data=content,
            filename=name,
            dry_run=data["dry_run"],
        ),
        template_url=reverse("recognition:catalogue_import_template"),
        columns=catalogue_sheet.COLUMNS,
        done_url=reverse("recognition:catalogue_list"),
        texts={
            "tab": "catalogue",
            "page_title": _("Import the recognition catalogue"),
            "intro": _(
                "The entries your alliance recognises, from a spreadsheet (the columns of the "
                "catalogue export): each new row opens an entry for recognition in every member "
                "region from its date."
            ),
            "note": _(
                "An entry already open from the same date is counted and left as it is, so an "
                "exported catalogue can be imported again."
            ),
            "columns_note": _(
                "Qualifications are named as in the 2021 national catalogue and title series as "
                "the 27 series; the template's sheet 说明 lists both."
            ),
        },
    )


@login_required
@require_GET
def catalogue_import_template(request: HttpRequest) -> HttpResponse:
    _require(bool(catalogue_sheet.maintained_alliances(request.user)))
    return _xlsx(catalogue_sheet.template_workbook(), "talentflow-recognition-catalogue.xlsx")


@login_required
@require_POST
def catalogue_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _get_or_404(selectors.catalogue_get, user=request.user, pk=pk)
    kind = entry.kind
    try:
        services.catalogue_remove(actor=request.user, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The entry is removed from the catalogue."))
    return redirect(f"{reverse('recognition:catalogue_list')}?kind={kind}")


# Certificates --------------------------------------------------------------------------------


def _sees_certificates(user) -> bool:
    return permissions.is_office_user(user) or permissions.is_talent(user)


@login_required
@require_GET
def certificate_list(request: HttpRequest) -> HttpResponse:
    """Officers: applications to their region and every certified certificate of their
    alliances; a talent: their own."""
    user = request.user
    _require(_sees_certificates(user))
    form = CertificateFilterForm(request.GET or None)
    page_obj = _paginate(request, selectors.certificate_list(user=user, filters=form.filters()))
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "certificates": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
        "is_office": permissions.is_office_user(user),
        "is_talent": permissions.is_talent(user),
        "can_import": bool(register.issuing_regions(user)),
        "today": timezone.localdate(),
    }
    return _render_list(
        request,
        template="recognition/certificate_list.html",
        partial="recognition/_certificate_results.html",
        context=context,
    )


CERTIFICATE_COLUMNS = (
    ("系统编号", 10),
    ("人才", 14),
    ("类别", 30),
    ("互认事项", 32),
    ("等级/学时", 20),
    ("认定地区", 14),
    ("认定日期", 12),
    ("有效期至", 12),
    ("状态", 10),
)


@login_required
@require_GET
def certificate_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    _require(permissions.is_office_user(request.user))
    form = CertificateFilterForm(request.GET or None)
    qs = selectors.certificate_list(user=request.user, filters=form.filters())
    rows = (
        [
            c.pk,
            c.talent.name,
            c.get_kind_display(),
            c.entry.label,
            c.level_label,
            c.issuing_region.name,
            c.certified_on or "",
            c.valid_until or "",
            c.get_status_display(),
        ]
        for c in qs.iterator(chunk_size=500)
    )
    return _export(
        fmt=fmt,
        title="互认证书",
        filename="recognition-certificates",
        columns=CERTIFICATE_COLUMNS,
        rows=rows,
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_import(request: HttpRequest) -> HttpResponse:
    """An issuing region's officer imports the register of certificates it already certified:
    every row becomes a signed certificate, or nothing is written."""
    regions = register.issuing_regions(request.user)
    _require(bool(regions))
    form = RegisterImportForm(request.POST or None, request.FILES or None, regions=regions)
    return _import_page(
        request,
        form=form,
        run=lambda data, content, name: register.import_register(
            actor=request.user,
            region=data["region"],
            data=content,
            filename=name,
            dry_run=data["dry_run"],
        ),
        template_url=reverse("recognition:certificate_import_template"),
        columns=register.COLUMNS,
        done_url=reverse("recognition:certificate_list"),
        texts={
            "tab": "certificates",
            "page_title": _("Import a register of certificates"),
            "intro": _(
                "The certificates your region certified before the platform, from your Excel "
                "register: each row becomes a certificate certified by your region on the date "
                "in the row and signed with its key, valid at once in every member region of "
                "the alliance."
            ),
            "note": _(
                "A row already in the platform (the same talent, entry, level, dates and "
                "number) is counted and left as it is, so the same file can be imported again."
            ),
            "columns_note": _(
                "Give the talent's number or identity number; the name is checked against the "
                "record found. The template's sheet 说明 lists the qualifications and title "
                "series by name."
            ),
        },
    )


@login_required
@require_GET
def certificate_import_template(request: HttpRequest) -> HttpResponse:
    _require(bool(register.issuing_regions(request.user)))
    return _xlsx(register.template_workbook(), "talentflow-recognition-register.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def certificate_apply(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(permissions.is_talent(user))
    form = ApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            certificate = services.certificate_apply(
                actor=user,
                talent=user.talent_profile,
                entry=data["entry"],
                issuing_region=data["issuing_region"],
                title_level=data.get("title_level") or "",
                hours=data.get("hours"),
                original_number=data.get("original_number") or "",
                statement=data.get("statement") or "",
                uploads=[data["evidence"]] if data.get("evidence") else [],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your application is with the issuing region's office."))
            return redirect(certificate)
    return render(request, "recognition/certificate_form.html", {"nav_active": NAV, "form": form})


@login_required
@require_GET
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    certificate = _get_or_404(selectors.certificate_get, user=user, pk=pk)
    today = timezone.localdate()
    scope = scope_for(user)
    context = {
        "nav_active": NAV,
        "certificate": certificate,
        "valid": certificate.is_valid_on(today),
        "check": selectors.signature_check(certificate),
        "actions": selectors.certificate_actions(user, certificate),
        "evidence": certificate.evidence.all(),
        "reason_form": ReasonForm(),
        "certify_form": CertifyForm(),
        "partner": scope.is_officer
        and not scope.governs_region(certificate.issuing_region_id)
        and certificate.entry.alliance_id in scope.alliance_ids,
        "members": certificate.entry.alliance.memberships.select_related("region").order_by(
            "region"
        ),
    }
    return render(request, "recognition/certificate_detail.html", context)


@login_required
@require_POST
def certificate_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in {a.value for a in workflow.Action}:
        raise Http404
    user = request.user
    certificate = _get_or_404(selectors.certificate_get, user=user, pk=pk)
    reason = ""
    valid_until = None
    if action in workflow.NEEDS_REASON:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            if not permissions.certificate_parties(user, certificate):
                raise PermissionDenied
            messages.error(request, _("Give the reason."))
            return redirect(certificate)
        reason = form.cleaned_data["reason"]
    elif action == workflow.Action.CERTIFY:
        form = CertifyForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect(certificate)
        valid_until = form.cleaned_data.get("valid_until")
    try:
        services.certificate_transition(
            actor=user,
            certificate=certificate,
            action=action,
            reason=reason,
            valid_until=valid_until,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, DONE[action])
    return redirect(certificate)


DONE = {
    workflow.Action.CERTIFY: gettext_lazy("Certified and signed: valid in every member region."),
    workflow.Action.REJECT: gettext_lazy("The application is rejected."),
    workflow.Action.WITHDRAW: gettext_lazy("The application is withdrawn."),
    workflow.Action.REVOKE: gettext_lazy("The certificate is revoked in every member region."),
}


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence file, only to who sees its certificate."""
    evidence = Evidence.objects.filter(pk=pk).first()
    if (
        evidence is None
        or not selectors.certificate_visible(user=request.user)
        .filter(pk=evidence.certificate_id)
        .exists()
    ):
        raise Http404(_("No such record, or you may not see it."))
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file is missing.")) from error
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


# Figures -------------------------------------------------------------------------------------


@login_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(permissions.is_office_user(user))
    rows = selectors.region_stats(user=user)
    kinds = list(Kind)
    table = [
        {
            "alliance": r.alliance,
            "code": r.code,
            "name": r.name,
            "values": [r.issued_people[k.value] for k in kinds] + [r.issued, r.from_partners],
        }
        for r in rows
    ]
    headers = [str(k.label) for k in kinds] + [
        _("Certificates issued, valid"),
        _("Issued by partners, valid here"),
    ]
    chart = {
        "regions": [f"{r.name}" for r in rows],
        "series": [
            {"name": str(k.label), "values": [r.issued_people[k.value] for r in rows]}
            for k in kinds
        ]
        + [
            {"name": _("Issued by partners, valid here"), "values": [r.from_partners for r in rows]}
        ],
    }
    return render(
        request,
        "recognition/stats.html",
        {
            "nav_active": NAV,
            "headers": headers,
            "rows": table,
            "chart": chart if rows else None,
            "counts": selectors.catalogue_counts(user=user),
        },
    )
