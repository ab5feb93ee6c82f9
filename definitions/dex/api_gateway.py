"""The API gateway: the clients' entry, rate limits and 5xx (runbook §2.1, §3.1, §4.2).

§2.1: "Verify HTTP 5xx responses from the API Gateway are at baseline levels." The
baseline is the same time last week: the 5xx panel shows it beside today's rate, and
GatewayErrorsAboveBaseline fires when the rate is more than twice it.
"""

from obsgen import ABOVE, Alert, Assumed, Level, Service, minutes, percent

from . import runbook as rb
from . import signals as s
from .routing import P2
from .teams import TEAM

ERRORS_ABOVE_BASELINE = Alert(
    name="GatewayErrorsAboveBaseline",
    signal=s.GATEWAY_5XX_TO_BASELINE,
    direction=ABOVE,
    warning=Level(percent(200), P2),
    for_=minutes(10),
    summary="API gateway HTTP 5xx are above their baseline.",
    meaning=(
        "The API gateway answers more than twice as many HTTP 5xx as at the same time last week (§2.1: 5xx must be "
        "at baseline levels). Clients see more failed requests than usual."
    ),
    actions=(
        "Compare today's 5xx with last week's on the API gateway dashboard.",
        "Read the gateway's errors: logcli query '{app=\"api-gateway\", namespace=\"dex-production\"} |~ \"ERROR\"' --since=1h",
        "Check whether a circuit breaker tripped (CircuitBreakerOpen) and the aggregate error rate (DexErrorRateHigh).",
    ),
    provenance={
        "threshold": Assumed("§2.1 says at baseline levels without a tolerance: more than twice the baseline is clearly above it."),
        "direction": rb.DASHBOARDS.says("Verify HTTP 5xx responses from the API Gateway are at baseline levels."),
        "priority": Assumed("The manual gives no priority; the aggregate error rate pages separately (P1), so this is P2."),
        "for_": Assumed("Ten minutes above the baseline: longer than a burst of retries."),
    },
)

SERVICE = Service(
    name="api-gateway",
    title="API gateway",
    team=TEAM,
    description=(
        "The exchange's entry point: terminates client connections and enforces token-bucket "
        "rate limits (env.production.env; changes need an infra PR and a rolling restart of the "
        "gateway pods). HTTP 429 is expected during high load (§4.2)."
    ),
    alerts=(ERRORS_ABOVE_BASELINE,),
    signals=(s.GATEWAY_5XX, s.GATEWAY_429, s.GATEWAY_CONNECTIONS),
)
