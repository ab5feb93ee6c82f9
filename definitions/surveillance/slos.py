"""The surveillance system's processing lag as a service level objective.

Runbook "Monitoring > Key Metrics to Watch": processing lag warns above 100 ms. The
objective: lag at most 100 ms 99% of the time, per exchange (sampled once a minute).
Burn-rate pages are P1 (PagerDuty and #market-ops-critical), tickets P2 (#market-ops).
"""

from obsgen import ABOVE, SLO, TimeSLI, minutes, ms, percent

from . import signals
from .processing import METRICS_ENGINE
from .routing import P1, P2

PROCESSING_LAG = SLO(
    name="processing-lag",
    title="Processing lag",
    description="Order books are processed within 100 ms of the exchange timestamp, per exchange.",
    service=METRICS_ENGINE,
    sli=TimeSLI(signal=signals.PROCESSING_LAG, bad_when=ABOVE, threshold=ms(100)),
    objective=percent(99),
    group_by=("exchange",),
    page_priority=P1,
    ticket_priority=P2,
    no_data_for=minutes(5),  # no lag reported for any exchange: the metrics engine is not processing
    actions=(
        'Check the metrics engine: docker-compose logs -f metrics-engine | grep -i "slow\\|lag\\|timeout".',
        "Check Redis memory: redis-cli info memory | grep used_memory_human.",
        "Check the PostgreSQL connection pool: SELECT count(*) FROM pg_stat_activity WHERE state = 'active'.",
    ),
)

SLOS = (PROCESSING_LAG,)
