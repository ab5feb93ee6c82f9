"""The vocabulary definitions are written in: plain, frozen, validated values."""

from .alerts import Alert, Level
from .checks import Check, CheckGroup
from .directions import ABOVE, AT_OR_ABOVE, AT_OR_BELOW, BELOW, Direction
from .errors import DefinitionError, Source
from .externals import External
from .provenance import Assumed, Runbook
from .scenarios import Fires, Holds, Scenario
from .inhibitions import Inhibition
from .raw import RawAlert, RawRecording
from .routing import Email, Escalation, PagerDuty, Priority, Receiver, Route, Slack, TimeInterval, Webhook
from .signals import UNBOUNDED, Signal
from .slo import PAGE, TICKET, SLO, TierKind, BurnRateTier, LatencySLI, RatioSLI, TimeSLI, workbook_tiers
from .system import Service, System
from .units import (
    GB, MB, Quantity, Unit, bytes_, count, days, hours, minutes, ms, per_hour, per_minute, per_second, percent, ratio, seconds, us, weeks,
)

__all__ = [
    "Assumed", "External", "Runbook",
    "ABOVE", "BELOW", "AT_OR_ABOVE", "AT_OR_BELOW", "Direction", "TierKind", "Alert", "Fires", "Holds", "Scenario", "Check", "CheckGroup", "DefinitionError", "Email", "Escalation", "GB", "Inhibition", "Level", "MB",
    "PagerDuty", "Priority", "RawAlert", "RawRecording", "Quantity", "Receiver", "Route", "Service", "Signal", "Slack", "Source", "System",
    "TimeInterval", "Unit", "Webhook", "bytes_", "count", "minutes", "ms", "per_hour", "per_minute", "per_second",
    "percent", "ratio", "seconds", "us", "hours", "days", "weeks",
    "PAGE", "TICKET", "UNBOUNDED", "SLO", "BurnRateTier", "LatencySLI", "RatioSLI", "TimeSLI", "workbook_tiers",
]
