"""The audit trail: one event per state change, append-only in the ORM and the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from talentflow.core.models import AuditEvent
from talentflow.directory import services
from talentflow.reference.models import Region


def test_service_write_records_actor_object_region_and_changes(cast):
    """An edit records who, what, which object, the region, and only the changed fields."""
    talent = cast.talents["tangang"]
    services.talent_update(
        actor=cast.admin, talent=talent, data={"expertise": "薄膜涂布；涂布缺陷", "phone": ""}
    )
    event = AuditEvent.objects.filter(action="talent.update").latest("id")
    assert event.actor == cast.admin
    assert event.actor_label == "admin"
    assert event.object_type == "directory.talentprofile"
    assert event.object_id == str(talent.pk)
    assert event.region_id == "330106"
    assert event.changed_fields == ["expertise"]
    assert event.after["expertise"] == "薄膜涂布；涂布缺陷"


def test_identity_number_never_enters_the_trail(cast):
    """Only the masked form is audited; the ciphertext and digest are redacted."""
    services.talent_update(
        actor=cast.admin,
        talent=cast.talents["tangang"],
        data={"expertise": "x", "id_number": "11010519491231002X"},
    )
    for event in AuditEvent.objects.all():
        for payload in (event.before or {}, event.after or {}):
            assert "id_number_encrypted" not in payload
            assert "id_number_digest" not in payload


def test_failed_write_records_nothing(cast):
    """A rejected change leaves neither the change nor an audit event behind."""
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.organisation_update(
            actor=cast.admin, organisation=cast.orgs["fulai"], data={"uscc": "123"}
        )
    assert AuditEvent.objects.count() == before


def test_orm_refuses_update_and_delete(cast):
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().update(action="tampered")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_database_refuses_update_from_raw_sql(cast):
    """Even SQL that bypasses the ORM cannot rewrite history."""
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'tampered' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action != "tampered"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps DELETE for the test flush"
)
def test_postgresql_refuses_delete_from_raw_sql(cast):
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_system_writes_are_labelled(db):
    services.organisation_create(
        actor=None,
        system_label="demo",
        name="某某服务中心",
        kind="service_provider",
        region=Region.objects.get(code="310118"),
    )
    event = AuditEvent.objects.latest("id")
    assert event.actor is None and event.actor_label == "system:demo"
