"""The runbook these definitions express, its sections, and what they assume.

Runbook: Operations Runbook - Trading Engine (shared/seeds/003_4f4cce8341292edf.txt).
"""

from obsgen import Assumed, Runbook

TITLE = "Operations Runbook - Trading Engine"

CONTACTS = Runbook("Emergency Contacts")
URLS = Runbook("Quick Reference > Service URLs (Production)")
CRITICAL_METRICS = Runbook("Quick Reference > Critical Metrics Dashboard")
SEVERITY = Runbook("Incident Response Procedures > Severity Levels")
OUTAGE = Runbook("P0: Complete Service Outage")
HIGH_ERRORS = Runbook("P1: High Error Rate")
DATABASE = Runbook("P1: Database Performance Issues")
MEMORY_LEAK = Runbook("P1: Memory Leak")
BREACH = Runbook("P0: Security Breach")
DAILY = Runbook("Routine Operations > Daily Checks")
WEEKLY = Runbook("Routine Operations > Weekly Tasks")
SCALING = Runbook("Scaling Operations")
DEPLOYMENT = Runbook("Deployment Procedures > Standard Deployment (Zero Downtime)")
KEY_METRICS = Runbook("Monitoring & Alerting > Key Metrics to Watch")
RESPONSE = Runbook("Monitoring & Alerting > Alert Response Times")

METRIC_NAMES = Assumed(
    "The runbook names no metric for this: the application's metrics carry the trading_engine_ prefix; the API "
    "follows the Go client's http_requests_total / http_request_duration_seconds (the runbook greps http_requests)."
)
EXPORTER_NAMES = Assumed(
    "The exporters' own metric names: blackbox_exporter, postgres_exporter, redis_exporter, kube-state-metrics, "
    "cAdvisor, node_exporter, kubelet volume stats, cert-manager; namespace production as every runbook command says."
)
NO_DURATION = Assumed("The runbook gives no duration: the condition holds a full window of its signal, past a single bad scrape.")
NO_PRIORITY_TARGET = Assumed(
    "The runbook lists this target among the key metrics to watch but gives no priority; missing it affects some "
    "users' orders: P2 (partial functionality impaired, < 50% users)."
)
KEY_METRICS_P2 = Assumed("The Key Metrics table gives an action, no priority; a threshold with user impact is P2.")
KEY_METRICS_P3 = Assumed("The Key Metrics table gives an action, no priority; a capacity warning with no user impact yet is P3.")
WATCH_CADENCE = Assumed("The runbook gives no cadence for the key metrics to watch: every 15 minutes during a shift.")
SMTP = Assumed("The runbook gives mailboxes, not how mail is sent: alertmanager@trading-engine.com through smtp.trading-engine.com:587.")
PAGER = Assumed("The runbook says page the on-call engineer and lists PagerDuty incidents, without a PagerDuty service name.")
BUSINESS_HOURS = Assumed("The runbook says business hours without times or zone: Monday-Friday 09:00-17:00 UTC.")
ALERTMANAGER_URL = Assumed("The runbook gives Grafana's and Prometheus's URLs, not the Alertmanager's: https://alertmanager.trading-engine.com.")
