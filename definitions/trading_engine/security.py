"""Security: the P0 Security Breach procedure, routed to the security team (routing.py)."""

from obsgen import Assumed, ABOVE, Alert, Level, Service, minutes

from . import procedures as p
from . import runbook as rb
from . import signals as s
from .routing import P0

# seeds/003 "P0: Security Breach", symptoms "Unauthorized access detected" and
# "Data exfiltration alerts": any detection is a P0 (the runbook gives no count; one is enough).
BREACH_DETECTED = Alert(
    name="SecurityBreachDetected",
    signal=s.SECURITY_DETECTIONS,
    direction=ABOVE,
    critical=Level(0, P0),
    for_=minutes(1),  # 1m: the 5m increase holds the detection; one minute confirms it was recorded
    keep_firing_for=minutes(30),  # a P0 from one detection stays firing until someone silences it
    summary="A security breach was detected.",
    meaning=(
        "P0 security breach: unauthorized access or data exfiltration was detected (type in the alert). "
        "Isolate, assess, preserve, notify, rotate secrets."
    ),
    actions=(
        *p.SECURITY_BREACH,
        "The alert stays firing 30 minutes after the last detection unless silenced: silence it in the Alertmanager once the incident is raised.",
    ),
    provenance={
        "threshold": Assumed("The runbook gives no count: one detection is enough."),
        "direction": rb.BREACH.says("Unauthorized access detected"),
        "priority": rb.BREACH.says("### P0: Security Breach"),
        "for_": Assumed("One minute confirms the detection was recorded; it stays firing 30 minutes unless silenced."),
        "keep_firing_for": Assumed("A P0 from a single detection must not resolve on its own before anyone acts: 30 minutes unless silenced."),
    },
)

SERVICE = Service(
    name="security",
    title="Security",
    team="security",
    description="Security detections for the trading engine and unusual API activity (401/403 responses).",
    alerts=(BREACH_DETECTED,),
    signals=(s.API_DENIED,),
)
