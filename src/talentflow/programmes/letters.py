"""The letter of appointment (聘书) as a PDF.

Drawn with reportlab and its built-in CID font ``STSong-Light`` (Adobe's Chinese font that
every PDF reader has): no font file is shipped and Chinese names print as text, so the letter
can be searched and read back.
"""

from __future__ import annotations

import io
import textwrap

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from talentflow.programmes.models import STARTED_STATES, Appointment, AppointmentKind

FONT = "STSong-Light"
# Characters per line of the duties (CJK glyphs are one em wide).
WRAP = 34


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def render_letter(appointment: Appointment) -> bytes:
    """The 聘书 of a started appointment (in office, ended or terminated): letter number, host,
    appointee, kind, term, duties, working days per month and the date it was issued. Raises
    ValueError for an appointment that has not started."""
    if appointment.status not in STARTED_STATES or not appointment.letter_number:
        raise ValueError("only a started appointment has a letter of appointment")
    font = _font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    pdf.setTitle(f"{_('Letter of appointment')} {appointment.letter_number}")
    pdf.setAuthor(appointment.host.name)
    pdf.setSubject(str(appointment))
    width, height = A4
    left = 72
    y = height - 96

    pdf.setFont(font, 26)
    pdf.drawCentredString(width / 2, y, _("Letter of appointment (聘书)"))
    y -= 30
    pdf.setFont(font, 10)
    pdf.drawCentredString(width / 2, y, _("No. %(number)s") % {"number": appointment.letter_number})
    y -= 48

    kind = str(AppointmentKind(appointment.kind).label)
    lines = [
        _("Appointee: %(name)s") % {"name": appointment.appointee.name},
        _("Host: %(host)s") % {"host": appointment.host.name},
        _("Appointed as: %(kind)s") % {"kind": kind},
        _("Term: %(start)s to %(end)s")
        % {"start": appointment.term_start.isoformat(), "end": appointment.term_end.isoformat()},
    ]
    if appointment.employer_id:
        lines.append(_("Employer: %(employer)s") % {"employer": appointment.employer.name})
    if appointment.days_per_month:
        lines.append(_("Working days per month: %(days)s") % {"days": appointment.days_per_month})
    pdf.setFont(font, 13)
    for line in lines:
        pdf.drawString(left, y, line)
        y -= 24

    y -= 8
    pdf.drawString(left, y, _("Duties:"))
    y -= 22
    pdf.setFont(font, 12)
    for paragraph in (appointment.duties or "").splitlines() or [""]:
        for line in textwrap.wrap(paragraph, WRAP) or [""]:
            if y < 160:
                pdf.showPage()
                pdf.setFont(font, 12)
                y = height - 96
            pdf.drawString(left + 16, y, line)
            y -= 18

    # Issued on the first day of the term, whenever it is printed.
    issued_on = appointment.term_start
    pdf.setFont(font, 13)
    pdf.drawRightString(width - left, 150, appointment.host.name)
    pdf.drawRightString(
        width - left, 126, _("Issued on %(date)s") % {"date": issued_on.isoformat()}
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
