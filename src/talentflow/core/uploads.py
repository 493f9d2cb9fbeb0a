"""The one check of an uploaded document (needs' documents, applications' evidence,
evaluations' criteria and evidence): an accepted type, within the size limit."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_upload(upload, field: str = "file") -> None:
    """Raise a ValidationError on ``field`` naming the accepted types or the size limit."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in settings.TALENTFLOW_DOCUMENT_TYPES:
        raise ValidationError(
            {
                field: _("Files of type %(suffix)s are not accepted; use one of %(allowed)s.")
                % {
                    "suffix": suffix or "?",
                    "allowed": " ".join(settings.TALENTFLOW_DOCUMENT_TYPES),
                }
            }
        )
    if upload.size > settings.TALENTFLOW_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                field: _("The file is larger than %(mb)d MB.")
                % {"mb": settings.TALENTFLOW_DOCUMENT_MAX_BYTES // (1024 * 1024)}
            }
        )
