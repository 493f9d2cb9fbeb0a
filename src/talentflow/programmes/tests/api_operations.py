"""The /api/programmes operations documented at /api/docs (method, path): appointments' and
joint training's, each listed next to its own tests."""

from talentflow.programmes.tests.api_operations_appointments import (
    OPERATIONS as APPOINTMENT_OPERATIONS,
)
from talentflow.programmes.tests.api_operations_training import OPERATIONS as TRAINING_OPERATIONS

OPERATIONS: set[tuple[str, str]] = APPOINTMENT_OPERATIONS | TRAINING_OPERATIONS
