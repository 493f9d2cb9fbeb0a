"""Spreadsheet import (officers and administrators) and export (anyone, of what they see)."""

from __future__ import annotations

import tempfile

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from talentflow.accounts import permissions
from talentflow.directory.io import KINDS
from talentflow.directory.io.columns import COLUMNS
from talentflow.directory.io.exporter import (
    export_csv,
    export_filename,
    export_queryset,
    template_workbook,
    write_export_xlsx,
)
from talentflow.directory.io.importer import file_too_large_message, import_file
from talentflow.directory.io.sheets import CSV_CONTENT_TYPE, FORMATS, XLSX_CONTENT_TYPE

KIND_TITLES = {"talents": _("talents"), "organisations": _("organisations")}
LIST_URLS = {"talents": "directory:talent_list", "organisations": "directory:organisation_list"}
# The summary of a committed import survives one redirect, so reloading the summary page
# cannot post the file a second time.
SUMMARY_SESSION_KEY = "directory_import_summary"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False)


def _importable(request: HttpRequest, kind: str) -> None:
    if kind not in KINDS:
        raise Http404
    if not permissions.can_import(request.user):
        raise PermissionDenied


def _page_context(kind: str) -> dict:
    return {
        "kind": kind,
        "kind_title": KIND_TITLES[kind],
        "columns": COLUMNS[kind],
        "list_url": reverse(LIST_URLS[kind]),
        "template_url": reverse("directory:import_template", args=[kind]),
        "max_rows": settings.TALENTFLOW_IMPORT_MAX_ROWS,
        "max_mb": settings.TALENTFLOW_IMPORT_MAX_BYTES // (1024 * 1024),
        "nav_active": kind,
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    _importable(request, kind)
    context = _page_context(kind)
    if request.method == "GET":
        summary = request.session.pop(SUMMARY_SESSION_KEY, None)
        if request.GET.get("done") and summary and summary.get("kind") == kind:
            return render(request, "directory/import_done.html", {**context, **summary})
        return render(request, "directory/import.html", {**context, "form": ImportForm()})

    form = ImportForm(request.POST, request.FILES)
    result = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.TALENTFLOW_IMPORT_MAX_BYTES:
            form.add_error("file", file_too_large_message(settings.TALENTFLOW_IMPORT_MAX_BYTES))
        else:
            result = import_file(
                actor=request.user,
                kind=kind,
                data=upload.read(),
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
    if result is not None and result.ok:
        summary = {
            "kind": kind,
            "filename": result.filename,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "dry_run": result.dry_run,
        }
        if result.dry_run:
            return render(request, "directory/import_done.html", {**context, **summary})
        request.session[SUMMARY_SESSION_KEY] = summary
        return HttpResponseRedirect(reverse("directory:import", args=[kind]) + "?done=1")
    return render(request, "directory/import.html", {**context, "form": form, "result": result})


@login_required
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    _importable(request, kind)
    response = HttpResponse(template_workbook(kind), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, f"talentflow-{kind}-template.xlsx"
    )
    return response


@login_required
@require_GET
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404
    queryset = export_queryset(user=request.user, kind=kind, params=request.GET)
    filename = export_filename(kind, fmt)
    if fmt == "csv":
        chunks = (
            chunk.encode("utf-8")
            for chunk in export_csv(user=request.user, kind=kind, queryset=queryset)
        )
        response = StreamingHttpResponse(chunks, content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    # openpyxl's write-only mode keeps rows on disk, not in memory; the finished workbook
    # goes to a temporary file that the response streams and then closes.
    target = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    write_export_xlsx(target, user=request.user, kind=kind, queryset=queryset)
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
