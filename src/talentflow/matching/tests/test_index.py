"""The index service: records built from the ORM, and every process kept in step by the log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from talentflow.directory import services as directory_services
from talentflow.directory.models import TalentProfile
from talentflow.matching import index, services, signals
from talentflow.matching.engine.types import NeedQuery
from talentflow.matching.index import EngineIndex, expert_docs
from talentflow.matching.models import IndexChange
from talentflow.matching.selectors import need_text
from talentflow.matching.tests.helpers import found_by_words, make_talent
from talentflow.needs import services as need_services
from talentflow.needs.tests.builders import SYSTEM, need_in_state
from talentflow.tests.factories import AffiliationFactory, OrganisationFactory, PoolFactory


def changes_for(talent) -> int:
    return IndexChange.objects.filter(talent_id=talent.pk).count()


# Records from the ORM ---------------------------------------------------------------------


def test_record_holds_the_profile_ties_and_conflicts(cast):
    """谭刚: his words, both current organisations, and only his employer as a conflict — a
    part-time serving tie (科技副总 at 福莱) is how experts help their host enterprise."""
    tangang = cast.talents["tangang"]
    doc = expert_docs([tangang.pk])[tangang.pk]
    assert "薄膜涂布" in doc.text and "BOPP" in doc.text
    assert set(doc.organisations) == {cast.orgs["zju"].pk, cast.orgs["fulai"].pk}
    assert doc.conflicts == (cast.orgs["zju"].pk,)
    assert (doc.region, doc.capacity, doc.load, doc.past) == ("330106", 3, 0, ())

    services.interest_declare(
        actor=cast.admin, talent=tangang, organisation=cast.orgs["xiafeng"], kind="shareholder"
    )
    services.capacity_set(actor=cast.admin, talent=tangang, max_concurrent=5)
    doc = expert_docs([tangang.pk])[tangang.pk]
    assert set(doc.conflicts) == {cast.orgs["zju"].pk, cast.orgs["xiafeng"].pk}
    assert doc.capacity == 5


def test_ended_affiliation_and_inactive_talent(cast):
    """An ended employment is no longer a tie; an inactive talent has no record at all."""
    person = make_talent("离职专家", "注塑")
    AffiliationFactory(talent=person, end_date=dt.date(2021, 1, 1))
    doc = expert_docs([person.pk])[person.pk]
    assert (doc.organisations, doc.conflicts) == ((), ())
    directory_services.talent_update(actor=cast.admin, talent=person, data={"is_active": False})
    assert expert_docs([person.pk]) == {}
    assert person.pk not in expert_docs()


def test_building_records_costs_the_same_queries_for_2_or_12_talents(cast):
    """No query per talent: the cost is a fixed handful of bulk queries."""
    need_in_state(cast, "closed")  # past work and outcomes to read as well
    people = [make_talent(f"批量{i}", "热处理；模具钢") for i in range(12)]
    for person in people:
        AffiliationFactory(talent=person)
    ids = [p.pk for p in people] + [cast.talents["tangang"].pk]

    def queries(talent_ids) -> int:
        with CaptureQueriesContext(connection) as captured:
            docs = expert_docs(talent_ids)
        assert set(docs) == set(talent_ids)
        return len(captured)

    assert queries(ids[:2] + ids[-1:]) == queries(ids) <= 15


# Keeping the engine in step ---------------------------------------------------------------


def test_a_changed_profile_is_found_by_its_new_words_not_its_old(cast):
    person = make_talent("改行专家", "压铸模具；真空压铸")
    idx = EngineIndex()
    assert person.pk in found_by_words("真空压铸", engine=idx.get())

    directory_services.talent_update(
        actor=cast.admin, talent=person, data={"expertise": "锂电池隔膜；湿法涂覆"}
    )
    engine = idx.get()
    assert person.pk in found_by_words("锂电池隔膜", engine=engine)
    assert person.pk not in found_by_words("真空压铸", engine=engine)
    assert (idx.builds, idx.applied) == (1, 1)  # applied from the log, not rebuilt


def test_new_and_deactivated_talents_enter_and_leave(cast):
    idx = EngineIndex()
    idx.get()
    person = make_talent("新来专家", "碳化硅外延")
    assert person.pk in found_by_words("碳化硅外延", engine=idx.get())
    directory_services.talent_update(actor=cast.admin, talent=person, data={"is_active": False})
    assert person.pk not in found_by_words("碳化硅外延", engine=idx.get())
    assert idx.builds == 1


def test_engagements_change_load_and_past_work(cast):
    """Selected for a need: one more open engagement and the need's text as past work; once
    verified with a confirmed outcome, the past work says so and the load is free again."""
    tangang = cast.talents["tangang"]
    idx = EngineIndex()
    idx.get()
    need = need_in_state(cast, "engaged")
    reasons = reasons_for(idx, tangang.pk, need_text(need))
    assert reasons["load"].evidence == ("1/3",)
    assert any(need.title in text for text in reasons["past_work"].evidence)
    assert "verified_outcome" not in reasons

    need_services.verification_start(**SYSTEM, need=need)
    criteria = list(need.criteria.all())
    need_services.verification_record(
        **SYSTEM,
        need=need,
        checks=[
            {"criterion": criteria[0], "passed": True, "measured_value": "98.6", "unit": "%"},
            {"criterion": criteria[1], "passed": True},
        ],
    )
    outcome = need_services.outcome_record(
        **SYSTEM, need=need, kind="revenue", amount=Decimal("5000000"), qualifier="more_than"
    )
    need_services.outcome_confirm(**SYSTEM, outcome=outcome)
    reasons = reasons_for(idx, tangang.pk, need_text(need))
    assert "load" not in reasons
    assert any(need.title in text for text in reasons["verified_outcome"].evidence)
    assert idx.builds == 1


def test_an_expert_at_full_capacity_is_not_recommended(cast):
    person = make_talent("满负荷专家", "超精密加工")
    idx = EngineIndex()
    assert person.pk in found_by_words("超精密加工", engine=idx.get())
    services.capacity_set(actor=cast.admin, talent=person, max_concurrent=0)
    assert person.pk not in found_by_words("超精密加工", engine=idx.get())


def reasons_for(idx: EngineIndex, talent_id: int, text: str) -> dict:
    recs = idx.get().recommend(NeedQuery(text=text), top=50)
    mine = [r for r in recs if r.expert_id == talent_id]
    assert mine, f"talent {talent_id} not recommended for {text!r}"
    return {reason.code: reason for reason in mine[0].reasons}


def test_two_processes_converge_through_the_log(cast):
    """Two caches (two server processes) each see a change made once, without rebuilding."""
    first, second = EngineIndex(), EngineIndex()
    person = make_talent("两地专家", "光伏背板")
    assert person.pk in found_by_words("光伏背板", engine=first.get())
    assert person.pk in found_by_words("光伏背板", engine=second.get())

    directory_services.talent_update(
        actor=cast.admin, talent=person, data={"expertise": "氢燃料电池双极板"}
    )
    for idx in (first, second):
        engine = idx.get()
        assert person.pk in found_by_words("氢燃料电池双极板", engine=engine)
        assert person.pk not in found_by_words("光伏背板", engine=engine)
        assert idx.builds == 1
    assert first.seq == second.seq == IndexChange.objects.latest("seq").seq


def test_a_rolled_back_write_logs_nothing(cast):
    person = make_talent("回滚专家", "精密铸造")
    before = IndexChange.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        directory_services.talent_update(
            actor=cast.admin, talent=person, data={"expertise": "不会保存"}
        )
        assert IndexChange.objects.count() > before  # logged inside the transaction …
        raise RuntimeError
    assert IndexChange.objects.count() == before  # … and gone with it
    TalentProfile.objects.get(pk=person.pk, expertise="精密铸造")


def test_a_rewritten_log_makes_the_process_rebuild(cast):
    """The row a process applied last is gone (pruned, rolled back, another database)."""
    idx = EngineIndex()
    make_talent("日志专家", "数控机床")
    idx.get()
    IndexChange.objects.filter(seq=idx.seq).delete()
    make_talent("第二位", "伺服电机")
    assert idx.get() is not None and idx.builds == 2


@override_settings(TALENTFLOW_MATCHING_REBUILD_AFTER=2)
def test_a_log_far_ahead_or_asking_for_it_means_a_full_rebuild(cast):
    idx = EngineIndex()
    idx.get()
    for i in range(3):
        make_talent(f"批量导入{i}", "纺织印染")
    idx.get()
    assert idx.builds == 2
    make_talent("单个", "纺织")
    idx.get()
    assert idx.builds == 2  # one change: applied
    signals.log_all()
    idx.get()
    assert idx.builds == 3


def test_a_late_commit_below_the_last_seq_is_not_missed(cast):
    """PostgreSQL commits out of seq order: a seq missing below the newest seen is asked for
    again until it arrives (simulated by writing the rows with chosen seqs)."""
    late = make_talent("晚到专家", "纺纱织造")
    idx = EngineIndex()
    idx.get()
    start = idx.seq
    other = make_talent("先到专家", "电镀废水")
    IndexChange.objects.filter(seq__gt=start).delete()
    IndexChange.objects.create(seq=start + 2, talent_id=other.pk)  # committed first
    idx.get()
    assert idx.seq == start + 2
    TalentProfile.objects.filter(pk=late.pk).update(expertise="激光熔覆")
    IndexChange.objects.create(seq=start + 1, talent_id=late.pk)  # the slower transaction
    engine = idx.get()
    assert late.pk in found_by_words("激光熔覆", engine=engine)
    assert late.pk not in found_by_words("纺纱织造", engine=engine)
    assert idx.builds == 1


def test_signals_from_every_side(cast):
    """Pools from the pool's side, affiliations, declarations, capacities each log the talent."""
    person = make_talent("信号专家", "电机控制")
    pool = PoolFactory()
    counted = changes_for(person)
    pool.talents.add(person)
    assert changes_for(person) == counted + 1
    pool.talents.clear()
    assert changes_for(person) == counted + 2
    AffiliationFactory(talent=person, organisation=OrganisationFactory())
    services.interest_declare(
        actor=cast.admin, talent=person, organisation=cast.orgs["fulai"], kind="owner"
    )
    services.capacity_set(actor=cast.admin, talent=person, max_concurrent=1)
    assert changes_for(person) == counted + 5


def test_get_engine_is_one_per_process(db):
    assert index.get_engine() is index.get_engine()


def test_prune_keeps_the_newest_row(cast):
    make_talent("剪枝", "焊接")
    IndexChange.objects.update(at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    newest = IndexChange.objects.latest("seq").seq
    index.prune_log(hours=1)
    assert list(IndexChange.objects.values_list("seq", flat=True)) == [newest]
