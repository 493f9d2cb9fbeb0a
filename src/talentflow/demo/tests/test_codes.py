"""Pure parts of the demo: credit codes (check-valid, in their region, stable, never
repeated) and generated names."""

from __future__ import annotations

from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentflow.core.validators import uscc_is_valid
from talentflow.demo import generated
from talentflow.demo.codes import (
    UsccAllocator,
    demo_uscc,
    organisation_code_check_char,
    organisation_code_for,
)


@pytest.mark.parametrize(
    ("uscc",),
    [
        # Published codes of two large companies (Alibaba (China), Tencent Shenzhen): their
        # characters 9–17 are GB 11714 organisation codes with a correct check character.
        ("91330100799655058B",),
        ("9144030071526726XG",),
    ],
)
def test_organisation_code_check_matches_published_codes(uscc):
    """The GB 11714 check character computed for a real code's body is the one it carries."""
    assert uscc_is_valid(uscc)
    assert organisation_code_check_char(uscc[8:16]) == uscc[16]


@given(st.text(min_size=1, max_size=30), st.sampled_from(["330421", "331121", "310118"]))
def test_demo_uscc_is_check_valid_and_registered_in_the_region(name, region):
    """Every demo code passes the GB 32100 check, names its region, and has a valid org code."""
    code = demo_uscc(region, name)
    assert uscc_is_valid(code)
    assert code[:2] == "91"
    assert code[2:8] == region
    assert organisation_code_check_char(code[8:16]) == code[16]


def test_demo_uscc_is_stable_for_a_name():
    """The same enterprise name always gets the same code; another name gets another code."""
    assert demo_uscc("330421", "浙江福莱新材料股份有限公司") == demo_uscc(
        "330421", "浙江福莱新材料股份有限公司"
    )
    assert demo_uscc("330421", "浙江福莱新材料股份有限公司") != demo_uscc(
        "330421", "浙江中扬立库技术有限公司"
    )
    assert organisation_code_for("x", attempt=0) != organisation_code_for("x", attempt=1)


def test_allocator_never_hands_out_a_code_twice():
    """Asking twice for the same name yields two different valid codes."""
    allocator = UsccAllocator()
    first = allocator.allocate("331003", "浙江凯华模具有限公司")
    second = allocator.allocate("331003", "浙江凯华模具有限公司")
    assert first != second
    assert uscc_is_valid(first) and uscc_is_valid(second)


def test_allocator_skips_codes_already_taken():
    """A code already in the database is not handed out again."""
    taken = demo_uscc("331121", "青山钢铁")
    allocator = UsccAllocator({taken})
    assert allocator.allocate("331121", "青山钢铁") != taken


def test_generated_names_never_repeat_a_named_person(monkeypatch):
    """A generated person is never called like someone the article names (searching 刘兵
    finds the article's 刘兵 only): a name on the reserved list is drawn again."""
    assert {"刘兵", "张光", "谭刚", "蔡文军"} <= generated.RESERVED_NAMES
    first = generated.person_name(Random(1), "male")
    monkeypatch.setattr(generated, "RESERVED_NAMES", frozenset({first}))
    assert generated.person_name(Random(1), "male") != first
