"""The runbook these definitions express, its sections, and what they assume.

Runbook: the DEX Operator Manual (shared/seeds/000_1513bae255a16944.txt). A value the
manual states cites its section (`Runbook`); a value it does not state is `Assumed`,
with the reason, and the handbook lists it under "What these definitions assume".
"""

from obsgen import Assumed, Runbook

TITLE = "DEX Operator Manual (Launch & Operational Docs)"

SHIFT = Runbook("§2 Daily Health Verification")
DASHBOARDS = Runbook("§2.1 Grafana Dashboards")
ALERTS = Runbook("§2.2 Prometheus Alerts")
RATE_LIMITS = Runbook("§3.1 Rate Limits")
FLAGS = Runbook("§3.2 Feature Flags")
LOGS = Runbook("§4.1 Querying Logs (LogCLI)")
ERRORS = Runbook("§4.2 Error Context")
BREAKERS = Runbook("§5 Circuit Breakers")
RESTARTS = Runbook("§6 Restart Procedures")
MAINTENANCE = Runbook("§7 Emergency Maintenance")

# What the definitions choose where the manual is silent.
METRIC_NAMES = Assumed(
    "The manual names no metric here: Prometheus naming (base units, _total, _seconds, a dex_ prefix) for what the "
    "service is expected to export, in namespace dex-production with the app labels of its LogCLI query (§4.1)."
)
EXPORTER_NAMES = Assumed("The exporters' own metric names (kube-state-metrics, Prometheus's up and ALERTS).")
NO_DURATION = Assumed("The manual gives no duration: the condition must hold one full window of its signal, so a single bad scrape does not notify.")
NO_PRIORITY_USERS = Assumed(
    "The manual gives this condition no priority; users are affected (failed or slow orders), so P1 (high), "
    "which §2.2 says must never stay active."
)
RECEIVERS = Assumed("The manual names no channel or pager: P0 and P1 page the DEX on-call through PagerDuty, P2 and P3 go to a Slack channel.")
RESPONSE_WORDS = Assumed("The manual gives response times only in words; this duration is the definitions' reading of them.")
EVERY_SHIFT = Assumed("§2: each morning or at the start of a shift: at least once a day.")
ONE_MINUTE_DOWN = Assumed("The manual gives no delay; 1 minute lets Kubernetes' own restart (§6) finish before paging.")
KEEP_P0 = Assumed(
    "A P0 raised from a single counted event must not resolve on its own before anyone acts: it stays firing 30 "
    "minutes after the last event unless silenced (§4.2: raise immediately)."
)
URLS = Assumed("The manual gives no URL for Grafana or the Alertmanager interface it tells operators to open (§2.1, §2.2).")
