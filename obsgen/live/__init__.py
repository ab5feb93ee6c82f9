"""Live: the generated rules and routing, run in real Prometheus and Alertmanager.

Unit tests prove expressions one at a time; this proves the whole path an operator
depends on: a simulator exposes every raw metric the definitions read (at healthy
values, or playing an operator scenario), Prometheus scrapes it and evaluates the
generated rules, Alertmanager routes what fires with the generated config, and a local
webhook sink records who was told.

The modules, one concern each:

- promql: promql-parser's AST as small frozen nodes the rest can walk cheaply.
- evaluate: PromQL in steady state (every counter at a constant rate), in-process.
- rules: the compiled rule files, loaded, time-scaled for tests, evaluated to a fixpoint.
- metrics: which raw metrics the rules read and what type their use implies.
- layout: the series, label values and scrape jobs that satisfy every selector.
- inverse: from a wanted signal value back to one raw knob (histograms in closed form).
- solve: healthy values for every signal, and scenario holds, chosen with few side effects.
- simulator: the prometheus-client exporter that serves it, one scrape path per job.
- backfill: history for the windows, so rate() is right from the first evaluation.
- sink, stack: the webhook sink, and Prometheus + Alertmanager on loopback.
- check_metrics: a real exporter's dump against what the definitions read.
- command: the click commands simulate, demo and check-metrics.
"""
