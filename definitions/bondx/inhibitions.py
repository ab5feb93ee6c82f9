"""What silences what: while a cause fires, the symptoms it explains stay quiet."""

from obsgen import Inhibition

from . import trading_engine

INHIBITIONS = (
    Inhibition(
        name="trading-engine-down-silences-symptoms",
        source=trading_engine.TRADING_ENGINE_UNAVAILABLE,
        targets=(trading_engine.HIGH_ORDER_LATENCY,),
        reason="While the trading engine is unavailable, slow order processing is its symptom, not a second incident.",
    ),
)
