"""Compliance and business views: Ten Things 9 and 10. No runbook alert reads them;
the operators check them (checks.py). Logs: kubectl logs -n bondx -l app=compliance-engine.
"""

from obsgen import Service

from . import signals as s
from .teams import BUSINESS, COMPLIANCE

COMPLIANCE_SERVICE = Service(
    name="compliance",
    title="Compliance and reporting",
    team=COMPLIANCE,
    description="The compliance engine: regulatory reports and submissions, the audit trail and data retention.",
    signals=(
        s.REPORTS_ON_TIME,
        s.AUDIT_COMPLETENESS,
        s.FAILED_SUBMISSIONS,
        s.RETENTION_COMPLIANCE,
        s.LAST_AUDIT_AGE,
    ),
)

BUSINESS_SERVICE = Service(
    name="business",
    title="Business metrics",
    team=BUSINESS,
    description="Trading volume, user activity, revenue against targets, customer satisfaction and market share.",
    signals=(
        s.TRADING_VOLUME,
        s.ACTIVE_USERS,
        s.REVENUE_TO_TARGET,
        s.CUSTOMER_SATISFACTION,
        s.MARKET_SHARE,
    ),
)
