"""The runbook these definitions express, its sections, and what they assume.

Runbook: the surveillance Operations Runbook (shared/seeds/004_668dfd8eae18abe0.txt).
"""

from obsgen import Assumed, Runbook

TITLE = "Crypto Market Microstructure Surveillance System: Operations Runbook"

FRESH_START = Runbook("Fresh Start (Complete Reset)")
QUICK_START = Runbook("Quick Start Verification")
SERVICES = Runbook("Service Management")
HEALTH = Runbook("Health Checks")
KEY_METRICS = Runbook("Monitoring > Key Metrics to Watch")
REDIS_KEYS = Runbook("Monitoring > Redis Keys to Monitor")
METRIC_VALUES = Runbook("Monitoring > Check Metric Values")
ZSCORE = Runbook("Common Issues > Z-Score Alerts Not Firing")
LAG = Runbook("Common Issues > High Message Lag")
GAPS = Runbook("Common Issues > Data Gaps Detected Frequently")
DASHBOARD = Runbook("Common Issues > Dashboard Not Loading")
STUCK = Runbook("Common Issues > Alerts Stuck in Active State")
THRESHOLDS = Runbook("Adding New Instruments > Step 2: Add Alert Thresholds")
ESCALATION = Runbook("Emergency Procedures > Emergency Contact Escalation")

P1_ALERTS = ESCALATION.says("**P1 Alerts (Critical):**")
P2_ALERTS = ESCALATION.says("**P2 Alerts (Warning):**")

METRIC_NAMES = Assumed(
    "The runbook reads this from Redis keys and SQL tables; the services export the same number to Prometheus "
    "under the surveillance_ prefix, labelled by exchange and instrument, scraped as the runbook's container names."
)
EXPORTER_NAMES = Assumed("The exporters' own metric names (redis_exporter, postgres_exporter, blackbox_exporter, up).")
ONE_MINUTE = Assumed("The runbook gives no duration: one minute rides out a single failed scrape and leaves most of P1's 5 minutes.")
KEY_METRICS_CADENCE = Assumed("The runbook gives no cadence (its watch -n 1 / -n 5 refresh a terminal): every 15 minutes during a shift.")
HOURLY = Assumed("The runbook gives no cadence for this: once an hour.")
URLS = Assumed("The runbook gives no URL for Grafana or the Alertmanager.")
