"""Running the load: progress output, reset, one transaction, extra steps, determinism.

These tests start from an empty database (no shared demo load), so they live apart from the
read-only tests of test_load_demo.py.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import translation

from talentflow.accounts.models import User
from talentflow.core.models import AuditEvent
from talentflow.demo.context import Step
from talentflow.demo.loader import LOADED_ACTION, STEPS, database_counts, demo_load
from talentflow.demo.tests.conftest import SMALL
from talentflow.directory.models import Organisation, TalentProfile
from talentflow.reference.models import Alliance


def test_command_reports_progress_and_summary_then_refuses_to_reload(db):
    """load_demo prints each step with counts and seconds and a summary; run again it says the
    demo is already loaded."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("load_demo", "--scale", str(SMALL), stdout=out)
    text = out.getvalue()
    assert text.count(" records, ") == len(STEPS)
    assert "People named in the article" in text
    assert f"{Organisation.objects.count()} organisations" in text
    assert f"{TalentProfile.objects.count()} talents" in text
    out = io.StringIO()
    with translation.override("en"):
        call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()


def test_reset_empties_the_database_and_loads_the_demo_again(db):
    """--reset removes everything (demo or not), reloads reference data and the demo."""
    demo_load(scale=SMALL)
    stray = Organisation.objects.create(
        name="不属于演示的单位", kind="government", region_id="330421"
    )
    call_command("load_demo", "--reset", "--scale", str(SMALL), stdout=io.StringIO())
    assert not Organisation.objects.filter(pk=stray.pk).exists()
    assert Organisation.objects.filter(name="浙江福莱新材料股份有限公司").count() == 1
    assert AuditEvent.objects.filter(action=LOADED_ACTION).count() == 1
    assert User.objects.filter(username="admin").count() == 1


def test_a_failing_step_leaves_nothing_behind(db):
    """The load is one transaction: a step that fails half-way rolls back every earlier step."""

    def explode(ctx) -> int:
        assert ctx.orgs["fulai"].pk and ctx.talents["tangang"].pk
        raise RuntimeError("step failed")

    before = database_counts()
    with pytest.raises(RuntimeError):
        demo_load(scale=SMALL, steps=[*STEPS[:4], Step("explode", explode)])
    assert database_counts() == before
    assert not AuditEvent.objects.filter(actor_label="system:demo").exists()


def test_a_later_step_finds_the_article_records_by_key(db):
    """An added step receives the context with the named organisations, people and pools."""
    seen = {}

    def later(ctx) -> int:
        seen["fulai"] = ctx.orgs["fulai"].name
        seen["tangang"] = ctx.talents["tangang"].name
        seen["pool"] = ctx.pools["lishui"].code
        return 0

    demo_load(scale=SMALL, steps=[*STEPS, Step("later", later)])
    assert seen == {
        "fulai": "浙江福莱新材料股份有限公司",
        "tangang": "谭刚",
        "pool": "lishui-1plus9",
    }


def test_generated_records_are_deterministic(db):
    """The same seed and scale produce the same enterprises and people."""

    def snapshot() -> tuple[list, list]:
        return (
            sorted(Organisation.objects.values_list("name", "uscc")),
            sorted(TalentProfile.objects.values_list("name", "birth_year", "expertise"), key=repr),
        )

    with transaction.atomic():
        demo_load(scale=SMALL)
        first = snapshot()
        transaction.set_rollback(True)
    demo_load(scale=SMALL)
    assert snapshot() == first


def test_command_refuses_to_run_without_reference_data(db):
    """Without the alliances of the reference data the command stops with a clear message and
    writes nothing."""
    Alliance.objects.all().delete()
    with pytest.raises(CommandError, match="load_reference"):
        call_command("load_demo", "--scale", str(SMALL), stdout=io.StringIO())
    assert not Organisation.objects.exists()


def test_command_refuses_when_a_demo_username_is_taken(db):
    """A database with a real user called "admin" but no demo is not a demo database: the
    command stops and names the clash instead of failing half-way."""
    User.objects.create_user(username="admin", password="Another-Pass-2026")
    with pytest.raises(CommandError, match="admin"):
        call_command("load_demo", "--scale", str(SMALL), stdout=io.StringIO())
    assert not Organisation.objects.exists()
