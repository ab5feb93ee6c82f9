"""Credentials in any file of the run: webhook URLs, tokens and keys, passwords in URLs,
and Alertmanager's secret fields written out instead of read from a file."""

from __future__ import annotations

import re

from ..model.secrets import masked, secrets
from .findings import ERROR, Finding, rule

CREDENTIAL = rule("secrets/credential", ERROR, "A credential written into a file (a webhook URL, token, key or password): anyone who can read the repository can use it.")

# Alertmanager's fields that hold a secret (each has a *_file form), with a literal value.
# The leading spaces are taken possessively (*+): what follows them is never a space, and
# backtracking into a deep JSON indent at every line made this the run's slowest regex.
SECRET_FIELDS = re.compile(
    r"^\s*+-?\s*+[\"']?(routing_key|api_url|service_key|auth_password|auth_secret|bot_token|api_key|user_key|token|password|credentials|client_secret|bearer_token)[\"']?"
    r"\s*:\s*(?![\s,}]|null\b|~|\"\"|'')",
    re.M,
)
# A piece of every field name above: a text with none of them has no secret field, and is
# not searched (a regex tried at every line start is what costs).
FIELD_PIECES = ("_key", "api_url", "secret", "token", "password", "credentials")
# Fields that are secret only in one integration: VictorOps' routing_key and SNS's api_url are not.
SECRET_ONLY_IN = {"routing_key": "pagerduty_configs", "api_url": "slack_configs"}
INTEGRATION = re.compile(r"^\s*[\"']?(\w+_configs)[\"']?\s*:", re.M)


def _secret_field(text: str, match: re.Match) -> bool:
    integration = SECRET_ONLY_IN.get(match.group(1))
    if integration is None:
        return True
    above = INTEGRATION.findall(text, 0, match.start())
    return bool(above) and above[-1] == integration


def check_secrets(display: str, text: str, structured: bool) -> list[Finding]:
    """Every credential in one file's text, once per line; `structured`: YAML or JSON, where secret fields are keys."""
    found: dict[int, Finding] = {}
    if structured and any(piece in text for piece in FIELD_PIECES):
        for match in SECRET_FIELDS.finditer(text):
            if _secret_field(text, match):
                key, line = match.group(1), text.count("\n", 0, match.start()) + 1
                found[line] = Finding(CREDENTIAL.id, CREDENTIAL.severity, display, f"{key} holds a literal secret: read it from a file ({key}_file or the integration's file form)", line)
    for what, offset, matched in secrets(text):
        line = text.count("\n", 0, offset) + 1
        found.setdefault(line, Finding(CREDENTIAL.id, CREDENTIAL.severity, display, f"contains {what} ({masked(matched)}): read it from a file the deployment provides", line))
    return [found[line] for line in sorted(found)]
