"""The order service and the risk engine (runbook §4.2).

Margin failures are "normal user behavior" (§4.2): they alert nobody. The dashboards
show them on both sides and the mismatch between the two, which the runbook asks to
verify against the risk engine's logs.
"""

from obsgen import Service

from . import signals as s
from .teams import TEAM

ORDER_SERVICE = Service(
    name="order-service",
    title="Order service",
    team=TEAM,
    description="Accepts orders from the gateway, asks the risk engine for margin, and passes them to the matching engine.",
    signals=(s.ORDERS_SUBMITTED, s.ORDERS_MARGIN_REJECTED, s.MARGIN_MISMATCH),
)

RISK_ENGINE = Service(
    name="risk-engine",
    title="Risk engine",
    team=TEAM,
    description="Checks each order's margin; its failures must match the order service's margin rejections.",
    signals=(s.RISK_MARGIN_FAILED, s.MARGIN_MISMATCH),
)
