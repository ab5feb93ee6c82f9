"""The runbook names no team, only "the on-call operator" (§2): one operations team."""

TEAM = "dex-operations"
