"""dashboard: the Dash UI on port 8050."""

from obsgen import Service

from . import health

DASHBOARD = Service(
    name="dashboard",
    title="Dashboard",
    team="market-ops",
    description=(
        "Dash UI at http://localhost:8050: order books, metrics, z-scores (\"warming up\" below 30 samples) and alerts. "
        "Known issue (Common Issues: Dashboard Not Populating Data): an AsyncIO event loop conflict can leave the UI "
        "blank while data flows; the probe still passes. Workaround: query the metrics table in PostgreSQL directly."
    ),
    alerts=(health.DASHBOARD_DOWN,),
)
