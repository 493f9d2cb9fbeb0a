"""What the demo steps share: output, the size and seed of generated data, records by key."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.utils.functional import Promise

from talentflow.demo.codes import UsccAllocator
from talentflow.reference.models import Alliance, Region

# Every demo write is made by the system task "demo" (audit actor label "system:demo").
SYSTEM_LABEL = "demo"
DEFAULT_SEED = 20251127


@dataclass
class DemoContext:
    """Passed to every step. Later steps find earlier records by key, e.g. ``ctx.orgs["fulai"]``.

    ``scale`` multiplies the number of generated records (1.0 = a county's worth, tests use
    less); the records the article names never depend on it.
    """

    out: TextIO
    scale: float = 1.0
    seed: int = DEFAULT_SEED
    orgs: dict[str, Any] = field(default_factory=dict)
    talents: dict[str, Any] = field(default_factory=dict)
    pools: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    usccs: UsccAllocator = field(default_factory=UsccAllocator, repr=False)
    # Anything else a step leaves for later ones (e.g. the generated enterprises by region).
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    _regions: dict[str, Region] = field(default_factory=dict, repr=False)
    _alliances: dict[str, Alliance] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def region(self, code: str) -> Region:
        if code not in self._regions:
            self._regions[code] = Region.objects.get(code=code)
        return self._regions[code]

    def alliance(self, code: str) -> Alliance:
        if code not in self._alliances:
            self._alliances[code] = Alliance.objects.get(code=code)
        return self._alliances[code]

    def scaled(self, n: int, *, minimum: int = 1) -> int:
        return max(minimum, round(n * self.scale))


@dataclass(frozen=True)
class Step:
    """One labelled part of the load; ``run`` returns how many records it created."""

    label: str | Promise  # a gettext_lazy string, printed as the step runs
    run: Callable[[DemoContext], int]
