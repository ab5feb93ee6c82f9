"""`obsgen import mixin`: an existing monitoring mixin as obsgen definitions.

The stages, one module each: sources (read: jsonnet, rule YAML, PrometheusRule manifests,
dashboards), plan (model: Signals, Alerts and Levels, what is kept as written, checked
against the source by compare), python_source (render: readable definition modules),
command (the CLI: load the result to prove it, then write it atomically).
"""
