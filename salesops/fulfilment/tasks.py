"""The nightly stock check: on-hand must equal the sum of the ledger; any drift is logged and told
to the administrators (it means something wrote stock around the services)."""

import logging

from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from salesops.org.models import active_holders
from salesops.org.roles import Role
from salesops.workflow.services import notify

from .selectors import stock_drift

logger = logging.getLogger("salesops.fulfilment")


def check_stock() -> int:
    drift = stock_drift()
    for d in drift:
        logger.error(
            "stock drift: product %s warehouse %s on hand %s, ledger %s",
            d.product_id,
            d.warehouse_id,
            d.on_hand,
            d.ledger,
        )
    if drift:
        notify(
            active_holders(Role.ADMIN),
            _("Stock check: %(count)s stock rows differ from their ledger.") % {"count": len(drift)},
        )
    return len(drift)


@db_periodic_task(crontab(hour="2", minute="40"))
def check_stock_task() -> int:
    return check_stock()
