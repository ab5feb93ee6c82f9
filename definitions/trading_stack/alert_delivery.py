"""Alert delivery: Track 7 delivery latency and poison queue SLAs, per-channel health."""

from obsgen import ABOVE, Alert, Assumed, BELOW, Level, Runbook, Service, minutes, seconds

from . import procedures as p
from . import signals as s
from .routing import P1_PAGE, P2_SLACK

# seeds/001 "Track 7 SLA Targets": alert delivery P95 target < 60s, alert > 60s (Slack);
# "Alert Troubleshooting" 2 names the alert AlertDeliveryLatencyHigh (P95 > 60s).
LATENCY_HIGH = Alert(
    name="AlertDeliveryLatencyHigh",
    signal=s.ALERT_DELIVERY_P95,
    direction=ABOVE,
    warning=Level(seconds(60), P2_SLACK),
    # 5m: the P95 is over a 5m window already; a Slack warning should mean a sustained breach.
    for_=minutes(5),
    summary="Alert delivery P95 latency is {direction} {threshold}.",
    meaning="Track 7 SLA breach: alerts reach their recipients late (target P95 < 60 s).",
    actions=(
        "Review delivery failures in Grafana: the runbook's Track7 SLO dashboard panel, the alert_delivery_latency_seconds "
        "histogram, is generated on the Alert Delivery dashboard (this alert's dashboard link); "
        "find the slow channel (email/SendGrid, Slack webhook, SMS/Twilio) on its per-channel P95 panel.",
        p.CHECK_POISON_QUEUE,
        p.COMMON_DELIVERY_FAILURES,
        *p.SLA_BREACH_RESPONSE,
    ),
    provenance={
        "threshold": Runbook("Alert Operations > Alert Troubleshooting", "Alert: `AlertDeliveryLatencyHigh` (P95 > 60s)"),
        "direction": Runbook("SLA Monitoring > Track 7 SLA Targets", "| Alert delivery P95 | < 60s | > 60s (Slack) |"),
        "priority": Runbook("SLA Monitoring > Track 7 SLA Targets", "> 60s (Slack)"),
        "for_": Assumed("The runbook gives no duration: the P95 spans 5 minutes already; a Slack warning means a sustained breach."),
    },
)

# seeds/001 "Track 7 SLA Targets": poison queue size target 0, alert > 10 (page).
# The target 0 is the warning line of the Track 7 check (checks.py); only > 10 pages.
POISON_QUEUE_HIGH = Alert(
    name="AlertPoisonQueueHigh",
    signal=s.POISON_QUEUE,
    direction=ABOVE,
    critical=Level(10, P1_PAGE),
    # 1m: poison entries only leave the queue by a manual retry, so the value does not flap;
    # one minute covers a missed scrape.
    for_=minutes(1),
    summary="More than {threshold} alert deliveries are in the poison queue.",
    meaning=(
        "Track 7 SLA breach: deliveries failed after all retries and need manual review "
        "(target 0, page above 10). Their recipients have not been notified."
    ),
    actions=(p.CHECK_POISON_QUEUE, p.COMMON_DELIVERY_FAILURES, p.RETRY_DELIVERY, *p.SLA_BREACH_RESPONSE),
    provenance={
        "threshold": Runbook("SLA Monitoring > Track 7 SLA Targets", "| Poison queue size | 0 | > 10 (page) |"),
        "direction": Runbook("SLA Monitoring > Track 7 SLA Targets", "> 10 (page)"),
        "priority": Runbook("SLA Monitoring > Track 7 SLA Targets", "> 10 (page)"),
        "for_": Assumed("Poison entries leave only by a manual retry; one minute covers a missed scrape."),
    },
)

DOWN = Alert(
    name="AlertDeliveryDown",
    signal=s.UP["alert-delivery"],
    direction=BELOW,
    critical=Level(1, P1_PAGE),  # System Health Red = Unhealthy: immediate investigation
    for_=minutes(1),  # 1m: several scrapes in a row failed
    summary="Alert delivery service is down.",
    meaning="System Health shows alert delivery Red (Unhealthy): email, Slack and SMS alerts are not being sent.",
    actions=(*p.TROUBLESHOOT_SERVICE, p.RECOVERY),
    provenance={
        "threshold": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "| Red | Unhealthy | Immediate investigation |"),
        "direction": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Red"),
        "priority": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Immediate investigation"),
        "for_": Assumed("The runbook gives no duration: one minute, several scrapes in a row failed, not a single blip."),
    },
)

SERVICE = Service(
    name="alert-delivery",
    title="Alert Delivery",
    team="platform",
    description=(
        "Delivers the platform's alerts (rules set in Web Console -> Alerts) by Email (SMTP/SendGrid), "
        "Slack (webhook) and SMS (Twilio), with automatic per-channel rate limits, retries and a "
        "poison queue (alert_deliveries, status 'poison') for deliveries that keep failing."
    ),
    alerts=(LATENCY_HIGH, POISON_QUEUE_HIGH, DOWN),
    signals=(s.ALERT_DELIVERY_P95_BY_CHANNEL, s.ALERT_THROTTLED, s.ALERT_QUEUE_DEPTH),
)
