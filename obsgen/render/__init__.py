"""Artifacts to bytes: YAML, Grafana JSON (via grafanalib), Markdown; atomic writes."""
