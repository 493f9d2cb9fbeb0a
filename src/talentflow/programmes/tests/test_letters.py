"""The letter of appointment (聘书): a PDF read back with pypdf."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from talentflow.programmes.letters import render_letter
from talentflow.programmes.tests.factories_appointments import appointment_in_state, enterprise


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_letter_names_the_appointee_host_kind_number_and_term(cast):
    appointment = appointment_in_state(cast, "active")
    pdf = render_letter(appointment)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "谭刚" in text
    assert "浙江福莱新材料股份有限公司" in text
    assert "科技副总" in text  # the kind's label
    assert "330421-KJFZ-2026-0001" in text
    assert "2026-01-01" in text and "2028-12-31" in text
    assert "指导薄膜涂布工艺" in text  # the duties
    assert "浙江大学" in text  # the employer
    reader = PdfReader(io.BytesIO(pdf))
    assert "330421-KJFZ-2026-0001" in reader.metadata.title


def test_an_ended_appointment_keeps_its_letter(cast):
    appointment = appointment_in_state(cast, "ended", host=enterprise("嘉善某企业有限公司"))
    text = text_of(render_letter(appointment))
    assert "嘉善某企业有限公司" in text and appointment.letter_number in text


@pytest.mark.parametrize("state", ["proposed", "accepted", "consented", "declined", "withdrawn"])
def test_no_letter_before_the_start(cast, state):
    appointment = appointment_in_state(cast, state)
    with pytest.raises(ValueError):
        render_letter(appointment)
