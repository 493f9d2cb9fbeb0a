"""Load the demo scenario: the article's world, generated records around it, the demo logins.

The load is ``STEPS``, a list of labelled functions that take the shared ``DemoContext`` and
return how many records they created. A later issue adds its records (needs, appointments,
evaluations …) by appending a ``Step``; it finds the article's organisations, people and pools
by key in the context (``ctx.orgs["fulai"]``, ``ctx.talents["tangang"]``, ``ctx.pools[...]``).

The article's records, pools and users are written through the services with ``actor=None,
system_label="demo"``; the thousands of generated records go through ``bulk.py``, which
validates each one just the same and writes the same audit event per record, in batches (see
why there). The whole load is one transaction: a failure half-way leaves the database as it
was.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from typing import TextIO

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.calls import demo as calls_demo
from talentflow.core.audit import audit_record
from talentflow.core.models import AuditEvent
from talentflow.credentials import demo as credentials_demo
from talentflow.demo import (
    evaluations,
    generated,
    logins,
    named,
    needs,
    points,
    programmes,
    subsidies,
)
from talentflow.demo.context import DEFAULT_SEED, SYSTEM_LABEL, DemoContext, Step
from talentflow.recognition import demo as recognition_demo

# The audit event that marks a database as holding the demo. The trail is append-only, so the
# marker lasts as long as the data; ``load_demo --reset`` flushes both.
LOADED_ACTION = "demo.load"

STEPS: list[Step] = [
    Step(gettext_lazy("Demo user accounts"), logins.users_create),
    Step(gettext_lazy("Organisations named in the article"), named.organisations_create),
    Step(gettext_lazy("Talent pools"), named.pools_create),
    Step(gettext_lazy("People named in the article"), named.talents_create),
    Step(
        gettext_lazy("Generated enterprises, service providers and an association"),
        generated.organisations_create,
    ),
    Step(gettext_lazy("Generated talents and their affiliations"), generated.talents_create),
    Step(gettext_lazy("Roles of the demo users"), logins.memberships_create),
    Step(gettext_lazy("Needs, enterprise visits, engagements and outcomes"), needs.needs_create),
    Step(gettext_lazy("Policies, subsidy applications and budgets"), subsidies.subsidies_create),
    Step(gettext_lazy("Points rules and the points ledger"), points.points_create),
    Step(gettext_lazy("Talent evaluations"), evaluations.evaluations_create),
    Step(gettext_lazy("Appointments and joint training"), programmes.programmes_create),
    Step(gettext_lazy("Mutual recognition"), recognition_demo.recognition_create),
    Step(gettext_lazy("Cross-region programme applications"), calls_demo.calls_create),
    Step(gettext_lazy("Service catalogue of the talent code"), credentials_demo.services_create),
]


@dataclass(frozen=True)
class DemoResult:
    loaded: bool
    seconds: float
    counts: dict[str, int]

    def summary(self) -> str:
        return (
            _(
                "%(organisations)d organisations, %(talents)d talents, %(affiliations)d "
                "affiliations, %(pools)d pools, %(users)d users, %(needs)d needs, %(visits)d "
                "enterprise visits, %(engagements)d engagements, %(outcomes)d outcomes"
            )
            % self.counts
        )


def _write(out: TextIO, text: str) -> None:
    # A command's OutputWrapper ends every write with a newline unless told otherwise; the
    # step's label and its result share one line.
    if isinstance(out, OutputWrapper):
        out.write(text, ending="")
    else:
        out.write(text)
    out.flush()


def demo_is_loaded() -> bool:
    return AuditEvent.objects.filter(action=LOADED_ACTION).exists()


def database_counts() -> dict[str, int]:
    from talentflow.accounts.models import User
    from talentflow.directory.models import Affiliation, Organisation, Pool, TalentProfile
    from talentflow.needs.models import Engagement, EnterpriseVisit, Need, Outcome

    return {
        "organisations": Organisation.objects.count(),
        "talents": TalentProfile.objects.count(),
        "affiliations": Affiliation.objects.count(),
        "pools": Pool.objects.count(),
        "users": User.objects.count(),
        "needs": Need.objects.count(),
        "visits": EnterpriseVisit.objects.count(),
        "engagements": Engagement.objects.count(),
        "outcomes": Outcome.objects.count(),
    }


@transaction.atomic
def demo_load(
    *,
    stdout: TextIO | None = None,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    steps: list[Step] | None = None,
) -> DemoResult:
    """Run every step once; do nothing when the demo is already in the database.

    ``scale`` shrinks or grows the generated records (tests use a small one); the records the
    article names are always loaded in full.
    """
    out = stdout if stdout is not None else io.StringIO()
    if demo_is_loaded():
        return DemoResult(loaded=False, seconds=0.0, counts=database_counts())
    ctx = DemoContext(out=out, scale=scale, seed=seed)
    started = time.perf_counter()
    plan = STEPS if steps is None else steps
    for number, step in enumerate(plan, start=1):
        step_started = time.perf_counter()
        _write(out, f"  [{number}/{len(plan)}] {step.label} … ")
        created = step.run(ctx)
        seconds = time.perf_counter() - step_started
        _write(out, _("%(n)d records, %(s).1f s") % {"n": created, "s": seconds} + "\n")
    counts = database_counts()
    audit_record(
        actor=None,
        system_label=SYSTEM_LABEL,
        action=LOADED_ACTION,
        object_type="demo",
        object_id=str(seed),
        object_repr=f"Demo scenario (scale {scale:g}, seed {seed})",
        after={**counts, "scale": scale, "seed": seed},
    )
    return DemoResult(loaded=True, seconds=time.perf_counter() - started, counts=counts)
