"""The exchange as a whole: the DEX Overview's error rate, circuit breakers and
maintenance mode (runbook §2.1, §3.2, §5, §7)."""

from obsgen import ABOVE, Alert, Level, Service, minutes, percent, seconds

from . import signals as s
from .teams import TEAM
from .routing import P1, P2, P3

# §2.1: "Ensure the aggregate error rate is <0.01%." The runbook gives one number and
# no priority; an exchange failing requests beyond it is P1 (high), paged. `for` is the
# model's default 5m: the runbook gives no duration.
ERROR_RATE = Alert(
    name="DexErrorRateHigh",
    signal=s.ERROR_RATIO,
    direction=ABOVE,
    critical=Level(percent(0.01), P1),
    summary="The DEX aggregate error rate is {direction} {threshold}.",
    meaning=(
        "More than 1 in 10,000 requests to DEX services end in a 5xx error. Users see failed "
        "orders or queries. HTTP 429 (rate limiting) is not counted: it is expected under high load."
    ),
    actions=(
        "Open the DEX Overview dashboard and find which app's 5xx rate rose first.",
        "Check whether a circuit breaker is open (CircuitBreakerOpen) and which dependency it protects.",
        "Read that app's errors: logcli query '{app=\"<app>\", namespace=\"dex-production\"} |~ \"ERROR\"' --since=1h",
        "If Kubernetes' auto-remediation does not clear it, restart the deployment: "
        "kubectl rollout restart deployment/<service-name> -n dex-production",
    ),
)

# §5: a trip is circuit_breaker_state="open"; the breaker half-opens after 30 s on its own.
# The signal holds a trip for 1 minute past its last open sample, so a single trip that
# half-opens after 30 s and then closes keeps it at 1 for 30 s + 60 s = 90 s. `for: 2m`
# (longer than 90 s) lets such a recovered trip pass and fires only when the breaker
# keeps re-opening after its half-open tests: the dependency has not recovered. The
# runbook gives no priority; its steps are an investigation, so P2 (user impact shows
# as DexErrorRateHigh, P1).
CIRCUIT_BREAKER = Alert(
    name="CircuitBreakerOpen",
    signal=s.CIRCUIT_BREAKER_OPEN,
    direction=ABOVE,
    warning=Level(0, P2),
    for_=minutes(2),
    summary="A circuit breaker keeps re-opening: its dependency has not recovered.",
    meaning=(
        "A service's circuit breaker towards one of its dependencies (e.g. the Account Service) "
        "tripped to open and has not stayed closed after its automatic half-open test (30 seconds "
        "after each trip). Calls to that dependency are being short-circuited."
    ),
    actions=(
        "Identify the failing dependency from the alert's dependency label.",
        "Check that dependency's logs for OOM errors, heavy database locking or network timeouts.",
        "Watch the breaker through its half-open test (30 seconds after each trip): it should close once the dependency answers.",
    ),
)

# §3.2, §7: FLAG_MAINTENANCE_MODE=true halts the exchange on purpose. The alert tells the
# channel that maintenance is on and, through the maintenance-mode inhibition
# (routing.py), silences every other DEX alert while it lasts. P3: it is information.
MAINTENANCE = Alert(
    name="DexMaintenanceMode",
    signal=s.MAINTENANCE_MODE,
    direction=ABOVE,
    warning=Level(0, P3),
    for_=seconds(0),
    summary="The DEX is in maintenance mode; all other DEX alerts are silenced.",
    meaning=(
        "FLAG_MAINTENANCE_MODE is true: the exchange is halted on purpose (emergency maintenance, "
        "runbook §7). While it is on, every other DEX alert is inhibited, so nothing else notifies."
    ),
    actions=(
        "Confirm the maintenance is intended and who is running it.",
        "Make sure users were notified via the status page.",
        "When the work is done, disable it: ./infra/config/config-loader.sh --env production --set FLAG_MAINTENANCE_MODE=false",
    ),
)

SERVICE = Service(
    name="exchange",
    title="DEX overview",
    team=TEAM,
    description=(
        "The exchange as a whole: aggregate error rate, circuit breakers between services and "
        "their dependencies, maintenance mode, and the restarts Kubernetes makes on its own."
    ),
    alerts=(ERROR_RATE, CIRCUIT_BREAKER, MAINTENANCE),
    signals=(s.CONTAINER_RESTARTS, s.ACTIVE_P0_P1_ALERTS, s.ACTIVE_P2_P3_ALERTS),
)
