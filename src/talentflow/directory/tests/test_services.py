"""Directory writes: validation, permission, encryption of identity numbers, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from talentflow.core import crypto
from talentflow.core.models import AuditEvent
from talentflow.directory import services
from talentflow.directory.models import Organisation, TalentProfile
from talentflow.reference.models import Region, TitleSeries
from talentflow.tests.factories import id_number_for


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def test_officer_registers_a_talent_with_encrypted_identity_number(cast):
    number = id_number_for("330421", 7)
    talent = services.talent_create(
        actor=cast.officer_jiashan,
        name="张工",
        home_region=region("330421"),
        id_number=number,
        expertise="压铸，模具、 热处理；压铸",
        industries=["3391"],
    )
    talent.refresh_from_db()
    assert number not in talent.id_number_encrypted
    assert crypto.decrypt(talent.id_number_encrypted) == number
    assert talent.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert talent.expertise == "压铸；模具；热处理"
    assert list(talent.industries.values_list("code", flat=True)) == ["3391"]
    event = AuditEvent.objects.get(action="talent.create", object_id=str(talent.pk))
    assert event.actor == cast.officer_jiashan and event.after["industries"] == ["3391"]


def test_duplicate_identity_number_is_refused(cast):
    number = id_number_for("330421", 8)
    services.talent_create(actor=cast.admin, name="甲", home_region="330421", id_number=number)
    with pytest.raises(ValidationError) as info:
        services.talent_create(actor=cast.admin, name="乙", home_region="330421", id_number=number)
    assert "id_number" in info.value.message_dict


def test_bad_identity_number_changes_nothing(cast):
    before = TalentProfile.objects.count()
    with pytest.raises(ValidationError) as info:
        services.talent_create(
            actor=cast.admin, name="丙", home_region="330421", id_number="330421198001010010"
        )
    assert "id_number" in info.value.message_dict
    assert TalentProfile.objects.count() == before


def test_officer_cannot_register_in_another_region(cast):
    with pytest.raises(PermissionDenied):
        services.talent_create(actor=cast.officer_jiashan, name="丁", home_region="331121")
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=cast.officer_jiashan,
            name="青田某企业",
            kind="enterprise",
            region="331121",
            uscc="91331121000000001X",
        )


def test_enterprise_needs_a_valid_uscc(cast):
    with pytest.raises(ValidationError) as info:
        services.organisation_create(
            actor=cast.officer_jiashan, name="无码企业", kind="enterprise", region="330421"
        )
    assert "uscc" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.organisation_create(
            actor=cast.officer_jiashan,
            name="错码企业",
            kind="enterprise",
            region="330421",
            uscc="91330421MA2B00000X",
        )
    assert "uscc" in info.value.message_dict


def test_uscc_is_unique(cast):
    with pytest.raises(ValidationError) as info:
        services.organisation_create(
            actor=cast.officer_jiashan,
            name="同码企业",
            kind="enterprise",
            region="330421",
            uscc=cast.orgs["fulai"].uscc.lower(),
        )
    assert "uscc" in info.value.message_dict


def test_enterprise_edits_its_record_but_not_its_registration(cast):
    fulai = cast.orgs["fulai"]
    with pytest.raises(ValidationError) as info:
        services.organisation_update(
            actor=cast.enterprise_user,
            organisation=fulai,
            data={"description": "BOPP 功能膜", "region": "331121", "uscc": "914403001922038216"},
        )
    assert set(info.value.message_dict) == {"region", "uscc"}
    fulai.refresh_from_db()
    assert fulai.region_id == "330421" and fulai.uscc != "914403001922038216"
    services.organisation_update(
        actor=cast.enterprise_user,
        organisation=fulai,
        data={"description": "BOPP 功能膜", "region": "330421", "uscc": fulai.uscc},
    )
    fulai.refresh_from_db()
    assert fulai.description == "BOPP 功能膜"
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=cast.enterprise_qingtian, organisation=fulai, data={"description": "x"}
        )


def test_officer_cannot_move_an_organisation_out_of_the_region(cast):
    with pytest.raises(ValidationError):
        services.organisation_update(
            actor=cast.officer_jiashan, organisation=cast.orgs["fulai"], data={"region": "331121"}
        )
    assert Organisation.objects.get(pk=cast.orgs["fulai"].pk).region_id == "330421"


def test_talent_edits_only_own_self_fields(cast):
    tangang = cast.talents["tangang"]
    series = TitleSeries.objects.get(seq=1)
    with pytest.raises(ValidationError) as info:
        services.talent_update(
            actor=cast.talent_user,
            talent=tangang,
            data={"name": "改名", "home_region": "330421", "biography": "x"},
        )
    assert set(info.value.message_dict) == {"name", "home_region"}
    services.talent_update(
        actor=cast.talent_user,
        talent=tangang,
        data={
            "name": "谭刚",
            "biography": "浙江大学求是讲席教授",
            "title_series": series,
            "title_level": "senior_full",
        },
    )
    tangang.refresh_from_db()
    assert tangang.name == "谭刚" and tangang.home_region_id == "330106"
    assert tangang.biography == "浙江大学求是讲席教授"
    assert tangang.title_name == "教授"


def test_title_level_needs_a_series(cast):
    with pytest.raises(ValidationError):
        services.talent_update(
            actor=cast.talent_user, talent=cast.talents["tangang"], data={"title_level": "junior"}
        )


def test_no_change_writes_no_event(cast):
    tangang = cast.talents["tangang"]
    before = AuditEvent.objects.count()
    services.talent_update(actor=cast.talent_user, talent=tangang, data={"name": tangang.name})
    assert AuditEvent.objects.count() == before


def test_affiliation_records_flow_and_ends_once(cast):
    tangang = cast.talents["tangang"]
    affiliation = services.affiliation_create(
        actor=cast.officer_qingtian,
        talent=tangang,
        organisation=cast.orgs["xiafeng"],
        kind="serving",
        position="技术顾问",
        start_date=dt.date(2025, 7, 1),
    )
    services.affiliation_end(
        actor=cast.officer_qingtian, affiliation=affiliation, end_date=dt.date(2025, 12, 31)
    )
    with pytest.raises(ValidationError):
        services.affiliation_end(
            actor=cast.officer_qingtian, affiliation=affiliation, end_date=dt.date(2026, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.affiliation_create(
            actor=cast.admin,
            talent=tangang,
            organisation=cast.orgs["xiafeng"],
            kind="serving",
            start_date=dt.date(2025, 7, 1),
            end_date=dt.date(2025, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.affiliation_create(
            actor=cast.officer_qingpu,
            talent=tangang,
            organisation=cast.orgs["fulai"],
            kind="serving",
            start_date=dt.date(2025, 7, 1),
        )
