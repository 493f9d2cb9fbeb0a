"""The allocation through the database: a run stores exactly what ``allocation.allocate``
computes on the cohort's instance, with no blocking pair; pins survive re-runs and the rest is
re-allocated stably; confirming turns the placements into six-party agreements."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from talentflow.core.models import AuditEvent, Notification
from talentflow.programmes import allocation
from talentflow.programmes import services_training as services
from talentflow.programmes.models import (
    Agreement,
    AgreementStatus,
    AllocationRun,
    CohortMentor,
    CohortStudent,
    CohortTopic,
    Trainee,
)
from talentflow.programmes.tests import factories_training as f
from talentflow.tests.factories import TalentFactory

pytestmark = pytest.mark.django_db

SYSTEM = f.SYSTEM


def instance_of(cohort):
    """The cohort's allocation problem read straight from its rows (the test's own reading, not
    the service's): pinned students left out, their places taken off the capacities."""
    topics = list(CohortTopic.objects.filter(cohort=cohort))
    mentors = list(CohortMentor.objects.filter(cohort=cohort))
    records = list(CohortStudent.objects.filter(cohort=cohort))
    pinned = [r for r in records if r.pinned]
    free = [r for r in records if not r.pinned]
    free_ids = {r.pk for r in free}
    students = [allocation.Student(r.pk, tuple(r.preferences)) for r in free]
    alloc_topics = [
        allocation.Topic(
            t.pk, t.mentor_id, t.capacity - sum(r.placed_topic_id == t.pk for r in pinned)
        )
        for t in topics
    ]
    mentor_of = {t.pk: t.mentor_id for t in topics}
    alloc_mentors = [
        allocation.Mentor(
            m.pk,
            m.capacity - sum(mentor_of[r.placed_topic_id] == m.pk for r in pinned),
            tuple(s for s in m.ranking if s in free_ids),
        )
        for m in mentors
    ]
    return students, alloc_topics, alloc_mentors


def placements(cohort) -> dict[int, int | None]:
    return dict(CohortStudent.objects.filter(cohort=cohort).values_list("pk", "placed_topic_id"))


def random_cohort(cast, seed: int, *, n_students=14, n_topics=6, n_mentors=3):
    """A random cohort; every mentor ranks a random subset of the students, so some listed
    pairs are unranked and dropped."""
    rng = random.Random(seed)
    cohort = f.cohort(cast, name=f"随机批次 {seed}")
    mentors = [
        services.cohort_mentor_set(
            **SYSTEM, cohort=cohort, mentor=TalentFactory(), capacity=rng.randint(1, 5)
        )
        for _ in range(n_mentors)
    ]
    enterprises = [cast.orgs["fulai"], cast.orgs["zhongyang"]]
    topics = [
        services.cohort_topic_add(
            **SYSTEM,
            cohort=cohort,
            need=f.submitted_need(enterprises[i % 2], f"课题需求 {i}"),
            title=f"课题 {i}",
            mentor=mentors[i % n_mentors],
            capacity=rng.randint(1, 3),
        )
        for i in range(n_topics)
    ]
    students = [
        services.cohort_student_set(
            **SYSTEM,
            cohort=cohort,
            student=TalentFactory(),
            preferences=rng.sample([t.pk for t in topics], rng.randint(0, 4)),
        )
        for _ in range(n_students)
    ]
    ids = [s.pk for s in students]
    for m in mentors:
        ranked = rng.sample(ids, rng.randint(n_students // 2, n_students))
        services.cohort_mentor_set(
            **SYSTEM, cohort=cohort, mentor=m.mentor, capacity=m.capacity, ranking=ranked
        )
    return cohort


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_run_equals_the_pure_allocation_and_is_stable(cast, seed):
    cohort = random_cohort(cast, seed)
    students, topics, mentors = instance_of(cohort)
    expected = allocation.allocate(students, topics, mentors, unranked="drop")
    run = services.allocation_run(actor=cast.officer_jiashan, cohort=cohort)
    assert placements(cohort) == expected.assignment
    assert run.blocking_pairs == 0
    assert (
        allocation.blocking_pairs(students, topics, mentors, placements(cohort), unranked="drop")
        == []
    )
    assert run.students == len(students)
    assert run.placed == expected.assigned
    assert run.pinned == 0
    assert run.result["placements"] == {str(k): v for k, v in expected.assignment.items()}
    # The dropped pairs: a student lists a topic whose mentor does not rank them.
    ranks = {m.id: set(m.ranking) for m in mentors}
    mentor_of = {t.id: t.mentor for t in topics}
    dropped = sum(s.id not in ranks[mentor_of[t]] for s in students for t in s.preferences)
    assert run.result["dropped_pairs"] == dropped
    event = AuditEvent.objects.get(action="cohort.run", object_id=str(cohort.pk))
    assert event.after["placed"] == expected.assigned
    assert event.after["dropped_pairs"] == dropped
    assert event.actor == cast.officer_jiashan


def test_an_unranked_pair_is_dropped_and_reported(cast):
    """研究生甲 lists topic 0, but its mentor 谭刚 ranks only the others: the pair is dropped,
    she gets her second choice, and the run says one pair was dropped."""
    setup = f.small_cohort(cast)
    s = [x.pk for x in setup.students]
    services.cohort_mentor_set(
        **SYSTEM,
        cohort=setup.cohort,
        mentor=setup.mentors[0].mentor,
        capacity=2,
        ranking=[s[3], s[2], s[1]],
    )
    run = services.allocation_run(**SYSTEM, cohort=setup.cohort)
    assert run.result["dropped_pairs"] == 1
    assert placements(setup.cohort)[s[0]] == setup.topics[2].pk
    assert run.blocking_pairs == 0


def test_small_cohort_places_as_expected(cast):
    """Hand-checked: topic 0 (cap 2, 谭刚 ranks 丁 丙 乙 甲) takes 丙 and 乙; 甲 falls to topic 2,
    丁 keeps topic 2 (mentor 乙 ranks 甲 before 丁, capacity 2 over topics 1 and 2)."""
    setup = f.small_cohort(cast)
    services.allocation_run(**SYSTEM, cohort=setup.cohort)
    t0, _t1, t2 = (t.pk for t in setup.topics)
    s = [x.pk for x in setup.students]
    assert placements(setup.cohort) == {s[0]: t2, s[1]: t0, s[2]: t0, s[3]: t2}
    notified = Notification.objects.filter(
        recipient=cast.institution_user, kind="training.allocation_run"
    )
    assert notified.count() == 1


def test_pin_survives_reruns_and_the_rest_is_reallocated_stably(cast):
    """The office pins 研究生丁 to topic 0, which she never listed (an adjustment). Re-runs keep
    the pin; the others get exactly the stable allocation of what is left, every time."""
    setup = f.small_cohort(cast)
    services.allocation_run(**SYSTEM, cohort=setup.cohort)
    t0, _t1, t2 = (t.pk for t in setup.topics)
    s = [x.pk for x in setup.students]
    services.placement_set(
        actor=cast.officer_jiashan, cohort_student=setup.students[3], topic=setup.topics[0]
    )
    students, topics, mentors = instance_of(setup.cohort)
    expected = allocation.allocate(students, topics, mentors, unranked="drop")
    first = services.allocation_run(**SYSTEM, cohort=setup.cohort)
    after_first = placements(setup.cohort)
    assert after_first[s[3]] == t0
    assert {k: v for k, v in after_first.items() if k != s[3]} == expected.assignment
    assert first.pinned == 1 and first.blocking_pairs == 0
    assert first.placed == expected.assigned + 1
    # 谭刚 (capacity 2) now has one place left on topic 0, which goes to his best of the rest.
    assert list(after_first.values()).count(t0) == 2
    second = services.allocation_run(**SYSTEM, cohort=setup.cohort)
    assert placements(setup.cohort) == after_first
    assert second.result == first.result
    assert AllocationRun.objects.filter(cohort=setup.cohort).count() == 3
    # Released, the student is allocated again by her own preferences.
    services.placement_set(
        actor=cast.officer_jiashan, cohort_student=setup.students[3], pinned=False
    )
    services.allocation_run(**SYSTEM, cohort=setup.cohort)
    assert placements(setup.cohort) == {s[0]: t2, s[1]: t0, s[2]: t0, s[3]: t2}
    actions = list(
        AuditEvent.objects.filter(object_id=str(setup.cohort.pk), action__startswith="cohort.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-6:] == [
        "cohort.run",
        "cohort.pin",
        "cohort.run",
        "cohort.run",
        "cohort.unpin",
        "cohort.run",
    ]


def test_pin_refused_when_the_topic_is_full_of_pinned_students(cast):
    setup = f.small_cohort(cast)
    topic = setup.topics[1]  # capacity 1
    services.placement_set(
        actor=cast.officer_jiashan, cohort_student=setup.students[0], topic=topic
    )
    assert Notification.objects.filter(recipient=cast.student_user, kind="training.pinned").exists()
    with pytest.raises(ValidationError, match="is full"):
        services.placement_set(
            actor=cast.officer_jiashan, cohort_student=setup.students[1], topic=topic
        )
    # The mentor 乙 (capacity 2) is full once topic 2 also has a pinned student.
    services.placement_set(
        actor=cast.officer_jiashan, cohort_student=setup.students[3], topic=setup.topics[2]
    )
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=r"mentor .* is full"):
        services.placement_set(
            actor=cast.officer_jiashan, cohort_student=setup.students[2], topic=setup.topics[2]
        )
    with pytest.raises(ValidationError, match="not in the student's cohort"):
        other = f.cohort(cast, name="另一批")
        services.cohort_mentor_set(
            **SYSTEM, cohort=other, mentor=cast.talents["tangang"], capacity=1
        )
        foreign = services.cohort_topic_add(
            **SYSTEM,
            cohort=other,
            need=f.submitted_need(cast.orgs["fulai"]),
            title="外批",
            mentor=cast.talents["tangang"],
            capacity=1,
        )
        events = AuditEvent.objects.count()
        services.placement_set(
            actor=cast.officer_jiashan, cohort_student=setup.students[2], topic=foreign
        )
    assert AuditEvent.objects.count() == events
    record = CohortStudent.objects.get(pk=setup.students[2].pk)
    assert (record.pinned, record.placed_topic_id) == (False, None)
    with pytest.raises(PermissionDenied):
        services.placement_set(
            actor=cast.institution_user, cohort_student=setup.students[2], topic=setup.topics[0]
        )


def test_confirm_creates_six_party_agreements(cast):
    setup = f.small_cohort(cast)
    with pytest.raises(ValidationError, match="Nobody is placed"):
        services.allocation_confirm(
            actor=cast.officer_jiashan, cohort=setup.cohort, start_date=f.START, end_date=f.END
        )
    assert Agreement.objects.count() == 0
    services.allocation_run(**SYSTEM, cohort=setup.cohort)
    agreements = services.allocation_confirm(
        actor=cast.officer_jiashan, cohort=setup.cohort, start_date=f.START, end_date=f.END
    )
    t0, _t1, t2 = setup.topics
    assert {a.cohort_topic_id for a in agreements} == {t0.pk, t2.pk}
    by_topic = {a.cohort_topic_id: a for a in agreements}
    for topic in (t0, t2):
        a = by_topic[topic.pk]
        assert a.status == AgreementStatus.DRAFT
        assert a.region_id == "330421"
        assert a.institution == cast.orgs["hdu_jiashan"]
        assert a.enterprise == topic.need.enterprise
        assert a.need == topic.need
        assert a.academic_mentor_id == topic.mentor.mentor_id
        assert a.enterprise_mentor_id == topic.enterprise_mentor_id
        assert a.topic == topic.title
        assert (a.start_date, a.end_date) == (f.START, f.END)
        assert set(Trainee.objects.filter(agreement=a).values_list("student_id", flat=True)) == {
            r.student_id for r in CohortStudent.objects.filter(placed_topic=topic)
        }
    assert by_topic[t2.pk].enterprise == cast.orgs["zhongyang"]
    assert Trainee.objects.count() == 4
    assert Notification.objects.filter(
        recipient=cast.student_user, kind="training.agreement_created"
    ).exists()
    assert Notification.objects.filter(
        recipient=cast.talent_user, kind="training.agreement_created"
    ).exists()
    assert AuditEvent.objects.filter(action="agreement.create").count() == 2
    assert AuditEvent.objects.filter(action="cohort.confirm").count() == 1
    # Each has its enterprise mentor from the topic, so it can be signed at once.
    signed = services.agreement_transition(
        actor=cast.officer_jiashan, agreement=by_topic[t0.pk], action="sign"
    )
    assert signed.status == AgreementStatus.SIGNED


def test_the_run_is_refused_for_another_office_and_changes_nothing(cast):
    setup = f.small_cohort(cast)
    for actor in (cast.officer_qingpu, cast.institution_user, cast.enterprise_user):
        with pytest.raises(PermissionDenied):
            services.allocation_run(actor=actor, cohort=setup.cohort)
    assert AllocationRun.objects.count() == 0
    assert set(placements(setup.cohort).values()) == {None}


def test_pinned_students_use_up_their_topics_capacity(cast):
    """谭刚 may take 3 students but topic 0 only 2: with 研究生甲 pinned there, one place is left
    for the others (丙, whom 谭刚 ranks above 乙); nothing ends up over capacity."""
    setup = f.small_cohort(cast)
    mentor = setup.mentors[0]
    services.cohort_mentor_set(
        **SYSTEM, cohort=setup.cohort, mentor=mentor.mentor, capacity=3, ranking=mentor.ranking
    )
    services.placement_set(
        actor=cast.officer_jiashan, cohort_student=setup.students[0], topic=setup.topics[0]
    )
    run = services.allocation_run(**SYSTEM, cohort=setup.cohort)
    t0, t1, t2 = (t.pk for t in setup.topics)
    s = [x.pk for x in setup.students]
    assert placements(setup.cohort) == {s[0]: t0, s[1]: t1, s[2]: t0, s[3]: t2}
    assert (run.placed, run.pinned, run.blocking_pairs) == (4, 1, 0)
    for topic in CohortTopic.objects.filter(cohort=setup.cohort):
        assert CohortStudent.objects.filter(placed_topic=topic).count() <= topic.capacity
    for m in CohortMentor.objects.filter(cohort=setup.cohort):
        assert CohortStudent.objects.filter(placed_topic__mentor=m).count() <= m.capacity
