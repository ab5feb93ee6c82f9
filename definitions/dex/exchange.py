"""The exchange as a whole: the DEX Overview's error rate, circuit breakers and
maintenance mode (runbook §2.1, §3.2, §5, §7)."""

from obsgen import AT_OR_ABOVE, ABOVE, Alert, Assumed, Level, Service, minutes, percent, seconds

from . import runbook as rb
from . import signals as s
from .teams import TEAM
from .routing import P1, P2, P3

# §2.1: "Ensure the aggregate error rate is <0.01%": 0.01% itself is not under it, so the
# alert fires at or above 0.01%.
ERROR_RATE = Alert(
    name="DexErrorRateHigh",
    signal=s.ERROR_RATIO,
    direction=AT_OR_ABOVE,
    critical=Level(percent(0.01), P1),
    summary="The DEX aggregate error rate is {direction} {threshold}.",
    meaning=(
        "At least 1 in 10,000 requests to DEX services end in a 5xx error; the manual requires the aggregate error "
        "rate under 0.01%. Users see failed orders or queries. HTTP 429 (rate limiting) is not counted: it is "
        "expected under high load."
    ),
    actions=(
        "Open the DEX overview dashboard and find which app's 5xx rate rose first.",
        "Check whether a circuit breaker is open (CircuitBreakerOpen) and which dependency it protects.",
        "Read that app's errors: logcli query '{app=\"<app>\", namespace=\"dex-production\"} |~ \"ERROR\"' --since=1h",
        "If Kubernetes' auto-remediation does not clear it, restart the deployment: "
        "kubectl rollout restart deployment/<service-name> -n dex-production",
    ),
    provenance={
        "threshold": rb.DASHBOARDS.says("Ensure the aggregate error rate is <0.01%."),
        "direction": rb.DASHBOARDS.says("<0.01%"),
        "priority": rb.NO_PRIORITY_USERS,
        "for_": rb.NO_DURATION,
    },
)

# §5: "If a circuit breaker trip is detected in Prometheus": a single trip notifies. The
# breaker half-opens after 30 s on its own (§5), so the signal holds a trip for a minute
# and the alert fires at once (for 0s) and keeps firing 10 minutes, long enough to be
# notified and to "monitor closely during this test phase".
CIRCUIT_BREAKER = Alert(
    name="CircuitBreakerOpen",
    signal=s.CIRCUIT_BREAKER_OPEN,
    direction=ABOVE,
    warning=Level(0, P2),
    for_=seconds(0),
    keep_firing_for=minutes(10),
    summary="A circuit breaker tripped to open.",
    meaning=(
        "A service's circuit breaker towards one of its dependencies (e.g. the Account Service) tripped to open: "
        "calls to that dependency are short-circuited. It half-opens by itself after 30 seconds to test the "
        "dependency; the alert stays firing 10 minutes after the last open sample."
    ),
    actions=(
        "Identify the failing dependency from the alert's dependency label (e.g. Account Service).",
        "Check that dependency's logs for OOM errors, heavy database locking or network timeouts.",
        "The breaker transitions to half-open automatically after 30 seconds: monitor closely during this test phase.",
    ),
    provenance={
        "threshold": rb.BREAKERS.says('If a circuit breaker trip is detected in Prometheus (`circuit_breaker_state="open"`)'),
        "direction": rb.BREAKERS.says("a circuit breaker trip is detected"),
        "priority": Assumed("§5 gives a trip no priority; its steps are an investigation of one dependency, so P2 (Slack); user impact shows as DexErrorRateHigh (P1)."),
        "for_": rb.BREAKERS.says("If a circuit breaker trip is detected"),
        "keep_firing_for": Assumed("A trip lasts 30 seconds before the half-open test (§5): kept firing 10 minutes so it is notified and watched."),
    },
)

# §3.2, §7: FLAG_MAINTENANCE_MODE=true halts the exchange on purpose. The alert tells the
# channel that maintenance is on and, through the maintenance-mode inhibition
# (inhibitions.py), silences every other DEX alert but the P0s while it lasts.
MAINTENANCE = Alert(
    name="DexMaintenanceMode",
    signal=s.MAINTENANCE_MODE,
    direction=ABOVE,
    warning=Level(0, P3),
    for_=seconds(0),
    summary="The DEX is in maintenance mode; other DEX alerts except P0 are silenced.",
    meaning=(
        "FLAG_MAINTENANCE_MODE is true: the exchange is halted on purpose (emergency maintenance, runbook §7). "
        "While it is on, every other DEX alert is inhibited except P0s: a matching engine error still pages."
    ),
    actions=(
        "Confirm the maintenance is intended and who is running it.",
        "Make sure users were notified via the status page.",
        "When the work is done, disable it: ./infra/config/config-loader.sh --env production --set FLAG_MAINTENANCE_MODE=false",
    ),
    provenance={
        "threshold": rb.FLAGS.says("--set FLAG_MAINTENANCE_MODE=true"),
        "direction": rb.FLAGS.says("FLAG_MAINTENANCE_MODE=true"),
        "priority": Assumed("Maintenance is on purpose (§7): P3, information for the channel."),
        "for_": Assumed("Maintenance mode is a deliberate switch: it is told at once."),
    },
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
