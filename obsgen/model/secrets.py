"""Credentials in text: what a secret looks like, wherever it was pasted.

One scanner for two places: every text field of a definition when it is built, and every
file `obsgen lint` reads. Secrets belong in files the deployment provides (`api_url_file`,
`routing_key_file`, `credentials_file`), never in definitions or generated files.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

_QUERY_KEYS = (
    "access_token|auth_token|token|api[_-]?key|apikey|key|secret|client_secret|password|passwd|pwd|pass"
    "|sig|signature|private_token|routing_key|integration_key|service_key|webhook_key"
)
# (what it is, pattern, case-insensitive, words one of which the text holds when it matches):
# the first that matches names the finding. The words skip a pattern on the many files
# that cannot match it (a regex tried at every position is what costs).
_SHAPES = (
    ("a Slack webhook URL", r"hooks\.slack\.com/(?:services|workflows|triggers)/\S+", True, ("hooks.slack.com",)),
    ("a Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}|\bxapp-\d-[A-Za-z0-9-]{10,}", False, ("xox", "xapp-")),
    ("a Discord webhook URL", r"discord(?:app)?\.com/api/webhooks/\S+", True, ("discord",)),
    ("a Microsoft Teams webhook URL", r"\.webhook\.office\.com/webhook\S*|outlook\.office(?:365)?\.com/webhook\S*|logic\.azure\.com\S*[?&]sig=", True,
     ("webhook.office", "outlook.office", "logic.azure")),
    ("a Telegram bot token", r"\b\d{6,}:[A-Za-z0-9_-]{30,}", False, ("telegram", "/bot", "bot token", "bot_token")),
    ("a PagerDuty key in a URL", r"pagerduty\.com/\S*?(?:integration|enqueue|keys?)/[A-Za-z0-9+_-]{20,}", True, ("pagerduty",)),
    ("a credential in a URL's query string", rf"[?&;](?:{_QUERY_KEYS})=[^&\s#'\"`]+", True, ("=",)),
    ("a password in a URL", r"://[^/\s:@'\"`]*:[^/\s@'\"`]+@[^\s/]", False, ("@",)),
    ("a token in a URL's path", r"https?://[^\s/'\"`]+/(?:[^\s?#'\"`]*/)?(?=[A-Za-z_]*\d)(?=\d*[A-Za-z])[A-Za-z0-9_]{32,}(?=[/?#\s'\"`)]|$)", False,
     ("http",)),
    ("a bearer token", r"\b(?:bearer|token)\s+[A-Za-z0-9._~+/=-]{20,}", True, ("bearer", "token")),
    ("a basic auth header", r"\bbasic\s+[A-Za-z0-9+/]{16,}={0,2}(?![\w+/=])", True, ("basic",)),
    ("a private key", r"-----BEGIN [A-Z ]*PRIVATE KEY-----", False, ("private key",)),
    ("a JSON web token", r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}", False, ("eyj",)),
    ("an AWS access key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", False, ("akia", "asia")),
    ("a GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{30,}", False, ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
    ("an API key", r"\b(?:sk|rk)_live_[0-9A-Za-z]{16,}|\bAIza[0-9A-Za-z_-]{35}|\bSG\.[\w-]{16,}\.[\w-]{16,}|\bglpat-[\w-]{20}", False,
     ("_live_", "aiza", "sg.", "glpat-")),
    ("a secret after its name", r"\b(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|private[_-]?key)\b[\"']?\s*[:=]\s*[\"']?(?![\s$<{/\"'])(?=[^\s,;\"']*\d|[^\s,;\"']{8})[^\s,;\"']{4,}", True,
     ("password", "passwd", "pwd", "secret", "api_key", "api-key", "apikey", "access_token", "access-token", "auth_token", "auth-token",
      "private_key", "private-key")),
)
_PATTERNS = tuple((what, re.compile(pattern, re.I if ci else 0), words) for what, pattern, ci, words in _SHAPES)
# Any pattern's word, in one search: most texts hold none, and then no pattern can match.
_ANY_WORD = re.compile("|".join(re.escape(word) for _, _, words in _PATTERNS for word in words))
_DISTINCT_LINES_FROM = 8192  # characters: shorter texts are searched as they are


def secrets(text: str) -> Iterator[tuple[str, int, str]]:
    """(what it is, offset, the text matched) of each credential in text."""
    if not isinstance(text, str):
        return
    lower = text.lower()
    if len(lower) > _DISTINCT_LINES_FROM:
        # No word has a line break, so each is in the text exactly when it is in one of its
        # lines: a generated file repeats most of them, and the words are looked for in each once.
        lower = "\n".join(set(lower.splitlines()))
    if _ANY_WORD.search(lower) is None:
        return
    for what, pattern, words in _PATTERNS:
        if any(word in lower for word in words):
            for match in pattern.finditer(text):
                yield what, match.start(), match.group(0)


@functools.lru_cache(maxsize=8192)
def secret_in(text: str) -> str | None:
    """What the first credential in text is ('a Slack webhook URL'), or None. Remembered:
    every definition object checks each of its texts, and loads repeat the same texts."""
    return next((what for what, _, _ in secrets(text)), None)


def masked(found: str) -> str:
    """The matched text with its secret part hidden, for messages that must not leak it."""
    return found[:12] + "..." if len(found) > 12 else found[:4] + "..."
