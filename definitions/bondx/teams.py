"""Who owns which BondX service ("Contact Information and Escalation": Operations,
Platform Engineering, Security team leads; "Stakeholder updates": compliance and
business teams). The trading services escalate "to platform team immediately"
(Alerts, "Trading Engine Unavailable")."""

PLATFORM = "platform"  # Platform Engineering: trading engine, WebSocket, risk engine, data providers
OPERATIONS = "operations"  # Operations Team (owner of this handbook): database, cache, infrastructure
COMPLIANCE = "compliance"  # Compliance team: reports, audit trail, submissions, retention
BUSINESS = "business"  # Business teams: volume, users, revenue, satisfaction
