"""The FIX gateway: FIX 4.4 sessions to counterparties.

seeds/003 lists "FIX session status" among the key metrics to watch, with no threshold and no
priority: it is a check (checks.py), not an alert.
"""

from obsgen import Service

from . import signals as s

SERVICE = Service(
    name="fix-gateway",
    title="FIX Gateway",
    team="backend",
    description="FIX 4.4 protocol connectivity (FIX sessions) for the trading engine.",
    signals=(s.FIX_SESSIONS_DOWN, s.FIX_SESSIONS_UP),
)
