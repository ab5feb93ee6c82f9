"""data-ingestion: the exchange WebSocket feeds (binance, okx) into Redis."""

from obsgen import ABOVE, Alert, Assumed, BELOW, Level, Service, minutes, per_second

from . import health, signals
from . import runbook as rb
from .routing import P1, P2

# Monitoring > Key Metrics to Watch: "Message rate (per exchange) | < 10 msg/s | < 1 msg/s".
# Warning routes as P2, critical as P1 (Emergency Contact Escalation).
EXCHANGE_MESSAGE_RATE_LOW = Alert(
    name="ExchangeMessageRateLow",
    signal=signals.MESSAGE_RATE,
    direction=BELOW,
    warning=Level(per_second(10), P2),
    critical=Level(per_second(1), P1),
    # for_: one minute beyond the 1-minute rate confirms a real drop, not a reconnect, and a
    # feed that stops dead notifies P1 within 1m + 1m + 1m evaluation + 30s < 5 minutes.
    for_=minutes(1),
    summary="An exchange feed's message rate is low.",
    meaning=(
        "Fewer order book messages arrive from this exchange than the runbook expects (warning below 10 msg/s, "
        "critical below 1 msg/s): the WebSocket is disconnected, rate limited or unsubscribed, and surveillance "
        "of its instruments is degraded or blind."
    ),
    actions=(
        'Check the subscription: `docker-compose logs data-ingestion | grep -i "subscribed\\|connected"` '
        '(expected: "Successfully subscribed to <exchange> BTC-USDT-PERP").',
        'Check for disconnections: `docker-compose logs data-ingestion | grep -i "disconnect\\|reconnect\\|gap"`.',
        "Watch the message count: `watch -n 1 'redis-cli hget \"health:<exchange>\" message_count'`.",
        "Verify network connectivity: `docker-compose exec data-ingestion ping -c 3 fstream.binance.com`.",
        "Check the connection settings in config/exchanges.yaml (rate_limit_per_second: 10, "
        "reconnect_delay_seconds: 5, max_reconnect_attempts: 10).",
        "Restart ingestion: `docker-compose restart data-ingestion`.",
        "If one exchange stays broken, disable it (config/exchanges.yaml `<exchange>: enabled: false`) and "
        "restart data-ingestion (Emergency Procedures: Disable a Specific Exchange).",
    ),
    provenance={
        "warning.threshold": rb.KEY_METRICS.says("| Message rate (per exchange) | < 10 msg/s | < 1 msg/s |"),
        "critical.threshold": rb.KEY_METRICS.says("| Message rate (per exchange) | < 10 msg/s | < 1 msg/s |"),
        "direction": rb.KEY_METRICS.says("< 10 msg/s"),
        "warning.priority": rb.P2_ALERTS,
        "critical.priority": rb.P1_ALERTS,
        "for_": Assumed("The runbook gives no duration: one minute beyond the 1-minute rate, so a dead feed notifies within P1's 5 minutes."),
    },
)

# Monitoring > Key Metrics to Watch: "Gap frequency | > 5 gaps/hour | > 20 gaps/hour".
DATA_GAPS_FREQUENT = Alert(
    name="DataGapsFrequent",
    signal=signals.GAP_RATE,
    direction=ABOVE,
    warning=Level(signals.gaps_per_hour(5), P2),
    critical=Level(signals.gaps_per_hour(20), P1),
    # for_: the count over the last hour is the frequency itself; a gap that crosses a line
    # shows at once, and 1m only absorbs scrape jitter.
    for_=minutes(1),
    summary="Data gaps are detected frequently.",
    meaning=(
        "Frequent gap markers (Common Issues: Data Gaps Detected Frequently): z-score buffers reset and "
        "alerts get skipped. Causes: network issues, exchange rate limiting, WebSocket disconnections."
    ),
    actions=(
        'Check data-ingestion logs for disconnections: `docker-compose logs data-ingestion | grep -i "disconnect\\|reconnect\\|gap"`.',
        "Check the connection settings in config/exchanges.yaml (rate_limit_per_second: 10, "
        "reconnect_delay_seconds: 5, max_reconnect_attempts: 10).",
        "Verify network connectivity: `docker-compose exec data-ingestion ping -c 3 fstream.binance.com`.",
        "Review gap history: `SELECT exchange, instrument, gap_start, duration_seconds, reason FROM data_gaps "
        "WHERE gap_start > NOW() - INTERVAL '1 hour' ORDER BY gap_start DESC;`.",
    ),
    provenance={
        "warning.threshold": rb.KEY_METRICS.says("| Gap frequency | > 5 gaps/hour | > 20 gaps/hour |"),
        "critical.threshold": rb.KEY_METRICS.says("| Gap frequency | > 5 gaps/hour | > 20 gaps/hour |"),
        "direction": rb.KEY_METRICS.says("> 5 gaps/hour"),
        "warning.priority": rb.P2_ALERTS,
        "critical.priority": rb.P1_ALERTS,
        "for_": rb.ONE_MINUTE,
    },
)

DATA_INGESTION = Service(
    name="data-ingestion",
    title="Data Ingestion",
    team="market-ops",
    description=(
        "Subscribes to the Binance and OKX order book WebSockets (BTC-USDT-PERP, depth 20 @ 100ms), "
        "normalises snapshots into Redis (orderbook:<exchange>:<instrument>) and records data gaps."
    ),
    alerts=(EXCHANGE_MESSAGE_RATE_LOW, DATA_GAPS_FREQUENT, health.DATA_INGESTION_DOWN),
    signals=(signals.GAPS_24H, signals.GAP_DURATION_24H),
)
