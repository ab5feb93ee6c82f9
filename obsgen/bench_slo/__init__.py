"""`make bench-slo`: obsgen's SLO rules against Sloth-shaped rules for the same SLOs.

Two measures. Cost: a real Prometheus 2.42 on loopback, its storage backfilled with
promtool (raw counters for three days, recorded series as far back as the rules read
them), evaluates each rule set; printed are rule-evaluation seconds, CPU seconds and
recorded series, and the obsgen/Sloth ratio. Decisions: each scenario of scenarios.TABLE
runs through promtool (Prometheus's rule engine) for both rule sets; printed are when
the page and the ticket fire, when the page clears, how many pages, and other alerts.
"""
