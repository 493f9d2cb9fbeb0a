"""A draft's facts list: each fact a name and a type (money, number, yes/no, date, text),
validated; the application form, the service and the computation follow the version's facts."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from talentflow.accounts.services import api_token_create
from talentflow.core.models import AuditEvent
from talentflow.rules import facts as fact_specs
from talentflow.rules import selectors, services
from talentflow.rules.models import Application, PolicyVersionRecord
from talentflow.rules.tests.builders import evidence, seed

pytestmark = pytest.mark.django_db

FACTS = [
    {"name": "appointed", "kind": "bool"},
    {"name": "annual_salary", "kind": "money"},
    {"name": "months_served", "kind": "number"},
    {"name": "appointed_on", "kind": "date"},
    {"name": "field_of_work", "kind": "text"},
]
ELIGIBILITY = "appointed and months_served >= 6 and appointed_on >= '2025-01-01'"


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def policies(cast):
    return seed()


def _draft(policy, actor=None, **changes):
    draft = services.version_draft_create(actor=actor, policy=policy)
    return services.version_update(actor=actor, version=draft, **changes)


def test_clean_reads_each_type_exactly():
    kinds = {"n": "number", "d": "date", "t": "text", "m": "money", "b": "bool"}
    names = list(kinds)
    raw = {"n": "12.50", "d": "2026-02-01", "t": " 新材料 ", "m": "1,000", "b": "yes"}
    stored = fact_specs.clean(names, raw, kinds)
    assert stored == {"n": "12.5", "d": "2026-02-01", "t": "新材料", "m": "1000.00", "b": True}
    engine_facts = fact_specs.for_engine(stored, kinds)
    assert engine_facts["n"] == Decimal("12.5") and engine_facts["d"] == "2026-02-01"
    with pytest.raises(ValidationError) as caught:
        fact_specs.clean(
            names, {"n": "-1", "d": "2026-13-01", "t": "", "m": "1.001", "b": "x"}, kinds
        )
    assert set(caught.value.message_dict) == set(names)
    with pytest.raises(ValidationError):
        fact_specs.clean(["t"], {"t": "x" * 201}, kinds)


def test_a_draft_gets_new_typed_facts_and_is_audited(cast, policies):
    policy = policies["vice_president_subsidy"]
    current = selectors.current_version(policy)
    draft = _draft(policy, actor=cast.officer_jiashan, facts=FACTS, eligibility=ELIGIBILITY)
    assert draft.facts == [f["name"] for f in FACTS]
    assert draft.fact_kinds["months_served"] == "number"
    assert draft.fact_kinds["appointed_on"] == "date"
    event = AuditEvent.objects.filter(action="policy.version_update").latest("id")
    assert {"name": "months_served", "kind": "number"} in event.after["facts"]
    assert {"name": "months_served", "kind": "number"} not in event.before["facts"]
    current.refresh_from_db()
    assert current.facts == ["appointed", "annual_salary"] and current.fact_kinds == {}


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ([{"name": "1st", "kind": "number"}], "not a name"),
        ([{"name": "a b", "kind": "number"}], "not a name"),
        ([{"name": "x", "kind": "text"}, {"name": "x", "kind": "date"}], "listed twice"),
        ([{"name": "rate", "kind": "number"}], "already a parameter"),
        ([{"name": "colour", "kind": "colour"}], "type must be one of"),
        ([{"name": "subsidy_received", "kind": "money"}], "computed by the platform"),
        # The expressions use annual_salary: leaving it out cannot compute.
        ([{"name": "appointed", "kind": "bool"}], "annual_salary"),
    ],
)
def test_bad_facts_are_refused_and_change_nothing(cast, policies, facts, message):
    policy = policies["vice_president_subsidy"]
    draft = services.version_draft_create(actor=cast.officer_jiashan, policy=policy)
    with pytest.raises(ValidationError, match=message):
        services.version_update(actor=cast.officer_jiashan, version=draft, facts=facts)
    draft.refresh_from_db()
    assert draft.facts == ["appointed", "annual_salary"] and draft.fact_kinds == {}


def test_a_published_version_keeps_its_facts(cast, policies):
    current = selectors.current_version(policies["vice_president_subsidy"])
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.version_update(actor=cast.officer_jiashan, version=current, facts=FACTS)


def test_the_application_form_follows_the_version_in_force(client, cast, policies):
    policy = policies["vice_president_subsidy"]
    today = timezone.localdate()
    draft = _draft(policy, facts=FACTS, eligibility=ELIGIBILITY, effective_from=today)
    services.version_publish(actor=None, version=draft)
    client.force_login(cast.enterprise_user)
    url = reverse("rules:application_create", args=[policy.pk])
    page = client.get(url).content.decode()
    assert 'type="number" name="fact_months_served"' in page
    assert 'type="date" name="fact_appointed_on"' in page
    assert 'type="text" name="fact_field_of_work"' in page
    form = {
        "organisation": cast.orgs["fulai"].pk,
        "talent": cast.talents["tangang"].pk,
        "fact_appointed": "on",
        "fact_annual_salary": "300000",
        "fact_months_served": "4",
        "fact_appointed_on": "2025-03-01",
        "fact_field_of_work": "功能膜材料",
        "evidence": evidence(),
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    app = Application.objects.get()
    assert app.facts == {
        "appointed": True,
        "annual_salary": "300000.00",
        "months_served": "4",
        "appointed_on": "2025-03-01",
        "field_of_work": "功能膜材料",
    }
    # Four months: not eligible under the new version, and the applicant is told why.
    with pytest.raises(ValidationError, match="Not eligible"):
        services.application_submit(actor=cast.enterprise_user, application=app)
    edit = reverse("rules:application_edit", args=[app.pk])
    assert 'value="2025-03-01"' in client.get(edit).content.decode()
    del form["evidence"], form["organisation"]
    client.post(edit, {**form, "fact_months_served": "8"})
    app = services.application_submit(actor=cast.enterprise_user, application=app)
    assert app.version_id == draft.pk and app.amount == Decimal("120000.00")
    assert "months_served = 8.00" in app.explanation
    refused = client.post(url, {**form, "fact_appointed_on": "someday", "evidence": evidence()})
    assert refused.status_code == 200 and Application.objects.count() == 1


def test_facts_are_edited_on_the_draft_page(client, cast, policies):
    policy = policies["vice_president_subsidy"]
    draft = services.version_draft_create(actor=None, policy=policy)
    client.force_login(cast.officer_jiashan)
    edit = reverse("rules:version_edit", args=[draft.pk])
    page = client.get(edit).content.decode()
    assert "appointed: yes/no" in page and "annual_salary: money" in page
    form = {
        "effective_from": "2026-07-01",
        "eligibility": "appointed and months_served >= 6",
        "steps": "\n".join(json.dumps(s, ensure_ascii=False) for s in draft.steps),
        "param_rate": "0.40",
        "param_cap": "200000",
        "facts": "appointed: yes/no\nannual_salary: money\nmonths_served: number",
    }
    refused = client.post(edit, {**form, "facts": "appointed yes/no"})
    assert (
        refused.status_code == 200
        and "needs a name, a colon and a type" in refused.content.decode()
    )
    refused = client.post(edit, {**form, "facts": form["facts"] + "\ncolour: paint"})
    assert refused.status_code == 200 and "type must be one of" in refused.content.decode()
    draft.refresh_from_db()
    assert "months_served" not in draft.facts
    response = client.post(edit, form)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.facts == ["appointed", "annual_salary", "months_served"]
    detail = client.get(draft.get_absolute_url()).content.decode()
    assert 'data-fact="months_served" data-kind="number"' in detail


def test_facts_over_the_api(client, cast, policies):
    policy = policies["vice_president_subsidy"]
    _token, key = api_token_create(actor=cast.officer_jiashan, name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    draft = client.post(f"/api/rules/policies/{policy.pk}/versions", **auth).json()
    assert draft["fact_types"] == [
        {"name": "appointed", "kind": "bool"},
        {"name": "annual_salary", "kind": "money"},
    ]
    url = f"/api/rules/versions/{draft['id']}"
    bad = client.patch(
        url, {"facts": [{"name": "x", "kind": "colour"}]}, content_type="application/json", **auth
    )
    assert bad.status_code == 422
    ok = client.patch(
        url, {"facts": FACTS, "eligibility": ELIGIBILITY}, content_type="application/json", **auth
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["fact_types"] == FACTS
    record = PolicyVersionRecord.objects.get(pk=draft["id"])
    computed = client.post(
        f"/api/rules/policies/{policy.pk}/compute",
        {
            "version": record.pk,
            "facts": {
                "appointed": True,
                "annual_salary": "600000",
                "months_served": "12",
                "appointed_on": "2025-06-01",
                "field_of_work": "涂布",
            },
        },
        content_type="application/json",
        **auth,
    )
    assert computed.status_code == 200, computed.content
    assert computed.json()["amount"] == "200000.00" and computed.json()["eligible"] is True
