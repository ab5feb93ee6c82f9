"""Verify: promtool, amtool and the Grafana schema judge the generated files."""
