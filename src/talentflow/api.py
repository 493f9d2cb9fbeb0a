"""The JSON API root. Each app contributes a router from its ``api.py``.

Errors are JSON in the request's language (LocaleMiddleware honours ``Accept-Language``):
401 unauthenticated, 403 not allowed, 404 not visible, 422 invalid — the same answers the web
pages give, because the same selectors and services give them.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError

from talentflow.accounts.api import router as accounts_router
from talentflow.accounts.api_auth import API_AUTH
from talentflow.calls.api import router as calls_router
from talentflow.core.services import validation_error_dict
from talentflow.credentials.api import router as credentials_router
from talentflow.directory.api import router as directory_router
from talentflow.evaluation.api import router as evaluation_router
from talentflow.matching.api import router as matching_router
from talentflow.needs.api import router as needs_router
from talentflow.points.api import router as points_router
from talentflow.programmes.api import router as programmes_router
from talentflow.recognition.api import router as recognition_router
from talentflow.reference.api import router as reference_router
from talentflow.rules.api import router as rules_router

DESCRIPTION = """
The TalentFlow (人才流动共享平台) directory for integrations: organisations, talents and their
affiliations, and the reference data they use. You see and change exactly what you can on the
web pages, under the same permissions.

**Authentication.** Create a token on the *API tokens* page (`/accounts/tokens/`) and send it
as `Authorization: Bearer <token>`. A revoked or expired token is refused with 401. The web
pages' own scripts use the signed-in session instead; with a session, unsafe methods need the
`X-CSRFToken` header.

**Errors.** Every error is JSON with a `detail` message in the language asked for with
`Accept-Language` (`zh-hans` or `en`): 401 not authenticated, 403 not allowed, 404 not found
or not visible to you, 422 invalid data. A 422 raised by a rule of the platform also carries
`errors`: `{"field": ["message", ...]}`; a 422 for a malformed request lists the locations.

**References** in request bodies use natural codes: regions by GB/T 2260 code (`"330421"`),
industries by GB/T 4754-2017 code (`"3391"`), disciplines as `{"scheme": "grad2022",
"code": "0805"}` or a bare code (digits: graduate catalogue; a leading letter: NSFC), title
series by number (`9`), vocational qualifications by catalogue entry number, talent pools and
alliances by code. Organisations are referred to by id. An unknown code is a 422 naming
the field.

**Needs** (`/api/needs`) follow the lifecycle 企业出题 → 政府助题 → 平台答题 → 车间验题 → 市场评价:
create and submit a need, frame and publish it, propose, select, verify, record and confirm
outcomes. A need's detail lists the `allowed_actions` of the caller; confidential details are
omitted (`details_hidden`) until the caller accepts the confidentiality terms. Amounts of money
and measurements are exact decimal **strings** (`"5000000.00"`), with their `unit`.

**Matching** (`/api/matching`): recommended experts for a need with the reasons for each
(`reasons`: code, share of the score, evidence), invitations, code suggestions for a need's
text, the officer's global allocation, and the needs that match the caller's profile.

**Policies and subsidies** (`/api/rules`): policies and their versions (draft, edit, what-if
of a draft on every current application and on the year's budget, publish); an amount computed
with its explanation (each step, parameter and version); applications (申报) from creation with
evidence to the talent office's and finance's review and the one payout. A draft version is
discarded with `DELETE /api/rules/versions/{id}`; an applicant withdraws with
`POST /api/rules/applications/{id}/withdraw`.

**Points** (`/api/points`): a talent's statement (every entry with its event, rule version and
calculation), leaderboards per region, pool and year for talent offices, verified events (list,
record), derivation from verified need records, and points rules with their versions (preview
and publish a draft: recomputed forward, history never rewritten).

**Evaluation** (`/api/evaluation`): authorisations to self-evaluate (quota used and left),
enterprise evaluations with `submit`/`endorse`/`return` actions (认账), industry recommendations
(行业公荐) with their public notice (公示), objections and finalisation, and results (category,
tier, validity).

**Programmes** (`/api/programmes`): appointment requests (科技副总, 产业教授, 合伙人, 互聘共享) with
the matching engine's candidates and the office's proposals; appointments with their actions
(`accept`, `decline`, `consent`, `refuse`, `withdraw`, `end`, `terminate`), start (term, duties,
days, salary), renewal, work logs, period reviews and the 聘书 PDF; statistics per region. Under
`/api/programmes/training`: graduate practice bases (研究生实践基地) and their 育才补贴
application, cohorts with mentors, topics from needs and students' ranked preferences, the
stable allocation run, pins and confirmation, six-party agreements (六方联动) with milestones,
graduation and destinations (retention), statistics per region.

**Recognition** (`/api/recognition`): the catalogue of what an alliance recognises (四个互认:
work permits, vocational qualifications, title series, continuing-education hours); certificates
applied for with evidence, certified by the issuing region (一地认定) and signed with its key,
valid in every member region (三地互认) with their signature check; revocation; statistics.

**Calls** (`/api/calls`): cross-region talent programme calls (跨区域申报) with one set of
weighted criteria, applications from any member region, a joint review panel, scores, ranking
and published results.

**Talent code** (`/api/credentials`): the signed talent code (人才码, COSE_Sign1 ES256, base45)
of the signed-in talent, the signed trust list and incremental revocation list (also published
without login at `/credentials/trust-list.json` and `/credentials/revocations.json?since=N`),
the service catalogue, and redemptions recorded by providers (idempotent by the client's UUID;
a once-only service is never redeemed twice).

**Lists** are paged: `?page=2&page_size=50` (at most 100); the answer holds `items` and the
total `count`.
"""

api = NinjaAPI(
    title="TalentFlow API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=API_AUTH,
    # Served from ninja's own static files (ninja is in INSTALLED_APPS): the platform runs
    # without internet access. The validator badge would otherwise call swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
)

api.add_router("", accounts_router)
api.add_router("", directory_router)
api.add_router("/reference", reference_router)
api.add_router("/needs", needs_router)
api.add_router("/matching", matching_router)
api.add_router("/rules", rules_router)
api.add_router("/points", points_router)
api.add_router("/evaluation", evaluation_router)
api.add_router("/programmes", programmes_router)
api.add_router("/recognition", recognition_router)
api.add_router("/calls", calls_router)
api.add_router("/credentials", credentials_router)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {
            "detail": _(
                "Authentication required: send a valid API token as "
                "'Authorization: Bearer <token>', or sign in."
            )
        },
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or _("You may not do this.")}, status=403
    )


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The same answer whether the record does not exist or is hidden from the caller.
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


api.add_exception_handler(ObjectDoesNotExist, _not_found)
api.add_exception_handler(Http404, _not_found)


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = validation_error_dict(exc)
    detail = "; ".join(
        " ".join(messages) if field == "__all__" else f"{field}: {' '.join(messages)}"
        for field, messages in errors.items()
    )
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)
