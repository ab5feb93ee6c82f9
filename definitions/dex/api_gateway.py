"""The API gateway: the clients' entry, rate limits and 5xx (runbook §2.1, §3.1, §4.2).

The runbook gives the gateway no number of its own ("5xx at baseline", "connections
match diurnal patterns"), so it has dashboard signals and checks but no alert; its
errors count in the aggregate error rate (DexErrorRateHigh).
"""

from obsgen import Service

from . import signals as s
from .teams import TEAM

SERVICE = Service(
    name="api-gateway",
    title="API gateway",
    team=TEAM,
    description=(
        "The exchange's entry point: terminates client connections and enforces token-bucket "
        "rate limits (env.production.env; changes need an infra PR and a rolling restart of the "
        "gateway pods)."
    ),
    signals=(s.GATEWAY_5XX, s.GATEWAY_429, s.GATEWAY_CONNECTIONS),
)
