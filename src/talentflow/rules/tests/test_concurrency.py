"""Concurrent clicks: two finance officers (or one double click) approving or paying at the
same moment. Real threads, each with its own database connection and transaction, so the row
locks (PostgreSQL ``SELECT … FOR UPDATE``; SQLite's single writer) and the unique payout are
what is tested. Run on PostgreSQL too:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run pytest -q src/talentflow/rules
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from talentflow.rules import selectors, services
from talentflow.rules.models import Application, ApplicationStatus, Payout
from talentflow.rules.tests.builders import YEAR, seed, vp_application
from talentflow.tests.cast import build_cast

THREADS = 6


def _race(work, n: int = THREADS) -> tuple[int, list[BaseException]]:
    """Run ``work`` in ``n`` threads released together; return (successes, errors)."""
    barrier = threading.Barrier(n)
    done: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            result = work()
            with lock:
                done.append(result)
        except (ValidationError, OperationalError) as error:
            # Refused (already paid, over budget), or — SQLite only — the writer lock not
            # obtained: either way nothing was written by this click.
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(done), errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_payout_clicks_pay_once(reference_data):
    cast = build_cast()
    policy = seed()["vice_president_subsidy"]
    application = vp_application(cast, policy, salary="500000", state="approved")
    finance = cast.finance_jiashan

    def pay():
        return services.payout_record(
            actor=finance, application=Application.objects.get(pk=application.pk)
        )

    successes, errors = _race(pay)
    assert successes == 1
    assert len(errors) == THREADS - 1
    assert Payout.objects.filter(application=application).count() == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PAID
    figures = selectors.budget_figures(policy, YEAR)
    assert figures.paid == Decimal("200000.00") and figures.committed == Decimal("0.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_exceed_the_budget(reference_data):
    """Six applications of 200,000 each wait at finance; the budget holds two of them."""
    cast = build_cast()
    policy = seed({"vice_president_subsidy": "400000"})["vice_president_subsidy"]
    apps = [
        vp_application(cast, policy, salary="500000", state="finance_review")
        for _ in range(THREADS)
    ]
    finance = cast.finance_jiashan
    queue = list(apps)
    lock = threading.Lock()

    def approve():
        with lock:
            app = queue.pop()
        return services.application_review(
            actor=finance,
            application=Application.objects.get(pk=app.pk),
            action="finance_approve",
        )

    successes, errors = _race(approve)
    approved = Application.objects.filter(policy=policy, status=ApplicationStatus.APPROVED)
    assert approved.count() == successes <= 2
    figures = selectors.budget_figures(policy, YEAR)
    assert figures.committed == Decimal("200000.00") * successes
    assert figures.left >= 0
    if connection.vendor == "postgresql":
        # Row locks queue the clicks: exactly two fit, every other one is refused.
        assert successes == 2 and len(errors) == THREADS - 2
