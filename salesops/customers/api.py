from salesops.core.api import Router

router = Router(tags=["customers"])
