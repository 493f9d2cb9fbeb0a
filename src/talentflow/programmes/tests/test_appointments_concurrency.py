"""Concurrent accepts and proposals of one expert. Real threads, each with its own database
connection and transaction, so the row lock on the appointee (PostgreSQL ``SELECT … FOR
UPDATE``; SQLite's single writer) is what is tested. Run on PostgreSQL too:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run pytest -q -n 0 \\
        src/talentflow/programmes/tests/test_appointments_concurrency.py
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import translation

from talentflow.programmes import services_appointments as services
from talentflow.programmes.models import HOLDING_STATES, Appointment, AppointmentKind
from talentflow.programmes.tests.factories_appointments import SYSTEM, enterprise, expert
from talentflow.tests.cast import build_cast

THREADS = 6


def _race(works) -> tuple[int, list[BaseException]]:
    """Run each of ``works`` in its own thread, released together; (successes, errors)."""
    barrier = threading.Barrier(len(works))
    done: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(work) -> None:
        try:
            barrier.wait()
            # The active language is per thread: the refusals are asserted in English.
            with translation.override("en"):
                result = work()
            with lock:
                done.append(result)
        except (ValidationError, OperationalError) as error:
            # Refused (over the limit), or — SQLite only — the writer lock not obtained:
            # either way nothing was written by this click.
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in works]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(done), errors


def _proposed(talent, n: int) -> list[Appointment]:
    return [
        services.appointment_propose(
            **SYSTEM,
            appointee=talent,
            kind=AppointmentKind.VICE_PRESIDENT,
            host=enterprise(f"并发测试企业{i}有限公司"),
        )
        for i in range(n)
    ]


def _accept(user, appointment: Appointment):
    def work():
        return services.appointment_transition(
            actor=user, appointment=Appointment.objects.get(pk=appointment.pk), action="accept"
        )

    return work


def _holding(talent) -> int:
    return Appointment.objects.filter(appointee=talent, status__in=HOLDING_STATES).count()


@pytest.mark.parametrize("limit", [3, 2])
@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_never_exceed_the_limit(reference_data, limit):
    build_cast()
    talent = expert("抢手专家", user="busy_expert")
    appointments = _proposed(talent, THREADS)
    with override_settings(TALENTFLOW_MAX_CONCURRENT_APPOINTMENTS=limit):
        successes, errors = _race([_accept(talent.user, a) for a in appointments])
    assert _holding(talent) == successes <= limit
    assert successes + len(errors) == THREADS
    refusals = [e for e in errors if isinstance(e, ValidationError)]
    for error in refusals:
        assert f"at most {limit} at the same time" in " ".join(error.messages)
    if connection.vendor == "postgresql":
        # The row lock queues the accepts: exactly ``limit`` fit, every other one is refused.
        assert successes == limit and len(refusals) == THREADS - limit


@pytest.mark.django_db(transaction=True)
def test_concurrent_proposals_to_one_host_make_one_appointment(reference_data):
    build_cast()
    talent = expert("抢手专家", user="busy_expert")
    host = enterprise("唯一企业有限公司")

    def propose():
        return services.appointment_propose(
            **SYSTEM, appointee=talent, kind=AppointmentKind.VICE_PRESIDENT, host=host
        )

    successes, errors = _race([propose] * THREADS)
    assert Appointment.objects.filter(appointee=talent, host=host).count() == successes == 1
    assert len(errors) == THREADS - 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_proposals_and_accepts_of_one_expert(reference_data):
    """Half the threads accept earlier proposals while the other half propose more: the
    holdings never pass the limit (proposals hold no place, but no proposal is made for an
    expert already at the limit once the accepts have committed)."""
    build_cast()
    talent = expert("抢手专家", user="busy_expert")
    appointments = _proposed(talent, THREADS)
    hosts = [enterprise(f"新企业{i}有限公司") for i in range(THREADS)]

    def propose(host):
        return lambda: services.appointment_propose(
            **SYSTEM, appointee=talent, kind=AppointmentKind.VICE_PRESIDENT, host=host
        )

    works = [_accept(talent.user, a) for a in appointments] + [propose(h) for h in hosts]
    _race(works)
    assert _holding(talent) <= services.max_concurrent()
    # Whatever was proposed, accepting it now is refused at the limit.
    for appointment in Appointment.objects.filter(appointee=talent, status="proposed"):
        if _holding(talent) >= services.max_concurrent():
            with pytest.raises(ValidationError, match="at most 3 at the same time"):
                services.appointment_transition(
                    actor=talent.user, appointment=appointment, action="accept"
                )
