"""The one check of an uploaded document (needs' documents, applications' evidence,
evaluations' criteria and evidence): an accepted type, within the size limit."""

from __future__ import annotations

import uuid
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


def stored_name(folder: str, filename: str) -> str:
    """Where an upload is stored: ``folder``, a random name, the original's suffix. The
    original name (kept in the row) may be anything; it never reaches the file system."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"
