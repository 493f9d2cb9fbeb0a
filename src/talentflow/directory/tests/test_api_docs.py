"""The API's OpenAPI document and interactive docs: public, complete, and offline-safe."""

import json
import re
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.staticfiles import finders

from talentflow.calls.tests.api_operations import OPERATIONS as CALLS_OPERATIONS
from talentflow.credentials.tests.api_operations import OPERATIONS as CREDENTIALS_OPERATIONS
from talentflow.evaluation.tests.api_operations import OPERATIONS as EVALUATION_OPERATIONS
from talentflow.points.tests.api_operations import OPERATIONS as POINTS_OPERATIONS
from talentflow.programmes.tests.api_operations import OPERATIONS as PROGRAMMES_OPERATIONS
from talentflow.recognition.tests.api_operations import OPERATIONS as RECOGNITION_OPERATIONS
from talentflow.rules.tests.api_operations import OPERATIONS as RULES_OPERATIONS

EXPECTED_OPERATIONS = {
    ("/api/me", "get"),
    ("/api/organisations", "get"),
    ("/api/organisations", "post"),
    ("/api/organisations/{organisation_id}", "get"),
    ("/api/organisations/{organisation_id}", "patch"),
    ("/api/talents", "get"),
    ("/api/talents", "post"),
    ("/api/talents/{talent_id}", "get"),
    ("/api/talents/{talent_id}", "patch"),
    ("/api/talents/{talent_id}/affiliations", "get"),
    ("/api/talents/{talent_id}/affiliations", "post"),
    ("/api/reference/lookup/{kind}", "get"),
    ("/api/reference/regions/{code}", "get"),
    ("/api/reference/alliances", "get"),
    ("/api/needs", "get"),
    ("/api/needs", "post"),
    ("/api/needs/{need_id}", "get"),
    ("/api/needs/{need_id}", "patch"),
    ("/api/needs/{need_id}/criteria", "put"),
    ("/api/needs/{need_id}/actions/{action}", "post"),
    ("/api/needs/{need_id}/accept-terms", "post"),
    ("/api/needs/{need_id}/timeline", "get"),
    ("/api/needs/{need_id}/documents", "post"),
    ("/api/needs/documents/{document_id}", "get"),
    ("/api/needs/{need_id}/proposals", "get"),
    ("/api/needs/{need_id}/proposals", "post"),
    ("/api/needs/proposals/{proposal_id}", "get"),
    ("/api/needs/proposals/{proposal_id}/actions/{action}", "post"),
    ("/api/needs/proposals/{proposal_id}/select", "post"),
    ("/api/needs/{need_id}/engagement", "get"),
    ("/api/needs/{need_id}/verification/start", "post"),
    ("/api/needs/{need_id}/verification", "post"),
    ("/api/needs/milestones/{milestone_id}/complete", "post"),
    ("/api/needs/{need_id}/outcomes", "get"),
    ("/api/needs/{need_id}/outcomes", "post"),
    ("/api/needs/{need_id}/outcomes/{outcome_id}/confirm", "post"),
    ("/api/needs/{need_id}/outcomes/{outcome_id}/reject", "post"),
    ("/api/needs/reports/outcomes", "get"),
    ("/api/needs/reports/engagements", "get"),
    ("/api/needs/visits", "get"),
    ("/api/needs/visits", "post"),
    ("/api/needs/visits/summary", "get"),
    ("/api/matching/needs/{need_id}/recommendations", "get"),
    ("/api/matching/needs/{need_id}/invitations", "post"),
    ("/api/matching/suggest-codes", "get"),
    ("/api/matching/allocation", "get"),
    ("/api/matching/for-me", "get"),
}


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"src", "href"} and value:
                self.urls.append(value)


def test_openapi_lists_every_endpoint(client, db):
    """The schema is public (it holds no data) and documents every operation."""
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "TalentFlow API"
    assert schema["info"]["version"] == "1"
    assert "Bearer" in schema["info"]["description"]
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert (
        operations
        == EXPECTED_OPERATIONS
        | RULES_OPERATIONS
        | POINTS_OPERATIONS
        | (EVALUATION_OPERATIONS | PROGRAMMES_OPERATIONS)
        | RECOGNITION_OPERATIONS
        | CALLS_OPERATIONS
        | CREDENTIALS_OPERATIONS
    )


def test_openapi_documents_both_authentications(client, db):
    """Every operation accepts a bearer token or the session."""
    schema = client.get("/api/openapi.json").json()
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert schema["components"]["securitySchemes"]["SessionAuth"]["in"] == "cookie"
    for item in schema["paths"].values():
        for operation in item.values():
            assert {"ApiTokenAuth": []} in operation["security"]
            assert {"SessionAuth": []} in operation["security"]


def test_openapi_never_returns_identity_numbers(client, db):
    """id_number is write-only: accepted on input, absent from every output schema."""
    components = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert components["TalentIn"]["properties"]["id_number"]["writeOnly"] is True
    for name in ("TalentOut", "TalentDetailOut"):
        assert "id_number" not in components[name]["properties"]
        assert "id_number_masked" in components[name]["properties"]


def test_openapi_describes_reference_codes(client, db):
    """The body schemas say which codes to use."""
    components = client.get("/api/openapi.json").json()["components"]["schemas"]
    talent = components["TalentIn"]["properties"]
    assert "grad2022" in talent["disciplines"]["description"]
    assert "GB/T 2260" in talent["home_region"]["description"]


def test_docs_page_is_public_and_local(client, db):
    """/api/docs renders for anyone and loads Swagger UI only from this server's static
    files, each of which exists: the page works without internet access."""
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), "the docs page must not reference another host"
    parser = _Assets()
    parser.feed(html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in parser.urls)
    assert any(url.endswith("swagger-ui.css") for url in parser.urls)
    static_url = "/" + settings.STATIC_URL.lstrip("/")
    for url in parser.urls:
        assert url.startswith(static_url), url
        assert finders.find(url.removeprefix(static_url)), f"{url} is not a served static file"


def test_docs_settings_point_at_the_local_schema(client, db):
    """Swagger UI reads the schema from this server and calls no validator service."""
    html = client.get("/api/docs").content.decode()
    match = re.search(
        r'<script type="application/json" id="swagger-settings">(.*?)</script>', html, re.S
    )
    assert match
    swagger = json.loads(match.group(1))
    assert swagger["url"] == "/api/openapi.json"
    assert swagger["validatorUrl"] is None
