"""Points pages: a talent's statement, leaderboards, events, schemes and their versions.

Views parse input, call one selector or service and render; who sees what is decided in
selectors.py and permissions.py.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentflow.accounts.permissions import scope_for
from talentflow.directory.io.sheets import (
    CSV_CONTENT_TYPE,
    FORMATS,
    XLSX_CONTENT_TYPE,
    csv_chunks,
    write_xlsx,
)
from talentflow.directory.models import Pool
from talentflow.directory.views import (
    _add_service_errors,
    _is_partial,
    _paginate,
    _query_without_page,
    _render_list,
)
from talentflow.needs.forms_solving import (
    LOCAL_TALENT_OPTIONS,
    talent_lookup_items,
    talents_for_team,
)
from talentflow.points import permissions, selectors, services
from talentflow.points.display import calculation_text, cents
from talentflow.points.forms import (
    EVENT_PARAMS,
    EventFilterForm,
    EventForm,
    RateFormSet,
    SchemeForm,
    VersionForm,
    VoidForm,
    event_filters_from,
    rate_initial,
)
from talentflow.reference.models import Region

NAV = "points"


def _export(fmt: str, *, name: str, title: str, columns, rows: Iterator[list[Any]]):
    """The file of a list, .csv streamed or .xlsx; headers in Chinese as every export."""
    filename = f"talentflow-{name}-{timezone.localdate():%Y%m%d}.{fmt}"
    headers = [h for h, _w in columns]

    def translated() -> Iterator[list[Any]]:
        with translation.override(settings.LANGUAGE_CODE):
            yield from rows

    if fmt == "csv":
        chunks = (c.encode("utf-8") for c in csv_chunks(headers=headers, rows=translated()))
        response = StreamingHttpResponse(chunks, content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    target = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    write_xlsx(
        target, title=title, headers=headers, widths=[w for _h, w in columns], rows=translated()
    )
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The points menu's entry: a talent's own statement, an officer's leaderboard, else the
    rules."""
    scope = scope_for(request.user)
    if scope.is_admin or scope.is_officer:
        return redirect("points:leaderboard")
    if scope.talent_id is not None:
        return redirect("points:statement", pk=scope.talent_id)
    return redirect("points:scheme_list")


# Statements ---------------------------------------------------------------------------------


@login_required
@require_GET
def my_statement(request: HttpRequest) -> HttpResponse:
    talent_id = scope_for(request.user).talent_id
    if talent_id is None:
        raise Http404
    return redirect("points:statement", pk=talent_id)


@login_required
@require_GET
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    talent = selectors.statement_talent(user=request.user, pk=pk)
    totals = selectors.statement_totals(talent=talent)
    period = request.GET.get("period", "")
    if period not in {t.period for t in totals}:
        period = ""
    page_obj = _paginate(request, selectors.statement_entries(talent=talent, period=period))
    return render(
        request,
        "points/statement.html",
        {
            "nav_active": NAV,
            "talent": talent,
            "totals": totals,
            "total": sum((t.points for t in totals), Decimal("0")),
            "period": period,
            "page_obj": page_obj,
            "entries": page_obj.object_list,
            "query": _query_without_page(request),
            "is_own": scope_for(request.user).talent_id == talent.pk,
            "can_void": permissions.can_record_events(request.user),
        },
    )


STATEMENT_COLUMNS = (
    ("序号", 8),
    ("年度", 8),
    ("日期", 12),
    ("事项", 28),
    ("数量", 14),
    ("说明", 36),
    ("积分办法", 28),
    ("版本", 6),
    ("类型", 8),
    ("积分", 10),
    ("计算", 60),
)


@login_required
@require_GET
def statement_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    talent = selectors.statement_talent(user=request.user, pk=pk)
    entries = selectors.statement_entries(talent=talent, period=request.GET.get("period", ""))

    def rows() -> Iterator[list[Any]]:
        for e in entries.iterator(chunk_size=500):
            yield [
                e.pk,
                e.period,
                e.event.occurred_on,
                e.event.get_kind_display(),
                e.event.quantity,
                e.event.description,
                e.version.scheme.name,
                e.version.number,
                e.get_kind_display(),
                e.points,
                calculation_text(e.explanation),
            ]

    return _export(
        fmt, name=f"points-{talent.pk}", title="积分明细", columns=STATEMENT_COLUMNS, rows=rows()
    )


# Leaderboards -------------------------------------------------------------------------------


def _board_params(request: HttpRequest) -> tuple[Region | None, Pool | None, str]:
    user = request.user
    if not permissions.can_see_leaderboards(user):
        raise PermissionDenied(_("Leaderboards are for the talent offices."))
    region = pool = None
    code = (request.GET.get("region") or "").strip()
    if code:
        region = selectors.leaderboard_regions(user=user).filter(code=code).first()
        if region is None:
            raise Http404
    pool_id = (request.GET.get("pool") or "").strip()
    if pool_id:
        if not pool_id.isdigit():
            raise Http404
        pool = selectors.leaderboard_pools(user=user).filter(pk=int(pool_id)).first()
        if pool is None:
            raise Http404
    period = (request.GET.get("period") or "").strip()
    return region, pool, period if period.isdigit() and len(period) == 4 else ""


@login_required
@require_GET
def leaderboard(request: HttpRequest) -> HttpResponse:
    region, pool, period = _board_params(request)
    board = selectors.leaderboard(user=request.user, region=region, pool=pool, period=period)
    page_obj = _paginate(request, board)
    offset = page_obj.start_index() - 1 if page_obj.paginator.count else 0
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "rows": [(offset + i + 1, t) for i, t in enumerate(page_obj.object_list)],
        "region": region,
        "pool": pool,
        "period": period,
        "query": _query_without_page(request),
        "filtered": bool(region or pool or period),
    }
    if not _is_partial(request):
        context["regions"] = selectors.leaderboard_regions(user=request.user)
        context["pools"] = selectors.leaderboard_pools(user=request.user)
        this_year = timezone.localdate().year
        context["periods"] = [str(y) for y in range(this_year, this_year - 6, -1)]
    return _render_list(
        request,
        template="points/leaderboard.html",
        partial="points/_leaderboard_results.html",
        context=context,
    )


LEADERBOARD_COLUMNS = (("名次", 6), ("人才", 16), ("户籍地区", 20), ("事项数", 8), ("积分", 12))


@login_required
@require_GET
def leaderboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    region, pool, period = _board_params(request)
    board = selectors.leaderboard(user=request.user, region=region, pool=pool, period=period)

    def rows() -> Iterator[list[Any]]:
        for rank, t in enumerate(board.iterator(chunk_size=500), start=1):
            yield [
                rank,
                t.name,
                t.home_region.full_name or t.home_region.name,
                t.events,
                cents(t.points),
            ]

    return _export(
        fmt, name="points-leaderboard", title="积分排行", columns=LEADERBOARD_COLUMNS, rows=rows()
    )


# Events -------------------------------------------------------------------------------------


def _require_events(user) -> None:
    if not permissions.can_record_events(user):
        raise PermissionDenied(_("Points events are kept by the talent offices."))


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_events(user)
    filters = event_filters_from(request.GET)
    page_obj = _paginate(request, selectors.event_list(user=user, filters=filters))
    context: dict[str, Any] = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "events": page_obj.object_list,
        "filtered": any(request.GET.get(n) for n in EVENT_PARAMS),
        "query": _query_without_page(request),
    }
    if not _is_partial(request):
        context["filter_form"] = EventFilterForm(request.GET or None)
    return _render_list(
        request,
        template="points/event_list.html",
        partial="points/_event_results.html",
        context=context,
    )


EVENT_COLUMNS = (
    ("系统编号", 10),
    ("日期", 12),
    ("人才", 16),
    ("事项", 28),
    ("数量", 14),
    ("地区", 20),
    ("来源", 16),
    ("说明", 36),
    ("证明材料", 36),
    ("积分", 10),
    ("作废原因", 30),
)


@login_required
@require_GET
def event_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    _require_events(request.user)
    events = selectors.event_list(user=request.user, filters=event_filters_from(request.GET))

    def rows() -> Iterator[list[Any]]:
        for e in events.iterator(chunk_size=500):
            yield [
                e.pk,
                e.occurred_on,
                e.talent.name,
                e.get_kind_display(),
                e.quantity,
                e.region.full_name or e.region.name,
                e.get_source_display(),
                e.description,
                e.evidence,
                cents(e.points),
                e.void_reason if e.is_voided else "",
            ]

    return _export(fmt, name="points-events", title="积分事项", columns=EVENT_COLUMNS, rows=rows())


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_events(user)
    if request.method == "GET" and request.GET.get("lookup") == "talents":
        q = (request.GET.get("q") or "").strip()[:100]
        from django.http import JsonResponse

        return JsonResponse({"items": talent_lookup_items(user, q)})
    talents = talents_for_team(user)
    lookup_url = ""
    if talents.count() > LOCAL_TALENT_OPTIONS:
        lookup_url = reverse("points:event_create") + "?lookup=talents"
    initial = {}
    if request.GET.get("talent", "").isdigit():
        initial["talent"] = int(request.GET["talent"])
    form = EventForm(
        request.POST or None, user=user, talents=talents, lookup_url=lookup_url, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            event = services.event_record(
                actor=user,
                talent=d["talent"],
                kind=d["kind"],
                region=d["region"],
                occurred_on=d["occurred_on"],
                quantity=d["quantity"],
                evidence=d["evidence"],
                description=d["description"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The event is recorded and its points entered."))
            return redirect("points:statement", pk=event.talent_id)
    return render(
        request,
        "points/event_form.html",
        {"nav_active": NAV, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void a wrongly recorded event, with a reason: its entries are reversed."""
    user = request.user
    _require_events(user)
    event = selectors.event_list(user=user).filter(pk=pk).first()
    if event is None:
        raise Http404
    if not permissions.can_void_event(user, event):
        raise PermissionDenied(_("You void events only in the regions you govern."))
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_void(actor=user, event=event, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The event is voided and its points reversed."))
            return redirect("points:statement", pk=event.talent_id)
    return render(
        request,
        "points/event_void.html",
        {"nav_active": NAV, "form": form, "event": event},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def sync(request: HttpRequest) -> HttpResponse:
    _require_events(request.user)
    result = services.events_sync(actor=request.user)
    messages.success(
        request,
        _(
            "%(events)s new events from confirmed outcomes and verified engagements; "
            "%(voided)s events voided whose source is no longer confirmed or verified; "
            "%(entries)s ledger entries added, %(reversals)s reversed."
        )
        % {
            "events": result.events,
            "voided": result.voided,
            "entries": result.entries,
            "reversals": result.reversals,
        },
    )
    return redirect("points:event_list")


# Schemes and versions -----------------------------------------------------------------------


@login_required
@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    schemes = selectors.scheme_list(user=request.user)
    return render(
        request,
        "points/scheme_list.html",
        {
            "nav_active": NAV,
            "schemes": schemes,
            "can_create": permissions.can_create_scheme(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_create_scheme(user):
        raise PermissionDenied(_("Points schemes are kept by the talent offices."))
    form = SchemeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The scheme is created: draft its first version."))
            return redirect(scheme)
    return render(
        request,
        "points/scheme_form.html",
        {"nav_active": NAV, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    versions = list(selectors.versions_of(user=request.user, scheme=scheme))
    return render(
        request,
        "points/scheme_detail.html",
        {
            "nav_active": NAV,
            "scheme": scheme,
            "versions": versions,
            "can_manage": permissions.can_manage_scheme(request.user, scheme),
            "has_draft": any(not v.is_published for v in versions),
        },
    )


@login_required
@require_POST
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    if not permissions.can_manage_scheme(request.user, scheme):
        raise PermissionDenied(_("Only the scheme's talent office drafts its versions."))
    try:
        version = services.version_create(actor=request.user, scheme=scheme)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(scheme)
    messages.success(request, _("A new draft version: change its table, preview, publish."))
    return redirect("points:version_edit", pk=version.pk)


def _preview(version) -> dict[str, Any]:
    plan = services.version_preview(version=version)
    talents = plan.by_talent()
    from talentflow.directory.models import TalentProfile

    names = dict(TalentProfile.objects.filter(pk__in=talents).values_list("pk", "name"))
    rows = sorted(
        (
            {
                "talent": names.get(pk, pk),
                "talent_id": pk,
                "old": old,
                "new": new,
                "diff": new - old,
            }
            for pk, (old, new) in talents.items()
        ),
        key=lambda r: (-abs(r["diff"]), str(r["talent"])),
    )
    return {
        "events": len(plan.changes),
        "changed": len(plan.effective),
        "old": sum((r["old"] for r in rows), Decimal("0")),
        "new": sum((r["new"] for r in rows), Decimal("0")),
        "rows": rows[:50],
        "more": max(0, len(rows) - 50),
    }


@login_required
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(user=request.user, pk=pk)
    can_manage = permissions.can_manage_scheme(request.user, version.scheme)
    return render(
        request,
        "points/version_detail.html",
        {
            "nav_active": NAV,
            "version": version,
            "scheme": version.scheme,
            "rates": version.rates.all(),
            "can_manage": can_manage,
            "preview": _preview(version) if can_manage and not version.is_published else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(user=request.user, pk=pk)
    if not permissions.can_manage_scheme(request.user, version.scheme):
        raise PermissionDenied(_("Only the scheme's talent office edits its versions."))
    if version.is_published:
        messages.error(request, _("A published version cannot be changed: draft a new one."))
        return redirect(version)
    data = request.POST if request.method == "POST" else None
    form = VersionForm(data, instance=version, initial={"period_cap": version.period_cap})
    rates = RateFormSet(data, prefix="rates", initial=rate_initial(version.rates.all()))
    if data is not None and form.is_valid() and rates.is_valid():
        rows = [r.cleaned_data for r in rates.forms if r.cleaned_data.get("kind")]
        try:
            services.version_update(
                actor=request.user,
                version=version,
                effective_from=form.cleaned_data["effective_from"],
                period_cap=form.cleaned_data.get("period_cap"),
                note=form.cleaned_data.get("note") or "",
                rates=rows,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The draft is saved. Check the preview, then publish."))
            return redirect(version)
    return render(
        request,
        "points/version_form.html",
        {"nav_active": NAV, "version": version, "form": form, "rates": rates},
        status=400 if data is not None else 200,
    )


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(user=request.user, pk=pk)
    if not permissions.can_manage_scheme(request.user, version.scheme):
        raise PermissionDenied(_("Only the scheme's talent office publishes its versions."))
    try:
        added, reversed_ = services.version_publish(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(version)
    messages.success(
        request,
        _("Version %(number)s is published: %(added)s entries added, %(reversed)s reversed.")
        % {"number": version.number, "added": added, "reversed": reversed_},
    )
    return redirect(version)
