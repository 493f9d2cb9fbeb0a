"""The talent-code pages: the published signed lists (no login), the talent's mobile code page,
the service catalogue, and the provider's offline verification page.

Views parse input, call one selector or service and render. A record out of sight is a 404;
visible but not changeable is a 403.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import PrefixNode
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from talentflow.credentials import keys, permissions, selectors, services
from talentflow.credentials.forms import ServiceFilterForm, ServiceForm
from talentflow.credentials.models import ServiceGroup
from talentflow.directory.io.sheets import FORMATS
from talentflow.directory.views import (
    _add_service_errors,
    _get_or_404,
    _paginate,
    _query_without_page,
    _render_list,
)
from talentflow.evaluation.views import _export

NAV = "credentials"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _json(data: dict, *, max_age: int = 60) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Published lists (stable URLs, no login) -----------------------------------------------------


@require_GET
def trust_list(request: HttpRequest) -> JsonResponse:
    """Every member region's public keys, signed by the alliance root key."""
    return _json(services.signed_trust_list())


@require_GET
def revocations(request: HttpRequest) -> JsonResponse:
    """The revocation list, signed; ``?since=N`` answers only the entries after seq N."""
    try:
        since = int(request.GET.get("since") or 0)
    except ValueError:
        since = 0
    return _json(services.signed_revocations(since), max_age=30)


@require_GET
def root(request: HttpRequest) -> JsonResponse:
    """The root public key clients pin (in production it is shipped in the page)."""
    row_spki = keys.root_spki()
    key = keys.root_key()
    return _json(
        {"issuer": keys.alliance_code(), "kid": key.kid_b64, "spki": row_spki, "alg": "ES256"},
        max_age=3600,
    )


# The talent's code ---------------------------------------------------------------------------


def _my_talent(user):
    talent_id = permissions.talent_id(user)
    _require(talent_id is not None)
    from talentflow.directory.models import TalentProfile

    return TalentProfile.objects.get(pk=talent_id)


def code_context(talent) -> dict:
    issued = services.code_issue(talent)
    seconds = keys.code_seconds()
    context = {
        "nav_active": NAV,
        "talent": talent,
        "issued": issued,
        "seconds": seconds,
        # Refresh well before the code expires (a screenshot soon stops working).
        "refresh_seconds": max(5, seconds - min(30, seconds // 3)),
    }
    if issued is not None:
        groups = dict(ServiceGroup.choices)
        context.update(
            {
                "qr": issued.qr_svg(),
                "masked_name": issued.claims.mn,
                "tier": issued.claims.tier,
                "category": issued.standing.category_label,
                "region_name": issued.standing.region_name,
                "group_labels": [groups.get(g, g) for g in issued.claims.grp],
                "expires_at": issued.expires_at,
                "exp": issued.claims.exp,
            }
        )
    else:
        # Why the code is greyed out: a category that lapsed or was revoked.
        from talentflow.evaluation.models import EvaluationResult

        last = (
            EvaluationResult.objects.filter(talent=talent)
            .order_by("-valid_until", "-id")
            .select_related("region")
            .first()
        )
        context["last_result"] = last
    return context


@login_required
@require_GET
def my_code(request: HttpRequest) -> HttpResponse:
    """The talent's code, refreshed by htmx before it expires; greyed out when lapsed."""
    talent = _my_talent(request.user)
    context = code_context(talent)
    template = (
        "credentials/_my_code.html"
        if getattr(request, "htmx", None) and not request.htmx.history_restore_request
        else "credentials/my_code.html"
    )
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


# The catalogue -----------------------------------------------------------------------------


@login_required
@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ServiceFilterForm(request.GET or None)
    page_obj = _paginate(request, selectors.service_list(user=user, filters=form.filters()))
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "services": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
        "is_office": permissions.is_office_user(user),
        "is_provider": permissions.is_provider(user),
    }
    return _render_list(
        request,
        template="credentials/service_list.html",
        partial="credentials/_service_results.html",
        context=context,
    )


SERVICE_COLUMNS = (
    ("服务编码", 24),
    ("服务名称", 30),
    ("服务类别", 14),
    ("地区", 12),
    ("服务机构", 30),
    ("适用人才类别", 12),
    ("使用限制", 14),
    ("已核销次数", 10),
)


@login_required
@require_GET
def service_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    form = ServiceFilterForm(request.GET or None)
    qs = selectors.service_list(user=request.user, filters=form.filters())
    rows = (
        [
            s.code,
            s.name,
            s.get_group_display(),
            s.region.name,
            s.provider.name,
            "、".join(f"{t}类" for t in s.eligible_tiers),
            s.limit_label(),
            s.used,
        ]
        for s in qs.iterator(chunk_size=500)
    )
    return _export(
        fmt=fmt,
        title="人才码服务目录",
        filename="talent-services",
        columns=SERVICE_COLUMNS,
        rows=rows,
    )


@login_required
@require_GET
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    service = _get_or_404(selectors.service_get, user=user, pk=pk)
    can_see_redemptions = permissions.manages_region(
        user, service.region_id
    ) or permissions.acts_for_provider(user, service.provider_id)
    context = {
        "nav_active": NAV,
        "service": service,
        "can_edit": permissions.manages_region(user, service.region_id),
        "redemptions": (
            selectors.redemption_list(user=user, service=service.pk)[:20]
            if can_see_redemptions
            else None
        ),
    }
    return render(request, "credentials/service_detail.html", context)


def _service_fields(data: dict) -> dict:
    return {
        "name": data["name"],
        "provider": data["provider"],
        "region": data["region"],
        "group": data["group"],
        "eligible_tiers": "".join(data["eligible_tiers"]),
        "limit": data["limit"],
        "limit_count": data["limit_count"],
        "description": data.get("description") or "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(permissions.is_office_user(user))
    form = ServiceForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(
                actor=user, code=form.cleaned_data["code"], **_service_fields(form.cleaned_data)
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The service is in the catalogue."))
            return redirect(service)
    return render(
        request, "credentials/service_form.html", {"nav_active": NAV, "form": form, "service": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    service = _get_or_404(selectors.service_get, user=user, pk=pk)
    _require(permissions.manages_region(user, service.region_id))
    initial = {
        "code": service.code,
        "name": service.name,
        "region": service.region,
        "provider": service.provider,
        "group": service.group,
        "eligible_tiers": list(service.eligible_tiers),
        "limit": service.limit,
        "limit_count": service.limit_count,
        "description": service.description,
        "active": service.active,
    }
    form = ServiceForm(request.POST or None, user=user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(
                actor=user,
                service=service,
                active=form.cleaned_data["active"],
                **_service_fields(form.cleaned_data),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The service is saved."))
            return redirect(service)
    return render(
        request,
        "credentials/service_form.html",
        {"nav_active": NAV, "form": form, "service": service},
    )


# Redemptions -------------------------------------------------------------------------------


@login_required
@require_GET
def redemption_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(permissions.is_office_user(user) or permissions.is_provider(user))
    page_obj = _paginate(
        request, selectors.redemption_list(user=user, q=(request.GET.get("q") or "").strip())
    )
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "redemptions": page_obj.object_list,
        "query": _query_without_page(request),
        "q": request.GET.get("q") or "",
    }
    return render(request, "credentials/redemption_list.html", context)


# The counter ---------------------------------------------------------------------------------


# The counter keeps its page offline in this Cache Storage cache (``counter_worker``); logging
# out deletes every cache under the prefix (core/talentflow.js).
COUNTER_CACHE_PREFIX = "talentflow-counter-"
COUNTER_CACHE = f"{COUNTER_CACHE_PREFIX}v1"


@require_GET
def counter_worker(request: HttpRequest) -> HttpResponse:
    """The counter's service worker, served under the page's path so that its scope covers
    the page. No data of anyone: only paths (the page and the static files)."""
    config = {
        "cache": COUNTER_CACHE,
        "prefix": COUNTER_CACHE_PREFIX,
        "page": reverse("credentials:verify"),
        # The prefix itself, not ``static("")``: manifest storage has no entry for "".
        "static": PrefixNode.handle_simple("STATIC_URL"),
    }
    body = render_to_string("credentials/counter_sw.js", {"config": json.dumps(config)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # browsers re-check the worker on every visit
    return response


@login_required
@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """The provider's verification page: everything it needs is cached in the browser, so it
    verifies and records while offline and syncs when back online."""
    user = request.user
    _require(permissions.is_provider(user))
    groups = dict(ServiceGroup.choices)
    provider_services = [
        {
            **services.list_service(s).to_json(),
            "id": s.pk,
            "name": s.name,
            "group_label": str(groups.get(s.group, s.group)),
            "limit_label": s.limit_label(),
        }
        for s in selectors.provider_services(user)
    ]
    messages_js = {reason: str(text) for reason, text in services.REFUSAL_MESSAGES.items()}
    context = {
        "nav_active": NAV,
        "root_spki": keys.root_spki(),
        "provider_services": provider_services,
        "refusals": messages_js,
        "cache_key": f"tf-counter-{user.pk}",
        "offline": {
            "worker": reverse("credentials:counter_worker"),
            "scope": reverse("credentials:verify"),
            "cache": COUNTER_CACHE,
        },
        "urls": {
            "trust": reverse("credentials:trust_list"),
            "revocations": reverse("credentials:revocations"),
            "redemptions": reverse("api:credentials_redemption_create"),
        },
        "server_now": int(timezone.now().timestamp()),
    }
    return render(request, "credentials/verify.html", context)
