"""USCC (GB 32100-2015) and identity number (GB 11643-1999) check characters."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from talentflow.core.validators import (
    ID_CHECK_TABLE,
    USCC_ALPHABET,
    id_number_complete,
    id_number_is_valid,
    id_number_mask,
    uscc_complete,
    uscc_is_valid,
    validate_id_number,
    validate_uscc,
)

# Published codes of real companies (business-registration records, widely reproduced).
REAL_USCC = {
    "华为技术有限公司": "914403001922038216",
    "腾讯科技（深圳）有限公司": "9144030071526726XG",
    "小米科技有限责任公司": "91110108551385082Q",
    "阿里巴巴（中国）有限公司": "91330100799655058B",
}
# The worked examples printed in GB 11643-1999 itself (appendix) — not real people.
STANDARD_ID_EXAMPLES = ["11010519491231002X", "440524188001010014"]


@pytest.mark.parametrize(("company", "code"), REAL_USCC.items())
def test_real_uscc_are_valid(company, code):
    """Every published code of a real company passes the GB 32100 check."""
    assert uscc_is_valid(code), company
    validate_uscc(code)


@pytest.mark.parametrize("code", STANDARD_ID_EXAMPLES)
def test_standard_id_examples_have_valid_check_characters(code):
    """The standard's own examples pass the check, including the one whose check is X."""
    assert id_number_is_valid(code)


def test_standard_example_validates_as_a_whole():
    validate_id_number("11010519491231002X")


def test_birth_before_1900_is_rejected_for_living_talent():
    """The standard's 1880 example is check-valid, but no talent on the platform was born then."""
    with pytest.raises(ValidationError) as info:
        validate_id_number("440524188001010014")
    assert info.value.code == "id_birth_date"


def test_uscc_lowercase_and_spaces_are_normalised():
    """People paste codes with spaces and lower case; the validator accepts them."""
    validate_uscc(" 91110108551385082q ")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("9111010855138508", "uscc_length"),
        ("91110108551385082I", "uscc_alphabet"),  # I is not in the alphabet
        ("91110108551385082R", "uscc_check"),
    ],
)
def test_uscc_errors_say_what_is_wrong(value, code):
    """Length, alphabet and check-character errors are told apart."""
    with pytest.raises(ValidationError) as info:
        validate_uscc(value)
    assert info.value.code == code


def test_uscc_message_is_chinese_in_chinese_ui():
    """Validation messages follow the active language (zh-hans is the default)."""
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        validate_uscc("91110108551385082R")
    assert "统一社会信用代码" in info.value.messages[0]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("11010519491231002", "id_shape"),
        ("110105194913310029", "id_birth_date"),  # month 13
        ("110105194912310021", "id_check"),
    ],
)
def test_id_number_errors_say_what_is_wrong(value, code):
    with pytest.raises(ValidationError) as info:
        validate_id_number(value)
    assert info.value.code == code


def test_id_number_mask_shows_only_ends():
    assert id_number_mask("11010519491231002X") == "1101**********002X"


uscc_bodies = st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17)
id_bodies = st.builds(
    lambda region, year, month, day, seq: f"{region}{year:04d}{month:02d}{day:02d}{seq:03d}",
    st.integers(110000, 659999).map(str),
    st.integers(1920, 2010),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 999),
)


@given(body=uscc_bodies)
def test_completed_uscc_is_valid(body):
    assert uscc_is_valid(uscc_complete(body))


@given(body=uscc_bodies, position=st.integers(0, 17), data=st.data())
def test_any_single_character_change_of_a_uscc_is_rejected(body, position, data):
    """Weights are non-zero modulo the prime 31, so every substitution changes the check."""
    code = uscc_complete(body)
    replacement = data.draw(
        st.sampled_from([c for c in USCC_ALPHABET + "IOZSV" if c != code[position]])
    )
    changed = code[:position] + replacement + code[position + 1 :]
    assert not uscc_is_valid(changed)
    with pytest.raises(ValidationError):
        validate_uscc(changed)


@given(body=id_bodies)
def test_completed_id_number_is_valid(body):
    assert id_number_is_valid(id_number_complete(body))


@given(body=id_bodies, position=st.integers(0, 17), data=st.data())
def test_any_single_character_change_of_an_id_number_is_rejected(body, position, data):
    """Weights are non-zero modulo the prime 11, so every substitution changes the check."""
    code = id_number_complete(body)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != code[position]]))
    changed = code[:position] + replacement + code[position + 1 :]
    assert not id_number_is_valid(changed)
    with pytest.raises(ValidationError):
        validate_id_number(changed)


def test_check_table_covers_every_remainder():
    assert len(ID_CHECK_TABLE) == 11 and len(set(ID_CHECK_TABLE)) == 11
