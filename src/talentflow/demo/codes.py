"""Unified social credit codes for demo enterprises.

We do not know the real codes of the enterprises the article names, and generated enterprises
have none, so the demo makes codes that pass every check a real one passes: the registration
authority (9 = 工商), the kind (1 = enterprise), the six-digit region of registration, a
nine-character organisation code whose own check character is right (GB 11714-1997), and the
USCC check character (GB 32100-2015). They are derived from the enterprise's name, so the same
name always gets the same code, whatever order the demo creates records in.
"""

from __future__ import annotations

import hashlib

from talentflow.core.validators import uscc_complete

# GB 11714-1997 组织机构代码: eight body characters weighted 3 7 9 10 5 8 4 2; the check is
# 11 - (Σ mod 11), where 10 is written X and 11 is written 0.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code_check_char(body8: str) -> str:
    total = sum(int(ch, 36) * w for ch, w in zip(body8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def organisation_code_for(text: str, *, attempt: int = 0) -> str:
    """A nine-character organisation code (digits only in the body) derived from ``text``."""
    digest = hashlib.sha256(f"{text}#{attempt}".encode()).hexdigest()
    body = f"{int(digest[:15], 16) % 10**8:08d}"
    return body + organisation_code_check_char(body)


def demo_uscc(region_code: str, name: str, *, attempt: int = 0) -> str:
    """A check-valid USCC of an enterprise registered in ``region_code``, made from its name."""
    return uscc_complete(f"91{region_code}{organisation_code_for(name, attempt=attempt)}")


class UsccAllocator:
    """Hands out demo codes and never the same one twice (two names could share a hash)."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())

    def allocate(self, region_code: str, name: str) -> str:
        attempt = 0
        while True:
            code = demo_uscc(region_code, name, attempt=attempt)
            if code not in self.taken:
                self.taken.add(code)
                return code
            attempt += 1
