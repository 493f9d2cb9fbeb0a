"""``/api/programmes``: appointments (api_appointments.py) and joint training (api_training.py)."""

from ninja import Router

from talentflow.programmes.api_appointments import router as appointments_router
from talentflow.programmes.api_training import router as training_router

router = Router(tags=["programmes"])
router.add_router("", appointments_router)
router.add_router("/training", training_router)
